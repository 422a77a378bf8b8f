#!/usr/bin/env bash
# A supervisor listens to a live call (docs/supervisor.md) through the whole
# stack: a gateway's call (sipp) answered by agent1's phone (sipp, playing
# G.711 audio, as the caller does); the control socket's call.monitor calls
# the supervisor's phone (demo agent2's SIP user, a sipp phone registered
# through Kamailio with tests/sip/supervisor/uas.xml), which answers
# rtpengine's two audio sections on a port where rtpparty.py counts what
# arrives: the caller's and the agent's audio, as two streams from the two
# ports of the offer. The supervisor hangs up, the call goes on; the call's
# event log has the monitoring.
. "$(dirname "$0")/lib.sh"

stack_start
work=$CC_STATE/t_monitor_call
mkdir -p "$work"
agent1_ready 60

# The supervisor's phone: agent2's SIP account, registered from 127.0.0.2,
# answering monitoring calls on rtp_port; it hangs up 6 s after answering.
rtp_port=$(free_port)
SIPP_LIMIT_S=3600 background sipp_run sup -sf "$sipdir/agent/uac.xml" \
  -oocsf "$sipdir/supervisor/uas.xml" -i 127.0.0.2 -s "$A2_SIP" -ap "$A2_SIP_PASSWORD" \
  -set stay_ms 3000000 -set expires 3600 -set rtp_port "$rtp_port" -set hangup_ms 6000
check "the supervisor's phone registers" eventually 20 registered "$A2"

out=$(ctl call.monitor call=nosuchcall sip="$A2_SIP" 2>&1)
expect_eq "call.monitor of an unknown call" unknown_call "$(jq -r .error <<<"$out")"

background caller c1 "$NUMBER" -i 127.0.0.1 -set caller 13700137001 -set until_notify 1
caller_pid=$BG_PID
check "the call is bridged to agent1" eventually 30 call_in_state bridged
call=$(ctl call.list | jq -r '.calls[] | select(.state == "bridged") | .id' | head -n 1)

out=$(ctl call.monitor call="$call" sip="$A2_SIP" mode=whisper 2>&1)
expect_eq "whisper is refused: rtpengine here cannot mix" not_supported "$(jq -r .error <<<"$out")"
out=$(ctl call.monitor call="$call" sip="$A2_SIP" mode=barge 2>&1)
expect_eq "barge is refused too" not_supported "$(jq -r .error <<<"$out")"

# The counter listens from before the INVITE for 4 s.
python3 "$top/tests/integration/rtpparty.py" --host 127.0.0.2 --port "$rtp_port" --ms 4000 \
  --detect 400 --out "$work/sup.json" &
party=$!
on_exit "stop_background $party"
out=$(ctl call.monitor call="$call" sip="$A2_SIP" mode=listen)
expect_eq "call.monitor answers the supervisor's leg" "$call sup1" \
  "$(jq -r '"\(.call) \(.monitor)"' <<<"$out")"
out=$(ctl call.monitor call="$call" sip="$A2_SIP" 2>&1)
expect_eq "a second supervisor at once is refused" monitored "$(jq -r .error <<<"$out")"

check "the supervisor's phone is called" eventually 20 has_received sup INVITE
# The offer it got: rtpengine's two sendonly sections.
offer=$(sed -n '/^INVITE /,/^-----/p' "$logs/sipp-sup.msg" | tr -d '\r')
ports=$(sed -n 's/^m=audio \([0-9]*\) .*/\1/p' <<<"$offer" | sort -n | tr '\n' ' ' | sed 's/ $//')
expect_eq "the offer has two sendonly audio sections" "2 2" \
  "$(grep -c '^m=audio' <<<"$offer") $(grep -c '^a=sendonly' <<<"$offer")"
expect_eq "the INVITE shows the caller's number" 13700137001 "$(invite_from sup)"

wait "$party"
diag "supervisor received: $(cat "$work/sup.json")"
from_ports=$(jq -r '[.streams[] | select(.packets >= 20) | .src | split(":")[1] | tonumber] | sort | map(tostring) | join(" ")' "$work/sup.json")
expect_eq "the supervisor gets a stream from each section's port (caller and agent)" \
  "$ports" "$from_ports"
n=$(jq '[.streams[].packets] | min // 0' "$work/sup.json")
if [ "${n:-0}" -ge 20 ]; then ok "each stream brought audio ($n packets or more)"; else not_ok "a stream brought $n packets"; fi
ng() { "$bin/cc-ngctl" -a "127.0.0.1:$NG_PORT" "$@"; }
expect_eq "rtpengine has the supervisor's leg in the call" sup1 \
  "$(ng -p tags.sup1.tag query call-id="$call" 2>/dev/null)"

# The supervisor hangs up (hangup_ms): the call goes on.
check "the supervisor's phone got the ACK" eventually 20 has_received sup ACK
sent_bye() { grep -q "^BYE " "$logs/sipp-sup.msg" 2>/dev/null; }
check "the supervisor hangs up (BYE)" eventually 20 sent_bye
in_bridged() { [ "$(ctl call.list | jq -r --arg c "$call" '.calls[] | select(.id == $c) | .state')" = bridged ]; }
check "the call is still bridged after the supervisor leaves" in_bridged
hang_up c1 "$caller_pid" >/dev/null
call_final_ok() { call_final "$call"; }
check "the call's record is final" eventually 30 call_final_ok
events=$(sql "SELECT GROUP_CONCAT(event ORDER BY id SEPARATOR ' ') FROM cc_call_event WHERE call_id = '$call' AND event <> 'prompt'")
expect_match "the call's log has the monitoring between answer and end" \
  'answer monitor monitor_answer monitor_end end$' "$events"
expect_eq "monitor's detail names the supervisor and the mode" "$A2_SIP listen" \
  "$(sql "SELECT detail FROM cc_call_event WHERE call_id = '$call' AND event = 'monitor'")"
expect_eq "monitor_end's says the supervisor hung up" "$A2_SIP hangup" \
  "$(sql "SELECT detail FROM cc_call_event WHERE call_id = '$call' AND event = 'monitor_end'")"
expect_eq "the call is answered" answered "$(col "$call" result)"

# --- the wallboard's 监听: the signed-in admin's own phone ----------------------------
web_setup monitor-web
tok=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
listen() {
  http "$1" -b "$tmp/ja" -H "X-CSRF-Token: $tok" -H 'Content-Type: application/json' \
    --data-binary '{}' "$base/cc/api/wallboard/calls/$2/listen"
}
expect_eq "an admin without a SIP account: 409 no_phone, said in Chinese" \
  "409 no_phone 您没有 SIP 账号，无法监听：请让管理员为您开通话机。" \
  "$(listen w0 "$call") $(json w0 .error) $(json w0 .message)"
sql "INSERT INTO cc_sip_account (user_id, username, ha1) VALUES ('$ADMIN', '1009', MD5('1009:$SIP_REALM:sip1009'))"
rtp2=$(free_port)
SIPP_LIMIT_S=3600 background sipp_run adm -sf "$sipdir/agent/uac.xml" \
  -oocsf "$sipdir/supervisor/uas.xml" -i 127.0.0.2 -s 1009 -ap sip1009 \
  -set stay_ms 3000000 -set expires 3600 -set rtp_port "$rtp2" -set hangup_ms 3000
adm_registered() { [ "$(sql "SELECT COUNT(*) FROM cc_location WHERE username = '1009' AND expires > NOW()")" -ge 1 ]; }
check "the admin's phone (1009) registers" eventually 20 adm_registered
expect_eq "an ended call: 404 unknown_call" "404 unknown_call" "$(listen w1 "$call") $(json w1 .error)"
background caller c2 "$NUMBER" -i 127.0.0.1 -set caller 13700137002 -set until_notify 1
c2=$BG_PID
check "a second call is bridged to agent1" eventually 30 call_in_state bridged
call2=$(ctl call.list | jq -r '.calls[] | select(.state == "bridged") | .id' | head -n 1)
expect_eq "监听: 200, the supervisor's leg" "200 true sup1" \
  "$(listen w2 "$call2") $(json w2 .ok) $(json w2 .monitor)"
expect_eq "without the CSRF token: 403" 403 \
  "$(http w3 -b "$tmp/ja" -H 'Content-Type: application/json' --data-binary '{}' \
     "$base/cc/api/wallboard/calls/$call2/listen")"
check "the admin's phone is called" eventually 20 has_received adm INVITE
expect_eq "it shows the caller's number" 13700137002 "$(invite_from adm)"
monitored() { [ "$(sql "SELECT COUNT(*) FROM cc_call_event WHERE call_id = '$call2' AND event = 'monitor_answer'")" = 1 ]; }
check "it answers and listens (monitor_answer in the log)" eventually 20 monitored
hang_up c2 "$c2" >/dev/null
finish
