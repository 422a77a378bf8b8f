#!/usr/bin/env bash
# Who may reach what. The built tree is copied into a folder only root may
# enter (mktemp -d, 0700, as a clone in /root is) and the stack started
# from there with its state in the copy's var/, as `make run` does: nginx's
# workers (nobody) still serve pages and static files and reach the app.
# Then the boundaries around it: the database's root only through its
# socket for the system's root, each service's account with only its
# rights, the database's files and socket closed to other users, no secret
# on any command line, and the FastCGI socket closed to every user but
# nginx's.
. "$(dirname "$0")/lib.sh"

clone=$(mktemp -d /tmp/cc-perms.XXXXXX)
copy=$clone/callcenter
mkdir -p "$copy/build"
(cd "$top" && cp -R scripts conf kamailio-cfg fcgi-app templates sql schemas plugin-manifest.xml "$copy/")
cp -R "$top/build/bin" "$top/build/prompts" "$copy/build/"
CC_STATE=$copy/var
export CC_STATE

perms_stop() { stack_stop "$copy/scripts/stack.sh" "$clone"; }
on_exit perms_stop

# Another local user, neither root nor nginx's: made for the test if the
# system has none by this name, and removed again.
probe=cc-perms-probe
if ! id "$probe" >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$probe"
  on_exit "userdel $probe 2>/dev/null"
fi
# as USER COMMAND...: COMMAND as USER, found in the system's folders (root's
# own PATH may lead where USER cannot go).
as() {
  local u=$1; shift
  setpriv --reuid="$u" --regid="$(id -g "$u")" --clear-groups -- \
    env PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

check "the copy's folder is closed to others (0700)" test "$(stat -c %a "$clone")" = 700

started=0
for try in 1 2 3; do
  out=$(CC_PORTS=auto CC_QUIET=1 "$copy/scripts/stack.sh" start --demo 2>&1) && { started=1; break; }
  [ -n "$out" ] && echo "$out" | sed 's/^/# /'
  grep -q "already in use" <<<"$out" || break
  diag "a port was taken while the stack started; starting again on other ports"
  "$copy/scripts/stack.sh" stop >/dev/null 2>&1
  rm -rf "$CC_STATE"
done
check "the stack starts from a folder only root may enter" test "$started" = 1
[ "$started" = 1 ] || { finish; exit 1; }
# shellcheck disable=SC1091
. "$CC_STATE/etc/ports.env"
logs=$CC_STATE/log
web_setup perms

# --- make run from a closed folder -----------------------------------------------

expect_eq "nginx serves the sign-in page (200)" 200 "$(http page "$base/cc/login")"
expect_eq "and a static file (200)" 200 "$(http css "$base/cc/static/cc.css")"
check "the very file of the checkout" cmp -s "$tmp/css.b" "$copy/fcgi-app/static/cc.css"
token=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
check "admin signs in" test -n "$token"
expect_eq "and opens the admin console (200)" 200 "$(http admin -b "$tmp/ja" "$base/cc/admin")"
# A body over client_body_buffer_size (128k) goes through nginx's temporary
# files, which its workers write: nginx passes it on, and the app refuses it
# for the missing CSRF token (403), where nginx itself would fail with 500.
head -c 300000 /dev/zero | tr '\0' a > "$tmp/big"
expect_eq "a large body reaches the app through nginx's temporary files" 403 \
  "$(http big -b "$tmp/ja" -H 'Content-Type: text/csv' --data-binary "@$tmp/big" \
     "$base/cc/api/admin/agents/import")"
expect_eq "nginx was never denied a file" "" "$(grep -m 1 'Permission denied' "$logs/nginx-error.log")"

# --- the database ----------------------------------------------------------------

expect_match "root over TCP is refused" "Access denied" \
  "$(mariadb --no-defaults -h 127.0.0.1 -P "$DB_PORT" -u root -e 'SELECT 1' 2>&1)"
expect_match "root over TCP with an empty password too" "Access denied" \
  "$(mariadb --no-defaults -h 127.0.0.1 -P "$DB_PORT" -u root --password= -e 'SELECT 1' 2>&1)"
expect_eq "root through the socket, as the system's root (the tests' own way)" 1 "$(sql 'SELECT 1')"
expect_eq "root's only way in is the socket's peer check" "localhost unix_socket" \
  "$(sql "SELECT CONCAT(Host, ' ', plugin) FROM mysql.user WHERE User = 'root'" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "no other account than root and the services'" "cc_b2bua cc_kamailio cc_web mariadb.sys root" \
  "$(sql "SELECT DISTINCT User FROM mysql.user ORDER BY User" | tr '\n' ' ' | sed 's/ $//')"
expect_match "another user cannot reach the database's socket" "Can't connect|Permission denied" \
  "$(as "$probe" mariadb --no-defaults -S "$DB_SOCKET" -u root -e 'SELECT 1' 2>&1)"
expect_eq "the data directory is closed to others (0700)" 700 "$(stat -c %a "$CC_STATE/db")"
expect_eq "the socket's folder too" 700 "$(stat -c %a "$(dirname "$DB_SOCKET")")"
expect_eq "the state folder too" 700 "$(stat -c %a "$CC_STATE")"
for f in "$CC_STATE"/etc/*.secret "$CC_STATE"/etc/kamailio.cfg "$CC_STATE"/etc/web.conf; do
  expect_eq "$(basename "$f") is the service's alone (0600)" 600 "$(stat -c %a "$f")"
done

# as_db USER SQL: runs SQL as a service's account, over its own way in.
as_db() {
  local u=$1 f
  case $u in
    cc_web) f=db-web.secret ;;
    cc_b2bua) f=db-b2bua.secret ;;
    cc_kamailio) f=db-kamailio.secret ;;
  esac
  local conn=(-S "$DB_SOCKET")
  [ "$u" = cc_kamailio ] && conn=(-h 127.0.0.1 -P "$DB_PORT")
  mariadb --defaults-file=/dev/stdin "${conn[@]}" -u "$u" cc -N -B -e "$2" 2>&1 <<EOF
[client]
password=$(cat "$CC_STATE/etc/$f")
EOF
}
expect_eq "the web app's account reads the helpdesk's users" 1 \
  "$(as_db cc_web "SELECT COUNT(*) > 0 FROM cs_user")"
expect_eq "and may save contacts (the workbench does)" "" \
  "$(as_db cc_web "UPDATE uk_contacts SET name = name WHERE 1 = 0")"
expect_match "but not change the helpdesk's menu" "command denied" \
  "$(as_db cc_web "UPDATE uk_sysdic SET NAME = NAME WHERE 1 = 0")"
expect_match "nor its roles' grants" "command denied" \
  "$(as_db cc_web "DELETE FROM uk_role_auth WHERE 1 = 0")"
expect_match "nor the installer's record of migrations" "command denied" \
  "$(as_db cc_web "DELETE FROM cc_schema_version WHERE 1 = 0")"
expect_match "nor alter a table" "command denied" \
  "$(as_db cc_web "ALTER TABLE cc_call COMMENT = 'x'")"
expect_match "the B2BUA's account cannot write contacts" "command denied" \
  "$(as_db cc_b2bua "UPDATE uk_contacts SET name = name WHERE 1 = 0")"
expect_eq "Kamailio's account reads its locations" 1 \
  "$(as_db cc_kamailio "SELECT COUNT(*) >= 0 FROM cc_location")"
expect_match "and cannot write the helpdesk's contacts" "command denied" \
  "$(as_db cc_kamailio "UPDATE uk_contacts SET name = name WHERE 1 = 0")"
expect_match "nor read them" "command denied" \
  "$(as_db cc_kamailio "SELECT COUNT(*) FROM uk_contacts")"
expect_match "nor change the agents' SIP passwords" "command denied" \
  "$(as_db cc_kamailio "UPDATE cc_sip_account SET ha1 = ha1 WHERE 1 = 0")"

# --- secrets off command lines -----------------------------------------------------

secrets=()
for f in "$CC_STATE"/etc/*.secret; do secrets+=("$(head -n 1 "$f")"); done
check "there are secrets to look for (database accounts and the control socket)" \
  test "${#secrets[@]}" -ge 4
leaks=""
for d in /proc/[0-9]*; do
  { cmd=$(tr '\0' ' ' < "$d/cmdline"); } 2>/dev/null || continue
  for s in "${secrets[@]}"; do
    [ -n "$s" ] && [[ $cmd == *"$s"* ]] && leaks="$leaks ${d#/proc/}"
  done
done
expect_eq "no process's command line holds a secret" "" "$leaks"

# --- the FastCGI socket --------------------------------------------------------------

connects() { # USER: connects to the app's socket as USER
  as "$1" python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' \
    "$WEB_SOCKET" 2>/dev/null
}
check "the app's socket lies outside the closed folder" test "${WEB_SOCKET#"$clone"/}" = "$WEB_SOCKET"
check "nginx's user connects to the app's socket" connects "$NGINX_USER"
refused() { ! connects "$1"; }
check "another user cannot" refused "$probe"
expect_eq "the socket is not open to others" 0 "$(( 0$(stat -c %a "$WEB_SOCKET") & 7 ))"
expect_eq "nor its folder" 0 "$(( 0$(stat -c %a "$PUBLIC") & 7 ))"

out=$(timeout 60 "$bin/cc-web" -c "$CC_STATE/etc/web.conf" -o "listen=$CC_STATE/run/other.sock" \
  -o listen_mode=0666 2>&1); rc=$?
check "cc-web refuses a socket open to others (exit $rc)" test "$rc" != 0 -a "$rc" != 124
expect_match "and says why" "listen_mode: '0666' is not an octal mode within 0770" "$out"
check "leaving no socket behind" test ! -e "$CC_STATE/run/other.sock"

"$copy/scripts/stack.sh" stop >/dev/null
check "stop removes the public folder" test ! -e "$PUBLIC"

finish
