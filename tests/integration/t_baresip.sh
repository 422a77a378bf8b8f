#!/usr/bin/env bash
# A real softphone on both ends: baresip as an agent's phone (digest
# registration, auto-answer, real RTP from a WAV file) with sipp as the
# gateway, and baresip as the caller with a sipp agent's phone answering.
. "$(dirname "$0")/lib.sh"

stack_start
A1=0u000000000000000000000000000002
A2=0u000000000000000000000000000003
sql "UPDATE cc_skill_group SET ring_timeout_s = 10, max_wait_s = 20, wrapup_s = 0"
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.5 sine 440 2>/dev/null
check "the B2BUA reloads its directory" reload_dir
sleep 0.5

# baresip_config DIR LISTEN: a headless profile: G.711, audio from a WAV
# file, nothing played back to a sound card.
baresip_config() {
  mkdir -p "$1"
  sox -n -r 8000 -c 1 -b 16 "$1/tone.wav" synth 30 sine 440 vol 0.3 2>/dev/null
  cat > "$1/config" <<CONF
sip_listen $2
audio_player aufile,$1/heard.wav
audio_source aufile,$1/tone.wav
audio_alert aufile,$1/alert.wav
module_path /usr/lib/baresip/modules
module g711.so
module aufile.so
module_app account.so
module_app menu.so
CONF
}
# run_baresip DIR ARGS...: baresip with profile DIR, its output in DIR/out.log,
# bounded in time (timeout passes a TERM on to it).
run_baresip() {
  local dir=$1; shift
  exec timeout 90 baresip -f "$dir" "$@" > "$dir/out.log" 2>&1
}
registered() { [ "$(ctl agent.get agent="$1" | jq -r .agent.registered)" = true ]; }
call_bridged() { ctl call.list | jq -e '.calls[] | select(.state == "bridged")' >/dev/null; }
packets_from() { # CALL TAG
  "$bin/cc-ngctl" -a "127.0.0.1:$NG_PORT" query call-id="$1" |
    jq "[.tags[\"$2\"].medias[]?.streams[]?.stats.packets // 0] | add // 0"
}
last_call() { sql "SELECT id FROM cc_call ORDER BY started_at DESC LIMIT 1"; }

# --- 1. baresip as agent2's phone -----------------------------------------------
phone=$CC_STATE/baresip-agent
baresip_config "$phone" "127.0.0.4:$((SIP_PORT + 1000))"
echo "<sip:1002@$SIP_REALM>;auth_pass=sip1002;outbound=\"sip:127.0.0.1:$SIP_PORT\";regint=300;answermode=auto;audio_codecs=PCMA" \
  > "$phone/accounts"
background run_baresip "$phone" -t 80
check "baresip registers as 1002 with digest auth" eventually 10 registered "$A2"
expect_match "Kamailio holds baresip's contact" "baresip" \
  "$(sql "SELECT user_agent FROM cc_location WHERE username = '1002'")"
ctl agent.state agent="$A2" state=ready >/dev/null
background caller g1 4001 -i 127.0.0.1 -set caller 13800138000 -set hold_ms 5000
g1=$BG_PID
if eventually 10 call_bridged; then
  ok "baresip answers the call"
  call=$(ctl call.list | jq -r '.calls[0].id')
  sleep 1.5
  check "RTP from the caller reaches rtpengine" test "$(packets_from "$call" caller)" -gt 20
  check "RTP from baresip reaches rtpengine" test "$(packets_from "$call" ag1)" -gt 20
else
  not_ok "baresip answers the call"
fi
wait "$g1"; check "the gateway's call completes" test $? -eq 0
call=$(last_call)
expect_eq "answered by agent2 on baresip, caller hung up" "answered caller $A2" \
  "$(sql "SELECT CONCAT_WS(' ', result, hangup_side, agent_id) FROM cc_call WHERE id = '$call'")"
ctl agent.state agent="$A2" state=logged_out >/dev/null

# --- 2. baresip as the caller --------------------------------------------------------
background agent a1 1001 sip1001 -set stay_ms 120000 -set answer_ms 300
check "the sipp phone registers as 1001" eventually 10 registered "$A1"
ctl agent.state agent="$A1" state=ready >/dev/null
caller_dir=$CC_STATE/baresip-caller
baresip_config "$caller_dir" "127.0.0.1:$((SIP_PORT + 1001))"
echo "<sip:13700137000@127.0.0.1>;regint=0;audio_codecs=PCMA" > "$caller_dir/accounts"
# Dials 4001 through Kamailio and quits (hanging up) after 8 seconds.
(run_baresip "$caller_dir" -t 8 -e "/dial sip:4001@127.0.0.1:$SIP_PORT")
call=$(sql "SELECT id FROM cc_call WHERE caller = '13700137000' ORDER BY started_at DESC LIMIT 1")
expect_eq "baresip's call is answered by agent1" "answered $A1" \
  "$(sql "SELECT CONCAT_WS(' ', result, agent_id) FROM cc_call WHERE id = '$call'")"
expect_eq "and ended by the caller" caller "$(sql "SELECT hangup_side FROM cc_call WHERE id = '$call'")"
expect_eq "the contact 周杰 was found by baresip's number" 0c000000000000000000000000000003 \
  "$(sql "SELECT contact_id FROM cc_call WHERE id = '$call'")"
check "agent1's phone got the BYE" eventually 3 test "$(grep -c '^BYE sip:' "$logs/sipp-a1.msg")" -ge 1

finish
