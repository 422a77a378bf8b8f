#!/usr/bin/env bash
# The installer (build/bin/cc-plugin) against fixture helpdesk databases: a
# fresh install, a second one that changes nothing, a database migrated
# before the installer existed, a manifest with a mistake, a helpdesk
# missing columns, uninstall (host rows, indexes and snippet gone, call data
# kept) and uninstall --purge. One MariaDB (the stack's, alone), one
# database per case.
. "$(dirname "$0")/lib.sh"

fixtures=$top/tests/fixtures/host
manifest=$top/plugin-manifest.xml
stack_start --only db
work=$CC_STATE/install
mkdir -p "$work"

q() { local d=$1; shift; mariadb --no-defaults -S "$DB_SOCKET" -u root -N -B "$d" "$@"; }
# newdb NAME FIXTURE...: a database with the reference host's tables and the fixtures.
newdb() {
  local d=$1 f; shift
  mariadb --no-defaults -S "$DB_SOCKET" -u root -e "CREATE DATABASE $d CHARACTER SET utf8mb4"
  q "$d" < "$top/sql/host/cskefu-v8.sql"
  for f in "$@"; do q "$d" < "$f"; done
}
# plugin DB CMD ARGS...: cc-plugin on database DB; output in $out, status in $rc.
plugin() {
  local d=$1 cmd=$2; shift 2
  out=$("$bin/cc-plugin" "$cmd" --manifest "${MANIFEST:-$manifest}" --root "$top" \
    --schema "$top/schemas/plugin-manifest.rng" --socket "$DB_SOCKET" \
    --user root --database "$d" "$@" 2>&1); rc=$?
  printf '%s\n' "$out" > "$work/$d-$cmd.log"
}
val() { q "$1" -e "$2"; }
# plugin_indexes DB: the manifest's indexes present in DB, "table.index" sorted.
plugin_indexes() {
  val "$1" "SELECT CONCAT(TABLE_NAME, '.', INDEX_NAME) FROM information_schema.STATISTICS
    WHERE TABLE_SCHEMA = '$1' AND INDEX_NAME LIKE 'cc\_%' AND TABLE_NAME NOT LIKE 'cc\_%'
    GROUP BY TABLE_NAME, INDEX_NAME ORDER BY 1" | tr '\n' ' '
}
cc_tables() { val "$1" "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$1' AND TABLE_NAME LIKE 'cc\_%'"; }
menu_rows() { val "$1" "SELECT COUNT(*) FROM uk_sysdic WHERE CODE LIKE 'CC%'"; }
# host_state DB: everything install may touch, as checksums and names.
host_state() {
  val "$1" "CHECKSUM TABLE uk_sysdic, uk_role_auth, uk_organrole, cs_user, uk_contacts, cs_organ_user,
    uk_organ, cc_host_change, cc_schema_version EXTENDED"
  plugin_indexes "$1"
}
nmigrations=$(ls "$top"/sql/migrations/[0-9][0-9][0-9]_*.sql | wc -l)
want_indexes="cs_organ_user.cc_organ_user_userid cs_user.cc_user_username uk_contacts.cc_contacts_updatetime "

# --- the manifest alone ---------------------------------------------------------
check "xmllint --relaxng accepts plugin-manifest.xml" \
  xmllint --noout --relaxng "$top/schemas/plugin-manifest.rng" "$manifest"
out=$("$bin/cc-plugin" check --manifest "$manifest" 2>&1); rc=$?
expect_eq "cc-plugin check accepts the manifest" 0 "$rc"

# --- the stack installs through cc-plugin ---------------------------------------
expect_eq "the stack's database was installed by cc-plugin (its indexes recorded)" 3 \
  "$(val cc "SELECT COUNT(*) FROM cc_host_change WHERE kind = 'index'")"
check "and nginx's locations are the snippet it wrote" grep -q "fastcgi_pass unix:$WEB_SOCKET;" \
  "$CC_STATE/etc/nginx-cc.conf"

# --- a fresh install ------------------------------------------------------------
newdb h1 "$fixtures/grants.sql"
before_contacts=$(val h1 "CHECKSUM TABLE uk_contacts, cs_user, uk_organ, cs_organ_user EXTENDED")
snippet=$work/h1-nginx.conf
plugin h1 install --nginx-snippet "$snippet" --fastcgi-socket /run/cc/web.sock
expect_eq "install exits 0" 0 "$rc"
expect_eq "every migration is applied and recorded" "$nmigrations" "$(val h1 'SELECT COUNT(*) FROM cc_schema_version')"
expect_eq "the manifest's indexes are on the helpdesk's tables" "$want_indexes" "$(plugin_indexes h1)"
expect_eq "the menu entries are resources of the helpdesk" "8" "$(menu_rows h1)"
expect_eq "under the resource dictionary, top level first" "CC:1:402888815d2fe37f015d2fe75cc80002 CC_A01:2:CC" \
  "$(val h1 "SELECT CONCAT(e.CODE, ':', e.MLEVEL, ':', COALESCE(p.CODE, e.PARENTID)) FROM uk_sysdic e
     LEFT JOIN uk_sysdic p ON p.ID = e.PARENTID AND p.CODE LIKE 'CC%'
     WHERE e.CODE IN ('CC', 'CC_A01') ORDER BY e.CODE" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "a role holding 坐席对话 (A01) and 语音渠道 (A10) gets the workbench, the pages and their parent" \
  "CC CC_A01 CC_A03 CC_A04 CC_A05 CC_A06" \
  "$(val h1 "SELECT DICVALUE FROM uk_role_auth WHERE ROLEID = '1r000000000000000000000000000001'
     AND DICVALUE LIKE 'CC%' ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the grants name the entries' resource rows" 0 \
  "$(val h1 "SELECT COUNT(*) FROM uk_role_auth a LEFT JOIN uk_sysdic s ON s.ID = a.DICID
     WHERE a.DICVALUE LIKE 'CC%' AND (s.ID IS NULL OR s.CODE <> a.DICVALUE)")"
expect_eq "the role holding 外呼系统 (A11) gets the outbound entry and its parent" "CC CC_A07" \
  "$(val h1 "SELECT DICVALUE FROM uk_role_auth WHERE ROLEID = '1r000000000000000000000000000002'
     AND DICVALUE LIKE 'CC%' ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "a role holding none of them gets nothing" 0 \
  "$(val h1 "SELECT COUNT(*) FROM uk_role_auth WHERE ROLEID = '1r000000000000000000000000000003'
     AND DICVALUE LIKE 'CC%'")"
expect_eq "a department granted A01 gets the workbench and its parent" "CC CC_A01" \
  "$(val h1 "SELECT dicvalue FROM uk_organrole WHERE organ_id = '1o000000000000000000000000000001'
     AND dicvalue LIKE 'CC%' ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')"
check "the nginx snippet is written" grep -q "^location /cc/ {" "$snippet"
check "with the given FastCGI socket" grep -q "fastcgi_pass unix:/run/cc/web.sock;" "$snippet"
expect_eq "the helpdesk's own rows are untouched" "$before_contacts" \
  "$(val h1 "CHECKSUM TABLE uk_contacts, cs_user, uk_organ, cs_organ_user EXTENDED")"

# --- a second install changes nothing -------------------------------------------
state1=$(host_state h1)
mtime1=$(stat -c '%i %Y' "$snippet")
plugin h1 install --nginx-snippet "$snippet" --fastcgi-socket /run/cc/web.sock
expect_eq "a second install exits 0" 0 "$rc"
expect_match "and says nothing changed" "nothing changed" "$out"
expect_eq "and changes nothing in the database" "$state1" "$(host_state h1)"
expect_eq "nor the snippet" "$mtime1" "$(stat -c '%i %Y' "$snippet")"
plugin h1 check --nginx-snippet "$snippet" --fastcgi-socket /run/cc/web.sock
expect_eq "check against the installed database passes" 0 "$rc"

# --- a database migrated by the old script stays valid ---------------------------
newdb h4
val h4 "CREATE TABLE cc_schema_version (version INT UNSIGNED NOT NULL PRIMARY KEY,
  name VARCHAR(128) NOT NULL, applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)"
for f in "$top"/sql/migrations/[0-9][0-9][0-9]_*.sql; do
  n=$(basename "$f" .sql); q h4 < "$f"
  val h4 "INSERT INTO cc_schema_version (version, name) VALUES ($((10#${n%%_*})), '$n')"
done
val h4 "CREATE INDEX cc_user_username ON cs_user (USERNAME)"
plugin h4 install
expect_eq "install on a database the old script migrated exits 0" 0 "$rc"
if grep -q "applying migration" <<<"$out"; then not_ok "and applies no migration again: $out"; else ok "and applies no migration again"; fi
expect_match "and takes over the index already there" "index cc_user_username on cs_user exists; recorded" "$out"
expect_eq "whose indexes are then complete" "$want_indexes" "$(plugin_indexes h4)"

# --- a manifest with a mistake --------------------------------------------------
newdb h2
# (libxml2 gives an element the line its start tag ends on: one-line ones here.)
line=$(grep -n '<entry code="CC" url=' "$manifest" | cut -d: -f1)
sed "${line}s/<entry code=/<entry kode=/" "$manifest" > "$work/bad.xml"
MANIFEST=$work/bad.xml plugin h2 install
expect_eq "a manifest that does not match its schema fails" 1 "$rc"
expect_match "naming its file and line" "bad.xml:$line: .*entry" "$out"
sed "${line}a\\    <entry code=\"CC\" url=\"/cc/x\" name-zh=\"重复\" name-en=\"Twice\"/>" "$manifest" > "$work/twice.xml"
line=$((line + 1))
MANIFEST=$work/twice.xml plugin h2 install
expect_eq "a menu code used twice fails" 1 "$rc"
expect_match "naming the second line" "twice.xml:$line: menu entry code 'CC' is already used" "$out"
expect_eq "and nothing is installed" "0 0" "$(cc_tables h2) $(menu_rows h2)"

# --- a helpdesk missing columns -------------------------------------------------
newdb h3 "$fixtures/missing-column.sql"
plugin h3 install --nginx-snippet "$work/h3-nginx.conf"
expect_eq "install into a helpdesk missing columns fails" 1 "$rc"
expect_match "naming each missing column" "uk_contacts\.touchtime" "$out"
expect_match "both of them" "cs_user\.lastlogintime" "$out"
expect_match "and saying nothing was installed" "nothing was installed" "$out"
expect_eq "no plugin table, menu entry or index" "0 0 " "$(cc_tables h3) $(menu_rows h3) $(plugin_indexes h3)"
check "no snippet" test ! -e "$work/h3-nginx.conf"

# --- the v7 (cosin) layout ---------------------------------------------------------
newdb h5 "$fixtures/cosin-v7.sql" "$fixtures/grants.sql"
plugin h5 install
expect_eq "install into the v7 layout exits 0" "0 8" "$rc $(menu_rows h5)"
# without_tenant DB: rows install added to the permission tables without the tenant.
without_tenant() {
  val "$1" "SELECT (SELECT COUNT(*) FROM uk_sysdic WHERE CODE LIKE 'CC%' AND NOT ORGI <=> 'cskefu')
    + (SELECT COUNT(*) FROM uk_role_auth WHERE DICVALUE LIKE 'CC%' AND NOT ORGI <=> 'cskefu')
    + (SELECT COUNT(*) FROM uk_organrole WHERE dicvalue LIKE 'CC%' AND NOT orgi <=> 'cskefu')"
}
expect_eq "and the rows it adds carry the tenant (menu, role and department grants)" 0 "$(without_tenant h5)"
expect_eq "with grants made" 10 "$(val h5 "SELECT (SELECT COUNT(*) FROM uk_role_auth WHERE DICVALUE LIKE 'CC%')
  + (SELECT COUNT(*) FROM uk_organrole WHERE dicvalue LIKE 'CC%')")"

# --- uninstall ------------------------------------------------------------------
val h1 "INSERT INTO cc_call (id, sip_call_id, node, direction, caller, callee, started_at)
  VALUES ('c0000000000000000000000000000001', 'x@y', 'node1', 'inbound', '13800138000', '4001', NOW(3))"
# A grant the helpdesk's administrator made by hand: not the installer's.
val h1 "INSERT INTO uk_role_auth (ID, ROLEID, DICVALUE) VALUES ('1a00000000000000000000000000hand',
  '1r000000000000000000000000000003', 'CC_A02')"
plugin h1 uninstall
expect_eq "uninstall exits 0" 0 "$rc"
expect_eq "the menu entries are gone" 0 "$(menu_rows h1)"
expect_eq "the installer's grants are gone (roles and departments)" "0 0" \
  "$(val h1 "SELECT COUNT(*) FROM uk_role_auth WHERE DICVALUE LIKE 'CC%' AND ID <> '1a00000000000000000000000000hand'") $(val h1 "SELECT COUNT(*) FROM uk_organrole WHERE dicvalue LIKE 'CC%'")"
expect_eq "a grant the helpdesk made itself is kept" 1 \
  "$(val h1 "SELECT COUNT(*) FROM uk_role_auth WHERE ID = '1a00000000000000000000000000hand'")"
expect_eq "the indexes are gone" "" "$(plugin_indexes h1)"
check "the snippet is gone" test ! -e "$snippet"
expect_eq "the call data is kept" 1 "$(val h1 'SELECT COUNT(*) FROM cc_call')"
expect_match "and uninstall says so" "call data\) are kept: .*cc_call" "$out"
expect_eq "nothing is left recorded" 0 "$(val h1 'SELECT COUNT(*) FROM cc_host_change')"
expect_eq "the helpdesk's own rows are untouched" "$before_contacts" \
  "$(val h1 "CHECKSUM TABLE uk_contacts, cs_user, uk_organ, cs_organ_user EXTENDED")"
plugin h1 install
expect_eq "installing again after uninstall works" "0 8 $nmigrations" \
  "$rc $(menu_rows h1) $(val h1 'SELECT COUNT(*) FROM cc_schema_version')"

# --- uninstall --purge ------------------------------------------------------------
plugin h1 uninstall --purge
expect_eq "uninstall --purge exits 0" 0 "$rc"
expect_eq "the plugin's tables are gone" 0 "$(cc_tables h1)"
expect_eq "and so are its menu entries and indexes" "0 " "$(menu_rows h1) $(plugin_indexes h1)"
expect_eq "the helpdesk's tables stay" "$before_contacts" \
  "$(val h1 "CHECKSUM TABLE uk_contacts, cs_user, uk_organ, cs_organ_user EXTENDED")"
plugin h1 uninstall
expect_eq "uninstalling what is not installed is not an error" 0 "$rc"

finish
