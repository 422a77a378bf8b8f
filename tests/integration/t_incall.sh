#!/usr/bin/env bash
# The agent's in-call controls through the real stack (docs/incall.md): a
# gateway's call (sipp, with the caller's RTP played and counted by
# rtpparty.py, by SSRC) answered by a demo agent's phone (sipp).
#  1. Hold from the workbench: the caller hears music and no longer the
#     agent, until taken back; mute: the caller does not hear the agent;
#     keys sent to the far end: the caller hears their tones;
#     the record counts the hold, the timeline has each action.
#  2. Hold from the phone's own button (re-INVITE sendonly, then sendrecv):
#     both answered 200, the caller hears music meanwhile.
#  3. Blind transfer to a second agent from the workbench: the first phone
#     is hung up, the second rings and talks (rtpengine relays its RTP), the
#     pop names the second agent and the same contact; the record is the
#     second agent's, transferred once.
#  4. Blind transfer to the skill group: another agent takes it.
#  5. Consult: agent2 consulted and answering, back to the caller; then
#     consulted again and the transfer completed (agent1 hung up, the call
#     agent2's, two holds and one transfer in its record).
#  6. Hang-up from the workbench, and the refusals (no call, a target that
#     is none, oneself, an agent signed out, no such group).
. "$(dirname "$0")/lib.sh"

stack_start
web_setup incall

# party NAME: an RTP party (rtpparty.py) on a free port ($PARTY_PORT),
# counting what it hears into $tmp/NAME.json as it goes; its peer
# (rtpengine's port for it) is given once known (peer NAME PORT).
party() {
  PARTY_PORT=$(free_port)
  background python3 "$top/tests/integration/rtpparty.py" --port "$PARTY_PORT" \
    --peer-file "$tmp/$1.peer" --out "$tmp/$1.json" --live --ms 600000
}
# The port rtpengine's SDP gives a caller (in the 200 sipp run NAME got), and
# a phone (in the last INVITE it got).
answered_sdp_port() {
  sed -n '/^SIP\/2.0 200/,/^-----/p' "$logs/sipp-$1.msg" | sed -n 's/^m=audio \([0-9]*\) .*/\1/p' |
    head -n 1
}
invite_sdp_port() {
  sed -n '/^INVITE sip:/,/^-----/p' "$logs/sipp-$1.msg" | sed -n 's/^m=audio \([0-9]*\) .*/\1/p' |
    tail -n 1
}
peer() {
  eventually 30 test -n "$2" || diag "no SDP port for party $1"
  echo "127.0.0.1:$2" > "$tmp/$1.peer"
}
own_ssrc() { jq -r .ssrc "$tmp/$1.json" 2>/dev/null; }

# agent1's phone talks through a party of its own (what agent1 hears is
# counted); a3's phone holds by itself (its own button) 1 s after
# answering, for 4 s.
party pa
pa_port=$PARTY_PORT
three_agents 30 30 "-set answer_ms 300 -set rtp_port $pa_port" "-set answer_ms 300" \
  "-set answer_ms 300 -set hold_ms 1000 -set unhold_ms 4000"
check "agent1's party runs" eventually 10 test -s "$tmp/pa.json"
# heard NAME SSRC: packets of SSRC the party has received; heard_other NAME
# SSRC: packets of every other.
heard() { jq -r --arg s "$2" '.ssrcs[$s] // 0' "$tmp/$1.json" 2>/dev/null || echo 0; }
heard_other() { jq -r --arg s "$2" '[.ssrcs | to_entries[] | select(.key != $s) | .value] | add // 0' "$tmp/$1.json" 2>/dev/null || echo 0; }
more_than() { [ "$($1 "$2" "$3")" -gt "$4" ]; }
# ssrc_of CALL TAG: the SSRC rtpengine sees from party TAG.
ssrc_of() {
  "$bin/cc-ngctl" -a "127.0.0.1:$NG_PORT" query call-id="$1" 2>/dev/null |
    jq -r "[.tags[\"$2\"].medias[]?.streams[]?.SSRC // empty][0] // 0"
}

# act TOKEN_JAR NAME ACTION [BODY]: POST /cc/api/agent/call/ACTION; the status.
act() {
  local jar=$1 name=$2 action=$3 body=${4:-"{}"} tok
  tok=$(cat "$tmp/$jar.tok")
  http "$name" -b "$tmp/$jar" -H "X-CSRF-Token: $tok" -H 'Content-Type: application/json' \
    --data-binary "$body" "$base/cc/api/agent/call/$action"
}
call_held() { ctl call.list | jqe --arg id "$1" '.calls[] | select(.id == $id and .held and .state == "held")' >/dev/null; }
call_talking() { ctl call.list | jqe --arg id "$1" --arg a "$2" '.calls[] | select(.id == $id and .state == "bridged" and .agent == $a and (.held | not))' >/dev/null; }
bridged_id() { ctl call.list | jq -r '.calls[] | select(.state == "bridged") | .id' | head -n 1; }
events_of() { sql "SELECT GROUP_CONCAT(CONCAT(event, IF(detail IS NULL, '', CONCAT(':', detail))) ORDER BY id SEPARATOR ' ') FROM cc_call_event WHERE call_id = '$1' AND event IN ('hold', 'resume', 'mute', 'unmute', 'dtmf_send', 'transfer')" | sed 's/ [0-9]* ms//g'; }

login j1 "$A1_LOGIN" "$AGENT_PASSWORD" > "$tmp/j1.tok"
login j2 "$A2_LOGIN" "$AGENT_PASSWORD" > "$tmp/j2.tok"

# --- 1. hold, resume, mute and unmute from the workbench ---------------------------------------
ready "$A1"
expect_eq "no call: hold is refused (409 not_talking, in Chinese)" "409 not_talking 您当前没有进行中的通话。" \
  "$(act j1 r0 hold) $(json r0 .error) $(json r0 .message)"
party p1
background caller c1 "$NUMBER" -i 127.0.0.1 -set until_notify 1 -set rtp_port "$PARTY_PORT"
c1=$BG_PID
check "the call is bridged to agent1" eventually 30 call_in_state bridged
id=$(bridged_id)
peer p1 "$(answered_sdp_port c1)"
peer pa "$(invite_sdp_port a1)"
agent_ssrc=$(own_ssrc pa) caller_ssrc=$(own_ssrc p1)
check "the caller hears agent1" eventually 20 more_than heard p1 "$agent_ssrc" 50
check "agent1 hears the caller" eventually 20 more_than heard pa "$caller_ssrc" 50
check "rtpengine receives the caller's RTP" eventually 20 rtp_from "$id" caller 20

expect_eq "hold: 200, for the call" "200 true $id" "$(act j1 h1 hold) $(json h1 .ok) $(json h1 .call)"
check "the call is held" eventually 10 call_held "$id"
expect_eq "hold again: 409 on_hold" "409 on_hold" "$(act j1 h2 hold) $(json h2 .error)"
# The caller's music is rtpengine's player: a stream of its own.
check "the held caller hears music" eventually 20 more_than heard_other p1 "$agent_ssrc" 50
at=$(heard p1 "$agent_ssrc") ac=$(heard pa "$caller_ssrc") ag=$(rtp_packets "$id" ag1)
check "agent1's phone goes on sending meanwhile" eventually 20 rtp_from "$id" ag1 $((ag + 50))
held_extra=$(( $(heard p1 "$agent_ssrc") - at )) heard_caller=$(( $(heard pa "$caller_ssrc") - ac ))
check "but the held caller does not hear agent1 ($held_extra packets of agent1 while 50 came)" \
  test "$held_extra" -le 5
check "nor agent1 the caller ($heard_caller)" test "$heard_caller" -le 5
expect_eq "resume: 200" "200 true" "$(act j1 h3 resume) $(json h3 .ok)"
check "the call talks again" eventually 10 call_talking "$id" "$A1"
check "the caller hears agent1 again" eventually 20 more_than heard p1 "$agent_ssrc" $((at + 50))
music=$(heard_other p1 "$agent_ssrc")
check "and the music stopped" eventually 20 more_than heard p1 "$agent_ssrc" $((at + 100))
expect_eq "no more music since (at most a few packets in flight)" 1 \
  "$(( $(heard_other p1 "$agent_ssrc") - music <= 5 ))"

expect_eq "mute: 200" "200 true" "$(act j1 m1 mute) $(json m1 .ok)"
call_muted() { ctl call.list | jqe --arg id "$1" '.calls[] | select(.id == $id and .muted)' >/dev/null; }
check "call.list says muted" eventually 10 call_muted "$id"
at=$(heard p1 "$agent_ssrc") ac=$(heard pa "$caller_ssrc") ag=$(rtp_packets "$id" ag1)
check "agent1's phone goes on sending while muted" eventually 20 rtp_from "$id" ag1 $((ag + 50))
muted_extra=$(( $(heard p1 "$agent_ssrc") - at ))
check "the caller does not hear agent1 while muted ($muted_extra)" test "$muted_extra" -le 5
check "while agent1 still hears the caller" more_than heard pa "$caller_ssrc" $((ac + 25))
expect_eq "unmute: 200" "200 true" "$(act j1 m2 unmute) $(json m2 .ok)"
check "the caller hears agent1 again after unmute" eventually 20 more_than heard p1 "$agent_ssrc" $((at + 50))
tones=$(heard_other p1 "$agent_ssrc")
expect_eq "keys to the far end: 200" "200 true" "$(act j1 k1 dtmf '{"digits": "1#"}') $(json k1 .ok)"
# Two keys of 200 ms: 20 packets of rtpengine's player.
check "the caller hears the keys' tones" eventually 20 more_than heard_other p1 "$agent_ssrc" $((tones + 15))
check "then agent1 again" eventually 20 more_than heard p1 "$agent_ssrc" $(( $(heard p1 "$agent_ssrc") + 25 ))
expect_eq "keys that are none: 400 bad_keys" "400 bad_keys" "$(act j1 k2 dtmf '{"digits": "1x"}') $(json k2 .error)"
hang_up c1 "$c1" >/dev/null
id=$(final_call "id = '$id'" "call 1")
expect_eq "the timeline: hold, resume, mute, unmute, the keys, from the workbench" \
  "hold:workbench resume:workbench mute unmute dtmf_send:1#" "$(events_of "$id")"
expect_eq "the record: answered by agent1, held once" "answered $A1 1" \
  "$(sql "SELECT result, agent_id, holds FROM cc_call WHERE id = '$id'" | tr '\t' ' ')"
check "the hold time is counted" test "$(col "$id" hold_ms)" -gt 0

# --- 2. hold from the phone's own button -----------------------------------------------------------
ready "$A3"
party p2
background caller c2 "$NUMBER" -i 127.0.0.1 -set until_notify 1 -set rtp_port "$PARTY_PORT"
c2=$BG_PID
check "the call is bridged to agent3" eventually 30 call_in_state bridged
id=$(bridged_id)
peer p2 c2
phone_held() { [ "$(sql "SELECT COUNT(*) FROM cc_call_event WHERE call_id = '$id' AND event = 'resume'")" = 1 ]; }
check "the phone holds and takes the call back (call.resume)" eventually 40 phone_held
answered_reinvites() { sed -n '/^SIP\/2.0 200/,/^-----/p' "$logs/sipp-a3.msg" | grep -c '^CSeq: [23] INVITE'; }
expect_eq "both re-INVITEs were answered 200" 2 "$(answered_reinvites)"
# The player's stream: what the caller heard that agent3's phone did not send.
a3_ssrc=$(ssrc_of "$id" ag1)
check "the caller heard music while held" test "$(heard_other p2 "$a3_ssrc")" -gt 100
hang_up c2 "$c2" >/dev/null
id=$(final_call "id = '$id'" "call 2")
expect_eq "the timeline: hold and resume by the phone" "hold:phone resume:phone" "$(events_of "$id")"
expect_eq "the record counts the hold" 1 "$(col "$id" holds)"

# --- 3. blind transfer to another agent ----------------------------------------------------------
ready "$A1" "$A2"
background "$bin/cc-ctl" -a "$CTL_ADDR" -s "$CTL_SECRET_FILE" -e call.answered -n 2 -w 90 \
  >"$logs/ctl-pop.out" 2>"$logs/ctl-pop.err"
check "a client subscribes to call.answered" eventually 20 grep -q subscribed "$logs/ctl-pop.err"
a2_invites=$(received a2 INVITE) a1_byes=$(received a1 BYE)
background caller c3 "$NUMBER" -i 127.0.0.1 -set until_notify 1
c3=$BG_PID
check "the call is bridged to agent1" eventually 30 call_in_state bridged
id=$(bridged_id)
# agent1 writes a note; agent2's workbench (its event stream) will get it
# with the pop of the transferred call.
background curl -sN --max-time 170 -b "$tmp/j2" -o "$tmp/es-agent2" "$base/cc/events"
check "agent2's event stream is open" eventually 20 grep -qs '^event: hello' "$tmp/es-agent2"
answered_by_a1() { [ "$(col "$id" agent_id)" = "$A1" ]; }
check "the record names agent1" eventually 20 answered_by_a1
expect_eq "agent1 saves a note with the call" 200 \
  "$(http n1 -b "$tmp/j1" -H "X-CSRF-Token: $(cat "$tmp/j1.tok")" --data-urlencode "_id=$CONTACT" \
     --data-urlencode "_call=$id" --data-urlencode "_note=客户要改地址" "$base/cc/api/contacts/save")"
expect_eq "transfer to oneself: 409 same_agent" "409 same_agent" \
  "$(act j1 t0 transfer "{\"to\": \"agent:$A1\"}") $(json t0 .error)"
expect_eq "transfer to a target that is none: 400 bad_target" "400 bad_target" \
  "$(act j1 t1 transfer '{"to": "desk:7"}') $(json t1 .error)"
expect_eq "transfer to no such group: 404 unknown_group" "404 unknown_group" \
  "$(act j1 t2 transfer '{"to": "group:999"}') $(json t2 .error)"
expect_eq "transfer to agent3, signed out: 409 agent_unavailable" "409 agent_unavailable" \
  "$(act j1 t3 transfer "{\"to\": \"agent:$A3\"}") $(json t3 .error)"
expect_eq "the targets list agent2 (ready), the group, no agent1" "ready true 0" \
  "$(http tg -b "$tmp/j1" "$base/cc/api/agent/transfer-targets" >/dev/null
     json tg "[(.agents[] | select(.id == \"$A2\") | .state), (.groups | any(.id == $GROUP)), (.agents | map(select(.id == \"$A1\")) | length)] | join(\" \")")"
expect_eq "transfer to agent2: 200" "200 true $id" \
  "$(act j1 t4 transfer "{\"to\": \"agent:$A2\"}") $(json t4 .ok) $(json t4 .call)"
check "agent1's phone is hung up" eventually 20 has_received a1 BYE $((a1_byes + 1))
check "agent2's phone rings" eventually 20 has_received a2 INVITE $((a2_invites + 1))
check "the call talks with agent2" eventually 30 call_talking "$id" "$A2"
check "rtpengine relays agent2's RTP" eventually 20 rtp_from "$id" ag2 20
check "the pops came (agent1's, then agent2's)" eventually 20 test "$(wc -l < "$logs/ctl-pop.out")" -ge 2
expect_eq "the second pop: agent2, the same customer's contact, after one transfer" \
  "$id $A2 $CONTACT 1" \
  "$(tail -n 1 "$logs/ctl-pop.out" | jq -r '[.call, .agent, .contact, .transfers] | join(" ")')"
expect_eq "the first pop's call had no transfer" 0 "$(head -n 1 "$logs/ctl-pop.out" | jq -r .transfers)"
pop_note() { grep '^data: ' "$tmp/es-agent2" | sed 's/^data: //' |
  jq -r --arg id "$id" 'select(.call == $id and .note != null) | .note.note' 2>/dev/null | head -n 1; }
check "agent2's pop carries agent1's note" eventually 20 eval '[ "$(pop_note)" = 客户要改地址 ]'
check "agent1 is free again" eventually 20 state_is "$A1" ready
expect_eq "transfer with no call now: 409 not_talking" "409 not_talking" \
  "$(act j1 t5 transfer "{\"to\": \"agent:$A2\"}") $(json t5 .error)"
hang_up c3 "$c3" >/dev/null
id=$(final_call "id = '$id'" "call 3")
expect_eq "the timeline: the transfer, by agent1" "transfer:agent:$A2 workbench $A1" \
  "$(events_of "$id") $(sql "SELECT agent_id FROM cc_call_event WHERE call_id = '$id' AND event = 'transfer'")"
expect_eq "the record: answered, agent2's, transferred once" "answered $A2 1" \
  "$(sql "SELECT result, agent_id, transfers FROM cc_call WHERE id = '$id'" | tr '\t' ' ')"
check "answered when agent1 answered (before the transfer)" \
  test "$(sql "SELECT answered_at < (SELECT at FROM cc_call_event WHERE call_id = '$id' AND event = 'transfer') FROM cc_call WHERE id = '$id'")" = 1

# --- 4. blind transfer to the skill group ---------------------------------------------------------
ready "$A1" "$A2"
a2_invites=$(received a2 INVITE)
background caller c4 "$NUMBER" -i 127.0.0.1 -set until_notify 1
c4=$BG_PID
check "the call is bridged to agent1" eventually 30 call_in_state bridged
id=$(bridged_id)
expect_eq "transfer to the group: 200" "200 true" \
  "$(act j1 g1 transfer "{\"to\": \"group:$GROUP\"}") $(json g1 .ok)"
check "the group's agent idle longest, agent2, takes it" eventually 30 call_talking "$id" "$A2"
hang_up c4 "$c4" >/dev/null
id=$(final_call "id = '$id'" "call 4")
expect_eq "the record: agent2's, transferred to the group" "$A2 transfer:group:$GROUP workbench" \
  "$(col "$id" agent_id) $(events_of "$id")"

# --- 5. consult: cancelled, then completed -------------------------------------------------
ready "$A1" "$A2"
background caller c6 "$NUMBER" -i 127.0.0.1 -set until_notify 1
c6=$BG_PID
check "the call is bridged to agent1" eventually 30 call_in_state bridged
id=$(bridged_id)
call_consulting() { ctl call.list | jqe --arg id "$1" '.calls[] | select(.id == $id and .state == "consult")' >/dev/null; }
a2_invites=$(received a2 INVITE) a2_byes=$(received a2 BYE) a1_byes=$(received a1 BYE)
expect_eq "consult with agent1 itself: 409 same_agent" "409 same_agent" \
  "$(act j1 q0 consult "{\"to\": \"agent:$A1\"}") $(json q0 .error)"
expect_eq "complete with no consultation: 409 not_consulting" "409 not_consulting" \
  "$(act j1 q00 consult/complete) $(json q00 .error)"
expect_eq "consult agent2: 200" "200 true" "$(act j1 q1 consult "{\"to\": \"agent:$A2\"}") $(json q1 .ok)"
check "the call is consulting" eventually 10 call_consulting "$id"
check "agent2's phone rings" eventually 20 has_received a2 INVITE $((a2_invites + 1))
check "agent2 answers the consultation" eventually 20 state_is "$A2" on_call
check "rtpengine relays agent2's RTP in the call (cs1)" eventually 20 rtp_from "$id" cs1 20
expect_eq "back to the caller: 200" "200 true" "$(act j1 q2 consult/cancel) $(json q2 .ok)"
check "agent2's phone is hung up" eventually 20 has_received a2 BYE $((a2_byes + 1))
check "the call talks with agent1 again" eventually 20 call_talking "$id" "$A1"
check "agent2 is ready again" eventually 20 state_is "$A2" ready
a2_invites=$(received a2 INVITE)
expect_eq "consult agent2 again: 200" "200 true" "$(act j1 q3 consult "{\"to\": \"agent:$A2\"}") $(json q3 .ok)"
check "agent2's phone rings again" eventually 20 has_received a2 INVITE $((a2_invites + 1))
check "agent2 answers" eventually 20 state_is "$A2" on_call
check "rtpengine relays agent2's RTP (cs2)" eventually 20 rtp_from "$id" cs2 20
expect_eq "complete the transfer: 200" "200 true" "$(act j1 q4 consult/complete) $(json q4 .ok)"
check "agent1's phone is hung up" eventually 20 has_received a1 BYE $((a1_byes + 1))
check "the call talks with agent2" eventually 20 call_talking "$id" "$A2"
hang_up c6 "$c6" >/dev/null
id=$(final_call "id = '$id'" "call 6")
expect_eq "the timeline: two holds for the consultations, the transfer by consult" \
  "hold:consult resume:consult hold:consult resume:consult transfer:agent:$A2 consult" "$(events_of "$id")"
expect_eq "the record: agent2's, transferred once, held twice" "$A2 1 2" \
  "$(sql "SELECT agent_id, transfers, holds FROM cc_call WHERE id = '$id'" | tr '\t' ' ')"

# --- 6. hang up from the workbench ------------------------------------------------------------------
ready "$A2"
background caller c5 "$NUMBER" -i 127.0.0.1 -set wait_bye 1
c5=$BG_PID
check "the call is bridged to agent2" eventually 30 call_in_state bridged
id=$(bridged_id)
expect_eq "agent1 cannot hang up agent2's call: 409 not_talking" "409 not_talking" \
  "$(act j1 x0 hangup) $(json x0 .error)"
expect_eq "agent2 hangs up: 200" "200 true" "$(act j2 x1 hangup) $(json x1 .ok)"
wait "$c5"
expect_eq "the caller got the BYE (its scenario ended well)" 0 "$?"
id=$(final_call "id = '$id'" "call 5")
expect_eq "the record: hung up by the agent, from the workbench" "answered agent agent hung up (workbench)" \
  "$(sql "SELECT result, hangup_side, cause FROM cc_call WHERE id = '$id'" | tr '\t' ' ')"

finish
