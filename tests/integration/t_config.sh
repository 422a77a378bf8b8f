#!/usr/bin/env bash
# Configuration as an operator meets it: the example files are what the
# programs document, mistakes are reported with file and line and stop the
# program, and the B2BUA re-reads its run-time keys on SIGHUP.
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
on_exit 'rm -rf "$tmp"'
echo "0123456789abcdef0123456789" > "$tmp/secret"

expect_eq "conf/b2bua.conf.example is what cc-b2bua documents" "" \
  "$(diff <("$bin/cc-b2bua" --print-config) "$top/conf/b2bua.conf.example")"
expect_eq "conf/web.conf.example is what cc-web documents" "" \
  "$(diff <("$bin/cc-web" --print-config) "$top/conf/web.conf.example")"

# fails FILE PROGRAM: runs PROGRAM -c FILE; prints its first error line.
fails() { timeout 10 "$bin/$2" -c "$1" 2>&1 >/dev/null | head -n 1; }

printf 'ctl_secret_file = %s\nnode_id = n1\nbogus = 1\n' "$tmp/secret" > "$tmp/a.conf"
expect_match "an unknown key names file and line" "a.conf:3: unknown key 'bogus'" "$(fails "$tmp/a.conf" cc-b2bua)"
printf 'ctl_secret_file = %s\nng_tries = 99\n' "$tmp/secret" > "$tmp/b.conf"
expect_match "a value out of bounds says the bounds" "b.conf:2: ng_tries: '99' is out of bounds \(1..10\)" "$(fails "$tmp/b.conf" cc-b2bua)"
printf 'ctl_secret_file = %s\nmax_calls = lots\n' "$tmp/secret" > "$tmp/c.conf"
expect_match "a word where a number belongs" "c.conf:2: max_calls: 'lots' is not a whole number" "$(fails "$tmp/c.conf" cc-b2bua)"
printf 'node_id n1\n' > "$tmp/d.conf"
expect_match "a line without '='" "d.conf:1: expected 'key = value'" "$(fails "$tmp/d.conf" cc-b2bua)"
printf 'ctl_secret_file = %s/none\n' "$tmp" > "$tmp/e.conf"
expect_match "a missing secret file" "none: No such file" "$(fails "$tmp/e.conf" cc-b2bua)"
printf 'threads = 0\n' > "$tmp/f.conf"
expect_match "the web app checks bounds too" "f.conf:1: threads" "$(fails "$tmp/f.conf" cc-web)"

# A manifest that does not match the schema, and one with an unsafe name.
sed 's/table="uk_contacts"/table="uk_contacts; DROP TABLE x"/' "$top/plugin-manifest.xml" > "$tmp/bad-name.xml"
printf 'ctl_secret_file = %s\nmanifest = %s\nmanifest_schema = %s\n' "$tmp/secret" "$tmp/bad-name.xml" \
  "$top/schemas/plugin-manifest.rng" > "$tmp/m1.conf"
expect_match "a table name that is not an identifier is refused" "bad-name.xml:[0-9]+:" "$(fails "$tmp/m1.conf" cc-b2bua)"
head -n 20 "$top/plugin-manifest.xml" > "$tmp/cut.xml"
printf 'ctl_secret_file = %s\nmanifest = %s\nmanifest_schema = %s\n' "$tmp/secret" "$tmp/cut.xml" \
  "$top/schemas/plugin-manifest.rng" > "$tmp/m2.conf"
expect_match "a broken manifest names its line" "cut.xml:[0-9]+:" "$(fails "$tmp/m2.conf" cc-b2bua)"

# SIGHUP: a run-time key changes without a restart, a bad file changes nothing.
stack_start --only db,rtpengine,b2bua
conf=$CC_STATE/etc/b2bua-1.conf
pid=$(cat "$CC_STATE/run/b2bua-1.pid")
echo "log_level = debug" >> "$conf"
kill -HUP "$pid"
check "SIGHUP re-reads the file" eventually 20 grep -q "reload: settings re-read" "$logs/b2bua-1.log"
ctl ping >/dev/null
check "and debug logging is on without a restart" eventually 20 grep -q "DEBUG" "$logs/b2bua-1.log"
echo "max_calls = many" >> "$conf"
kill -HUP "$pid"
check "a bad file on SIGHUP is refused" eventually 20 grep -q "reload: .*max_calls.*keeping the settings in force" "$logs/b2bua-1.log"
expect_eq "and the B2BUA keeps running" "$pid" "$(cat "$CC_STATE/run/b2bua-1.pid")"
check "and answers" ctl ping

finish
