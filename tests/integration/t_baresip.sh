#!/usr/bin/env bash
# A real softphone on both ends: baresip as an agent's phone (digest
# registration, auto-answer, real RTP from a WAV file) with sipp as the
# gateway, and baresip as the caller with a sipp agent's phone answering.
. "$(dirname "$0")/lib.sh"

stack_start
sql "UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = 30, wrapup_s = 0"
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.5 sine 440 2>/dev/null
check "the B2BUA reloads its directory" reload_dir

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
# its commands from the FIFO DIR/in if there is one (with module stdio.so),
# bounded in time (timeout passes a TERM on to it).
run_baresip() {
  local dir=$1 in=/dev/null; shift
  [ -p "$dir/in" ] && in=$dir/in
  exec timeout 90 baresip -f "$dir" "$@" < "$in" > "$dir/out.log" 2>&1
}

# --- 1. baresip as agent2's phone -----------------------------------------------
phone=$CC_STATE/baresip-agent
baresip_config "$phone" "127.0.0.4:$(free_port)"
echo "<sip:$A2_SIP@$SIP_REALM>;auth_pass=$A2_SIP_PASSWORD;outbound=\"sip:127.0.0.1:$SIP_PORT\";regint=300;answermode=auto;audio_codecs=PCMA" \
  > "$phone/accounts"
background run_baresip "$phone"
check "baresip registers as $A2_SIP with digest auth" eventually 20 registered "$A2"
expect_match "Kamailio holds baresip's contact" "baresip" \
  "$(sql "SELECT user_agent FROM cc_location WHERE username = '$A2_SIP'")"
set_state "$A2" ready
# The gateway hangs up when told, once the media has been counted.
background caller g1 "$NUMBER" -i 127.0.0.1 -set caller "$KNOWN_CALLER" -set until_notify 1
g1=$BG_PID
if eventually 30 call_in_state bridged; then
  ok "baresip answers the call"
  call=$(ctl call.list | jq -r '.calls[0].id')
  check "RTP from the caller reaches rtpengine" eventually 20 rtp_from "$call" caller 20
  check "RTP from baresip reaches rtpengine" eventually 20 rtp_from "$call" ag1 20
else
  not_ok "baresip answers the call"
fi
hang_up g1 "$g1"; check "the gateway's call completes" test $? -eq 0
expect_eq "answered by agent2 on baresip, caller hung up" "answered caller $A2" \
  "$(col "$(call_of g1)" "CONCAT_WS(' ', result, hangup_side, agent_id)")"
set_state "$A2" logged_out

# --- 2. baresip as the caller --------------------------------------------------------
phone a1 1 -set answer_ms 300
check "the sipp phone registers as $A1_SIP" eventually 20 registered "$A1"
set_state "$A1" ready
caller_dir=$CC_STATE/baresip-caller
baresip_config "$caller_dir" "127.0.0.1:$(free_port)"
echo "module stdio.so" >> "$caller_dir/config"
echo "<sip:$CONTACT3_CALLER@127.0.0.1>;regint=0;audio_codecs=PCMA" > "$caller_dir/accounts"
# Dials the number through Kamailio; once agent1 answers, told to quit
# (hanging up) on its standard input. The test holds the FIFO open, so
# baresip's reading end opens at once.
mkfifo "$caller_dir/in"
exec 7<>"$caller_dir/in"
background run_baresip "$caller_dir" -e "/dial sip:$NUMBER@127.0.0.1:$SIP_PORT"
baresip_caller=$BG_PID
bridged_from() { ctl call.list | jqe --arg c "$1" '.calls[] | select(.caller == $c and .state == "bridged")' >/dev/null; }
eventually 30 bridged_from "$CONTACT3_CALLER" || diag "baresip's call was not bridged"
echo /quit >&7
wait "$baresip_caller"
exec 7>&-
call=$(last_call "$CONTACT3_CALLER")
expect_eq "baresip's call is answered by agent1" "answered $A1" "$(col "$call" "CONCAT_WS(' ', result, agent_id)")"
expect_eq "and ended by the caller" caller "$(col "$call" hangup_side)"
expect_eq "the contact 周杰 was found by baresip's number" "$CONTACT3" "$(col "$call" contact_id)"
check "agent1's phone got the BYE" eventually 20 has_received a1 BYE

finish
