#!/usr/bin/env bash
# 实时监控 (docs/wallboard.md) with the real stack: the snapshot API during
# real calls. A call waits in the demo group's queue while agent1 is on a
# break: the snapshot lists it waiting, with a wait that grows; agent1
# becomes ready and answers: the call is in progress with agent1, and
# agent1 is on call. A second call is abandoned in the queue. After both,
# today's counts and the service level of the group have grown by what was
# made. The admin's event stream with ?calls=1 carries the calls' events,
# another agent's does not. Thresholds: saved by an admin and returned,
# refused to an agent and without a token, a bad value is 400 with its
# field; the page (and its wall-screen layout) is the admin's only.
. "$(dirname "$0")/lib.sh"

stack_start
web_setup wallboard
ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
t2=$(login j2 "$A2_LOGIN" "$AGENT_PASSWORD")
expect_match "the admin and two agents sign in" '^[0-9a-f]{64} [0-9a-f]{64} [0-9a-f]{64}$' "$ta $t1 $t2"
API=$base/cc/api/wallboard
snap() { http "$1" -b "$tmp/ja" "$API?group=$GROUP" >/dev/null; }

# --- the page and the snapshot's shape ----------------------------------------------------
expect_eq "the admin's page: 200, the board and the side navigation's entry" "200 1 1" \
  "$(http p1 -b "$tmp/ja" "$base/cc/wallboard") $(grep -c 'id="wallboard"' "$tmp/p1.b") $(grep -c 'id="side-wallboard"' "$tmp/p1.b")"
expect_eq "the wall screen's layout (?kiosk=1) has no side navigation" "200 1 0" \
  "$(http p2 -b "$tmp/ja" "$base/cc/wallboard?group=$GROUP&kiosk=1") $(grep -c 'console wallboard wb-kiosk' "$tmp/p2.b") $(grep -c 'id="side-wallboard"' "$tmp/p2.b")"
expect_eq "the page states the service level's definition with T = 20 s" 1 \
  "$(grep -c '在入队后 20 秒内接通' "$tmp/p1.b")"
expect_eq "in English too" "200 1 1" \
  "$(http p6 -b "$tmp/ja" "$base/cc/wallboard?lang=en") $(grep -c '<h1 id="wallboard-heading">Wallboard' "$tmp/p6.b") $(grep -c 'answered within 20 s of joining it' "$tmp/p6.b")"
expect_eq "an agent may not open it (403), nor read the snapshot" "403 403" \
  "$(http p3 -b "$tmp/j1" "$base/cc/wallboard") $(http p4 -b "$tmp/j1" "$API")"
expect_eq "a group that does not exist: 404" 404 "$(http p5 -b "$tmp/ja" "$API?group=999999")"
expect_eq "the center's snapshot" "200 true 0" \
  "$(http s0 -b "$tmp/ja" "$API") $(json s0 .ok) $(json s0 .group)"
snap s1
expect_eq "the group's snapshot: its group, the settings' defaults" "$GROUP 20 30 60" \
  "$(json s1 '"\(.group) \(.settings.sl_target_s) \(.settings.wait_amber_s) \(.settings.wait_red_s)"')"
read -r base_total base_answered base_abandoned base_sl < <(json s1 ".groups[] | select(.id == $GROUP) | \"\(.total) \(.answered) \(.abandoned) \(.sl_in)\"")
diag "before the calls: $base_total ended, $base_answered answered, $base_abandoned abandoned, $base_sl within T"

# --- event streams: an admin's with ?calls=1, another agent's -------------------------------
background curl -s -N --max-time 170 -b "$tmp/ja" -o "$tmp/es-admin" "$base/cc/events?calls=1"
background curl -s -N --max-time 170 -b "$tmp/j2" -o "$tmp/es-agent2" "$base/cc/events?calls=1"
streams_open() { grep -q '^event: hello' "$tmp/es-admin" 2>/dev/null && grep -q '^event: hello' "$tmp/es-agent2" 2>/dev/null; }
check "both event streams are open" eventually 20 streams_open

# --- 1. a call waits in the queue --------------------------------------------------------
sql "UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = 120, wrapup_s = 0, no_answer_break = 0"
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.3 sine 440 2>/dev/null
check "the B2BUA reloads its directory" reload_dir
phone a1 1 -set answer_ms 300
check "agent1's phone registers" eventually 30 registered "$A1"
ready
set_state "$A1" not_ready rest
background caller w1 "$NUMBER" -i 127.0.0.1 -set caller 13900139501 -set until_notify 1
W1=$BG_PID
waiting_in() { snap "$1" && [ "$(json "$1" '[.calls[] | select(.caller == "13900139501" and .enqueued != null and .answered == null)] | length')" = 1 ]; }
check "the snapshot lists the call waiting in the group's queue" eventually 30 waiting_in s2
wait_of() { json "$1" '.at - (.calls[] | select(.caller == "13900139501") | .enqueued)'; }
w_a=$(wait_of s2)
grows() { waiting_in s3 && [ "$(wait_of s3)" -ge $((w_a + 1500)) ]; }
check "its wait grows (first ${w_a} ms)" eventually 20 grows
expect_eq "no agent on it yet; agent1 on a break" "null not_ready rest" \
  "$(json s3 '.calls[] | select(.caller == "13900139501") | .agent') $(json s3 ".agents[] | select(.id == \"$A1\") | \"\(.state) \(.reason)\"")"
expect_eq "the center's board has it too" 1 \
  "$(http s4 -b "$tmp/ja" "$API" >/dev/null; json s4 '[.calls[] | select(.caller == "13900139501")] | length')"

# --- 2. answered: in progress with its agent ----------------------------------------------
set_state "$A1" ready
talking() { snap s5 && [ "$(json s5 '.calls[] | select(.caller == "13900139501") | .agent // ""')" = "$A1" ] &&
  [ "$(json s5 '.calls[] | select(.caller == "13900139501") | .answered != null')" = true ]; }
check "the snapshot has the call answered by agent1" eventually 30 talking
CALL1=$(json s5 '.calls[] | select(.caller == "13900139501") | .id')
expect_eq "agent1 is on call, on that call" "on_call $CALL1" \
  "$(json s5 ".agents[] | select(.id == \"$A1\") | \"\(.state) \(.call)\"")"
hang_up w1 "$W1" >/dev/null
check "the first call's record is final" eventually 30 call_final "$CALL1"

# --- 3. abandoned in the queue ------------------------------------------------------------
check "agent1 is ready again" eventually 20 state_is "$A1" ready
set_state "$A1" not_ready rest
background caller w2 "$NUMBER" -i 127.0.0.1 -set caller 13900139502 -set until_notify 1
W2=$BG_PID
waiting2() { snap s6 && [ "$(json s6 '[.calls[] | select(.caller == "13900139502" and .enqueued != null)] | length')" = 1 ]; }
check "the second call waits" eventually 30 waiting2
CALL2=$(json s6 '.calls[] | select(.caller == "13900139502") | .id')
hang_up w2 "$W2" >/dev/null
check "the second call's record is final" eventually 30 call_final "$CALL2"
expect_eq "it was abandoned" abandoned "$(col "$CALL2" result)"

# --- 4. today's counts -------------------------------------------------------------------
snap s7
expect_eq "no call of ours is in progress any more" 0 \
  "$(json s7 '[.calls[] | select(.caller == "13900139501" or .caller == "13900139502")] | length')"
within=$(sql "SELECT TIMESTAMPDIFF(MICROSECOND, enqueued_at, answered_at) <= 20000000 FROM cc_call WHERE id = '$CALL1'")
expect_eq "the group's counts grew by the calls made (2 ended, 1 answered, 1 abandoned, $within within T)" \
  "$((base_total + 2)) $((base_answered + 1)) $((base_abandoned + 1)) $((base_sl + within))" \
  "$(json s7 ".groups[] | select(.id == $GROUP) | \"\(.total) \(.answered) \(.abandoned) \(.sl_in)\"")"
expect_eq "both calls are among the recently ended" "true true" \
  "$(json s7 "(.ended | index(\"$CALL1\") != null), (.ended | index(\"$CALL2\") != null)" | tr '\n' ' ' | sed 's/ $//')"

# --- 5. the event streams -------------------------------------------------------------------
has_ev() { grep -q "^event: $2\$" "$tmp/$1" && grep -q "\"call\":\"$3\"" "$tmp/$1"; }
admin_saw() { has_ev es-admin call.ended "$CALL2" && grep -A1 '^event: call.answered' "$tmp/es-admin" | grep -q "$CALL1"; }
check "the admin's stream (?calls=1) carried call.queued, call.answered and call.ended" eventually 20 admin_saw
expect_eq "agent2's stream carried none of agent1's calls" 0 \
  "$(grep -c -e "$CALL1" -e "$CALL2" "$tmp/es-agent2")"

# --- 6. thresholds ---------------------------------------------------------------------------
SET=$base/cc/api/wallboard/settings
expect_eq "an admin saves thresholds" "200 true 15" \
  "$(http t1 -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' \
      --data '{"wait_amber_s": 10, "wait_red_s": 40, "sl_target_s": 15, "waiting_amber": 2, "waiting_red": 4, "sl_amber": 90, "sl_red": 70}' "$SET") $(json t1 .ok) $(json t1 .settings.sl_target_s)"
expect_eq "they are returned" "200 10 40 15 2 4 90 70" \
  "$(http t2 -b "$tmp/ja" "$SET") $(json t2 '.settings | "\(.wait_amber_s) \(.wait_red_s) \(.sl_target_s) \(.waiting_amber) \(.waiting_red) \(.sl_amber) \(.sl_red)"')"
expect_eq "and the snapshot uses them" "10 40 15" \
  "$(snap t3; json t3 '.settings | "\(.wait_amber_s) \(.wait_red_s) \(.sl_target_s)"')"
expect_eq "stored as cc_setting rows" "15" "$(sql "SELECT value FROM cc_setting WHERE name = 'wallboard.sl_target_s'")"
expect_eq "the save is audited" 1 \
  "$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'wallboard' AND action = 'update'")"
expect_eq "an agent's POST is refused (403)" 403 \
  "$(http t4 -b "$tmp/j1" -H "X-CSRF-Token: $t1" -H 'Content-Type: application/json' --data '{"wait_amber_s": 5}' "$SET")"
expect_eq "an admin's POST without the token is refused (403)" 403 \
  "$(http t5 -b "$tmp/ja" -H 'Content-Type: application/json' --data '{"wait_amber_s": 5}' "$SET")"
bad() { http "$1" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' --data "$2" "$SET" >/dev/null
  echo "$(head -n 1 "$tmp/$1.h" | awk '{ print $2 }') $(json "$1" .field)"; }
expect_eq "a value that is no number: 400, its field" "400 sl_amber" "$(bad b1 '{"sl_amber": "abc"}')"
expect_eq "out of bounds: 400, its field" "400 waiting_red" "$(bad b2 '{"waiting_red": 0}')"
expect_eq "red wait below amber: 400, the red field" "400 wait_red_s" "$(bad b3 '{"wait_red_s": 5}')"
expect_eq "a fraction: 400" "400 sl_target_s" "$(bad b4 '{"sl_target_s": "2.5"}')"
expect_eq "nothing of the refused values was kept" "10 40 15 4" \
  "$(http t6 -b "$tmp/ja" "$SET" >/dev/null; json t6 '.settings | "\(.wait_amber_s) \(.wait_red_s) \(.sl_target_s) \(.waiting_red)"')"
expect_eq "the page's form saves and goes back to the board" "303 /cc/wallboard?group=$GROUP&saved=1" \
  "$(http f1 -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data "group=$GROUP&wait_amber_s=12" "$base/cc/wallboard/settings") $(hdr f1 Location | sed 's|^https\?://[^/]*||')"
expect_eq "a bad value from the form names its field" "303 /cc/wallboard?settings_error=sl_red" \
  "$(http f2 -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data "sl_red=95" "$base/cc/wallboard/settings") $(hdr f2 Location | sed 's|^https\?://[^/]*||')"
expect_eq "the page shows the error" "1" \
  "$(http f3 -b "$tmp/ja" "$base/cc/wallboard?settings_error=sl_red" >/dev/null; grep -c 'id="wb-settings-error"' "$tmp/f3.b")"

# --- a supervisor: 通话监控 (A12_A01_A01) through a role, not an admin ------------------
sql "INSERT INTO uk_role (ID, NAME, CODE, CREATETIME) VALUES ('0r0000000000000000000000000000b1', '班长', 'MONITOR', NOW());
     INSERT INTO uk_role_auth (ID, NAME, ROLEID, DICID, DICVALUE, CREATETIME) VALUES
       ('0x0000000000000000000000000000b1', '通话监控', '0r0000000000000000000000000000b1', '40288881640eba2a01640f8599db07ec', 'A12_A01_A01', NOW());
     INSERT INTO uk_userrole (id, user_id, role_id, createtime) VALUES
       ('0y0000000000000000000000000000b1', '$STAFF', '0r0000000000000000000000000000b1', NOW())"
tsup=$(login jsup "$STAFF_LOGIN" "$STAFF_PASSWORD")
expect_match "a user granted 通话监控 through a role signs in" '^[0-9a-f]{64}$' "$tsup"
expect_eq "and lands on the wallboard" "/cc/wallboard" \
  "$(http sup-home -b "$tmp/jsup" "$base/cc/" >/dev/null; hdr sup-home Location | sed 's|^https\?://[^/]*||')"
expect_eq "the board, with its menu entry, without the settings' form" "200 1 0" \
  "$(http sup-page -b "$tmp/jsup" "$base/cc/wallboard") $(grep -c 'id="nav-wallboard"' "$tmp/sup-page.b") $(grep -c 'id="wb-settings-form"' "$tmp/sup-page.b")"
expect_eq "the snapshot (200)" 200 "$(http sup-api -b "$tmp/jsup" "$API")"
expect_eq "but not the settings (403) nor the admin console (403)" "403 403" \
  "$(http sup-set -b "$tmp/jsup" -H "X-CSRF-Token: $tsup" -H 'Content-Type: application/json' --data '{"wait_amber_s": 5}' "$SET") $(http sup-adm -b "$tmp/jsup" "$base/cc/admin")"
expect_eq "listening without a phone of its own: 409 no_phone" "409 no_phone" \
  "$(http sup-listen -b "$tmp/jsup" -H "X-CSRF-Token: $tsup" -H 'Content-Type: application/json' --data '{}' "$base/cc/api/wallboard/calls/nosuchcall/listen") $(json sup-listen .error)"

finish
