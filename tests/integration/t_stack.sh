#!/usr/bin/env bash
# The stack's own promises: it starts with demo data and answers, a second
# start while it runs starts nothing, and stop leaves no process and no
# listening port behind.
. "$(dirname "$0")/lib.sh"

stack_start
pids=$(cat "$CC_STATE"/run/*.pid | tr '\n' ' ')
ports="$HTTP_PORT $SIP_PORT $B2BUA_PORT $NG_PORT $CTL_PORT $DB_PORT $DTMF_PORT"

check "every service answers: web" curl -fsS -o /dev/null "http://127.0.0.1:$HTTP_PORT/cc/health"
check "every service answers: Kamailio" "$bin/cc-sipping" "127.0.0.1:$SIP_PORT"
check "every service answers: B2BUA (SIP)" "$bin/cc-sipping" "127.0.0.1:$B2BUA_PORT"
check "every service answers: B2BUA (control)" ctl ping
check "every service answers: rtpengine" "$bin/cc-ngctl" -a "127.0.0.1:$NG_PORT" ping
expect_eq "demo data: three agents in one skill group" "$AGENTS 1" \
  "$(ctl agent.list | jq -r '[(.agents | length), (.agents | map(.groups[]) | unique | length)] | map(tostring) | join(" ")')"
expect_eq "demo data: contacts with phone numbers" 5 "$(sql "SELECT COUNT(*) FROM uk_contacts WHERE COALESCE(mobileno, phone, familyphone) IS NOT NULL")"
expect_eq "the migrations are recorded" 1 "$(sql "SELECT COUNT(*) FROM cc_schema_version WHERE version = 1")"
declared=$(xmllint --xpath "//*[local-name()='alters']/*[local-name()='index']/@name" "$top/plugin-manifest.xml" |
  sed 's/ *name="\([^"]*\)"/\1\n/g' | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//')
expect_eq "the helpdesk's tables carry only the indexes the manifest declares" "$declared" \
  "$(sql "SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME SEPARATOR ' ') FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'cc\_%' AND INDEX_NAME <> 'PRIMARY'")"
listening() { ss -Hlntu | awk '{print $5}' | grep -E "^127\.0\.0\.1:($(echo "$ports" | tr ' ' '|'))$" | wc -l; }
check "the services listen on 127.0.0.1" test "$(listening)" -ge 6
expect_eq "nothing listens on another address" "" \
  "$(ss -Hlntup | grep -E "pid=($(echo "$pids" | sed 's/ *$//; s/ /|/g'))," | awk '{print $5}' | grep -v '^127\.0\.0\.1:' | head -n 3)"

out=$(CC_STATE=$CC_STATE "$top/scripts/stack.sh" start --demo 2>&1)
expect_match "a second start says it is running" "already running" "$out"
expect_eq "and starts nothing" "$pids" "$(cat "$CC_STATE"/run/*.pid | tr '\n' ' ')"

"$top/scripts/stack.sh" stop >/dev/null
# A process that exited may linger as a zombie until init reaps it: gone all the same.
alive=0
for p in $pids; do
  st=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null) && [ "${st%% *}" != Z ] && alive=$((alive + 1))
done
expect_eq "stop ends every process" 0 "$alive"
expect_eq "stop leaves nothing listening" 0 "$(listening)"
expect_match "a second stop has nothing to do" "nothing running" "$("$top/scripts/stack.sh" stop 2>&1)"

finish
