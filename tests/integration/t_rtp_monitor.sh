#!/usr/bin/env bash
# What rtpengine (10.5 here) can do for a supervisor, proven with real RTP:
# three parties (tests/integration/rtpparty.py) each send a tone of their
# own in G.711 A-law (caller 400 Hz, agent 800 Hz, supervisor 1600 Hz) and
# count and decode what reaches them, while the ng sequences of
# docs/supervisor.md are applied to a call set up the way the B2BUA sets it
# up (b2bua/call/media.c: the caller answered as the IVR, the agent's
# branch offered with a via-branch and answered, port latching everywhere).
#
#   listen   subscribe request from-tags=[caller, ag1] to-tag=sup, then
#            subscribe answer: the supervisor gets both sides as two
#            streams (two m-lines), nothing it sends reaches anyone;
#   whisper  subscribe request from-tags=[caller, sup] to-tag=ag1: the
#            agent gets the supervisor as a second RTP source on its own
#            port, the caller still gets the agent only;
#   barge    the same for to-tag=caller: everyone gets the two others;
#   back to listen, and the end of the monitoring (unsubscribe).
#
# Consult: the caller waits (hears no one), the agent and a second agent
# talk, then the caller goes to the second agent or back to the first, by
# subscriptions alone (every port kept: no re-INVITE to anyone).
#
# And what 10.5 cannot do: mix. Every party that gets two others gets two
# RTP sources (two SSRCs, each with its own sequence and timestamps, each
# stream one tone only), not one stream carrying both; `connect` is an
# unknown command.
. "$(dirname "$0")/lib.sh"

stack_start --only db,rtpengine

work=$CC_STATE/t_rtp_monitor
mkdir -p "$work"
ng() { "$bin/cc-ngctl" -a "127.0.0.1:$NG_PORT" "$@"; }
party=$top/tests/integration/rtpparty.py
callid=t-rtp-monitor-$$-$RANDOM
p_caller=$(free_port) p_agent=$(free_port) p_sup=$(free_port)
while [ "$p_agent" = "$p_caller" ]; do p_agent=$(free_port); done
while [ "$p_sup" = "$p_caller" ] || [ "$p_sup" = "$p_agent" ]; do p_sup=$(free_port); done
CALLER=400 AGENT=800 SUP=1600

# sdp PORT [DIRECTION] [M-LINES]: a phone's SDP on 127.0.0.1:PORT, PCMA and
# telephone-event, M-LINES (1) audio sections all on that port.
sdp() {
  printf 'v=0\r\no=- %s 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' "$1"
  for _ in $(seq 1 "${3:-1}"); do
    printf 'm=audio %s RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n' "$1"
    printf 'a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=%s\r\n' "${2:-sendrecv}"
  done
}
audio_ports() { sed -n 's/^m=audio \([0-9]*\) .*/\1/p' | tr '\n' ' ' | sed 's/ $//'; }
directions() { tr -d '\r' | sed -nE 's/^a=(sendrecv|sendonly|recvonly|inactive)$/\1/p' | tr '\n' ' ' | sed 's/ $//'; }

# talk MS: the three parties send their tones for MS (the supervisor to the
# port rtpengine gave it, once it has one) and listen; what each received is
# in $work/{caller,agent,sup}.json.
talk() {
  local ms=$1
  python3 "$party" --port "$p_caller" --to "127.0.0.1:$r_caller" --tone $CALLER --ms "$ms" \
    --detect $CALLER,$AGENT,$SUP --out "$work/caller.json" &
  local a=$!
  python3 "$party" --port "$p_agent" --to "127.0.0.1:$r_agent" --tone $AGENT --ms "$ms" \
    --detect $CALLER,$AGENT,$SUP --out "$work/agent.json" &
  local b=$!
  python3 "$party" --port "$p_sup" ${r_sup:+--to "127.0.0.1:$r_sup"} --tone $SUP --ms "$ms" \
    --detect $CALLER,$AGENT,$SUP --out "$work/sup.json" &
  local c=$!
  wait "$a" "$b" "$c"
}
# heard WHO: the tones WHO heard, "400,800" ("" for none).
heard() { jq -r '.heard | join(",")' "$work/$1.json" 2>/dev/null; }
# streams WHO: how many RTP sources (SSRC, address) reached WHO.
streams() { jq '.streams | length' "$work/$1.json" 2>/dev/null; }
# packets WHO TONE: packets of the stream that carries TONE for WHO.
packets() {
  jq --arg t "$2" '[.streams[] | select(.tones[$t] >= 0.9) | .packets] | add // 0' "$work/$1.json" 2>/dev/null
}
# pure WHO: every stream WHO received carries one tone only (nothing mixed).
pure() {
  jq -e '[.streams[] | ([.tones[]] | max) >= 0.9] | all' "$work/$1.json" >/dev/null 2>&1
}
# enough WHO TONE: at least 30 of the 50 packets of a second of TONE reached
# WHO (the first ones may go before rtpengine has latched onto the sender).
enough() {
  local n; n=$(packets "$1" "$2")
  if [ "${n:-0}" -ge 30 ]; then ok "$3 ($n packets)"; else not_ok "$3: $n packets"; fi
}
# nothing_from WHO TONE NAME: no packet carrying TONE reached WHO.
nothing_from() {
  expect_eq "$3" 0 "$(packets "$1" "$2")"
}

# --- the call as the B2BUA sets it up ----------------------------------------------
sdp "$p_caller" > "$work/caller.sdp"
sdp "$p_agent" > "$work/agent.sdp"
sdp 9 > "$work/ivr.sdp"
ng offer call-id="$callid" from-tag=caller sdp=@"$work/caller.sdp" flags="port latching" >/dev/null
r_caller=$(ng -p sdp answer call-id="$callid" from-tag=caller to-tag=ivr sdp=@"$work/ivr.sdp" \
  flags="port latching" | audio_ports)
r_agent=$(ng -p sdp offer call-id="$callid" from-tag=caller via-branch=br-ag1 \
  sdp=@"$work/caller.sdp" flags="port latching" | audio_ports)
out=$(ng -p sdp answer call-id="$callid" from-tag=caller to-tag=ag1 via-branch=br-ag1 \
  sdp=@"$work/agent.sdp" flags="port latching" | audio_ports)
expect_eq "the caller's port stays when the agent answers" "$r_caller" "$out"
r_sup=

talk 1000
expect_eq "bridged: the caller hears the agent only" $AGENT "$(heard caller)"
expect_eq "bridged: the agent hears the caller only" $CALLER "$(heard agent)"
expect_eq "bridged: the supervisor's phone gets nothing" 0 "$(jq .packets "$work/sup.json")"

# --- listen ------------------------------------------------------------------------
reply=$(ng subscribe-request call-id="$callid" from-tags=caller,ag1 to-tag=sup); rc=$?
expect_eq "subscribe request for caller and ag1 is ok" "0 ok" "$rc $(jq -r .result <<<"$reply")"
expect_eq "it names both sources" '["caller","ag1"]' "$(jq -c '.["from-tags"]' <<<"$reply")"
expect_eq "and the supervisor's tag" sup "$(jq -r '.["to-tag"]' <<<"$reply")"
offer=$(jq -r .sdp <<<"$reply")
read -r r_sup r_sup2 <<<"$(audio_ports <<<"$offer")"
expect_eq "the offer for the supervisor has two sendonly audio sections" "sendonly sendonly" \
  "$(directions <<<"$offer")"
if [ -n "$r_sup" ] && [ -n "${r_sup2:-}" ] && [ "$r_sup" != "$r_sup2" ]; then
  ok "each section has a port of its own ($r_sup, $r_sup2)"
else
  not_ok "the sections' ports are '$r_sup' and '${r_sup2:-}'"
fi
# The supervisor's phone answers both sections on its one port.
sdp "$p_sup" recvonly 2 > "$work/sup.sdp"
out=$(ng -p result subscribe-answer call-id="$callid" to-tag=sup sdp=@"$work/sup.sdp"); rc=$?
expect_eq "subscribe answer is ok" "0 ok" "$rc $out"

talk 1000
enough sup $CALLER "listen: the supervisor hears the caller"
enough sup $AGENT "listen: the supervisor hears the agent"
expect_eq "listen: as two RTP streams" 2 "$(streams sup)"
check "listen: each of them one party's audio, not a mix" pure sup
expect_eq "listen: the caller still hears the agent only" $AGENT "$(heard caller)"
expect_eq "listen: the agent still hears the caller only" $CALLER "$(heard agent)"
nothing_from caller $SUP "listen: nothing the supervisor sends reaches the caller"
nothing_from agent $SUP "listen: nothing the supervisor sends reaches the agent"
expect_eq "listen: the caller gets one stream" 1 "$(streams caller)"

# --- whisper -----------------------------------------------------------------------
reply=$(ng subscribe-request call-id="$callid" from-tags=caller,sup to-tag=ag1); rc=$?
expect_eq "subscribe request to-tag=ag1 for caller and sup is ok" "0 ok" \
  "$rc $(jq -r .result <<<"$reply")"
expect_eq "the agent's port does not change (nothing to send to its phone)" "$r_agent" \
  "$(jq -r .sdp <<<"$reply" | audio_ports)"

talk 1000
enough agent $CALLER "whisper: the agent hears the caller"
enough agent $SUP "whisper: the agent hears the supervisor"
expect_eq "whisper: the caller hears the agent only" $AGENT "$(heard caller)"
nothing_from caller $SUP "whisper: the caller does not hear the supervisor"
enough sup $CALLER "whisper: the supervisor hears the caller"
enough sup $AGENT "whisper: the supervisor hears the agent"
expect_eq "whisper: the agent gets two RTP sources on its one port" 2 "$(streams agent)"
check "whisper: not mixed (each source one party's audio)" pure agent
ssrcs=$(jq -r '[.streams[].ssrc] | unique | length' "$work/agent.json")
srcs=$(jq -r '[.streams[].src] | unique | length' "$work/agent.json")
expect_eq "whisper: told apart only by SSRC (one source address, two SSRCs)" "1 2" "$srcs $ssrcs"

# --- barge -------------------------------------------------------------------------
reply=$(ng subscribe-request call-id="$callid" from-tags=ag1,sup to-tag=caller); rc=$?
expect_eq "subscribe request to-tag=caller for ag1 and sup is ok" "0 ok" \
  "$rc $(jq -r .result <<<"$reply")"
expect_eq "the caller's port does not change" "$r_caller" "$(jq -r .sdp <<<"$reply" | audio_ports)"

talk 1000
enough caller $AGENT "barge: the caller hears the agent"
enough caller $SUP "barge: the caller hears the supervisor"
enough agent $CALLER "barge: the agent hears the caller"
enough agent $SUP "barge: the agent hears the supervisor"
enough sup $CALLER "barge: the supervisor hears the caller"
enough sup $AGENT "barge: the supervisor hears the agent"
expect_eq "barge: the caller gets two RTP sources, not one mixed stream" "2 yes" \
  "$(streams caller) $(pure caller && echo yes)"
expect_eq "barge: so does the agent" "2 yes" "$(streams agent) $(pure agent && echo yes)"

# --- back to listen ------------------------------------------------------------------
# Each of caller and ag1 subscribed to the other alone again; the
# supervisor's subscription made again so that rtpengine recomputes where
# the supervisor's own stream goes (until then it keeps sending it to the
# parties that had subscribed to it).
out=$(ng -p result subscribe-request call-id="$callid" from-tag=ag1 to-tag=caller)
out="$out $(ng -p result subscribe-request call-id="$callid" from-tag=caller to-tag=ag1)"
out="$out $(ng -p result subscribe-request call-id="$callid" from-tags=caller,ag1 to-tag=sup)"
expect_eq "back to listen: three subscribe requests" "ok ok ok" "$out"
talk 1000
expect_eq "back to listen: the caller hears the agent only" $AGENT "$(heard caller)"
expect_eq "back to listen: the agent hears the caller only" $CALLER "$(heard agent)"
expect_eq "back to listen: the supervisor still hears both (no new subscribe answer)" \
  "$CALLER,$AGENT" "$(heard sup)"

# --- the end of the monitoring ---------------------------------------------------------
out=$(ng -p result unsubscribe call-id="$callid" to-tag=sup); rc=$?
expect_eq "unsubscribe to-tag=sup is ok" "0 ok" "$rc $out"
talk 1000
expect_eq "after unsubscribe the supervisor gets nothing" 0 "$(jq .packets "$work/sup.json")"
expect_eq "after unsubscribe the caller hears the agent only" $AGENT "$(heard caller)"
expect_eq "after unsubscribe the agent hears the caller only" $CALLER "$(heard agent)"

# --- what 10.5 has not -------------------------------------------------------------------
out=$(ng connect call-id="$callid" from-tag=caller to-tag=ag1 2>/dev/null); rc=$?
expect_eq "connect (rtpengine 13.2 and later) is an unknown command" \
  '1 {"result":"error","error-reason":"Unrecognized command"}' "$rc $out"
version=$(/usr/bin/rtpengine --version 2>&1 | sed -n 's/^Version: *//p')
diag "rtpengine $version"

out=$(ng -p result delete call-id="$callid"); rc=$?
expect_eq "delete is ok" "0 ok" "$rc $out"

# --- consult: the caller waits, the agent talks to a second agent ----------------------
# Subscriptions, not offers: each phone keeps its port, no re-INVITE. The
# second agent (the supervisor's party here, 1600 Hz) is tag ag2.
callid=$callid-consult
ng offer call-id="$callid" from-tag=caller sdp=@"$work/caller.sdp" flags="port latching" >/dev/null
r_caller=$(ng -p sdp answer call-id="$callid" from-tag=caller to-tag=ivr sdp=@"$work/ivr.sdp" \
  flags="port latching" | audio_ports)
r_agent=$(ng -p sdp offer call-id="$callid" from-tag=caller via-branch=br-ag1 \
  sdp=@"$work/caller.sdp" flags="port latching" | audio_ports)
ng answer call-id="$callid" from-tag=caller to-tag=ag1 via-branch=br-ag1 sdp=@"$work/agent.sdp" \
  flags="port latching" >/dev/null
reply=$(ng subscribe-request call-id="$callid" from-tags=ag1 to-tag=ag2)
r_sup=$(jq -r .sdp <<<"$reply" | audio_ports)
sdp "$p_sup" > "$work/ag2.sdp"
out="$(jq -r .result <<<"$reply") $(ng -p result subscribe-answer call-id="$callid" to-tag=ag2 sdp=@"$work/ag2.sdp")"
reply=$(ng subscribe-request call-id="$callid" from-tags=ag2 to-tag=ag1)
out="$out $(jq -r .result <<<"$reply") $(ng -p result subscribe-answer call-id="$callid" to-tag=ag1 sdp=@"$work/agent.sdp")"
out="$out $(ng -p result unsubscribe call-id="$callid" to-tag=caller)"
expect_eq "consult: ag2 subscribes to ag1 and ag1 to ag2, the caller to no one" \
  "ok ok ok ok ok" "$out"
expect_eq "consult: the agent keeps its port" "$r_agent" "$(jq -r .sdp <<<"$reply" | audio_ports)"
talk 1000
expect_eq "consult: the agent hears the second agent only" $SUP "$(heard agent)"
expect_eq "consult: the second agent hears the agent only" $AGENT "$(heard sup)"
expect_eq "consult: the caller hears neither (its music is the player's)" 0 \
  "$(jq .packets "$work/caller.json")"

# Completed: the caller and the second agent, the first agent out.
reply=$(ng subscribe-request call-id="$callid" from-tags=caller to-tag=ag2)
out="$(jq -r .result <<<"$reply") $(ng -p result subscribe-answer call-id="$callid" to-tag=ag2 sdp=@"$work/ag2.sdp")"
expect_eq "complete: the second agent keeps its port" "$r_sup" "$(jq -r .sdp <<<"$reply" | audio_ports)"
reply=$(ng subscribe-request call-id="$callid" from-tags=ag2 to-tag=caller)
out="$out $(jq -r .result <<<"$reply") $(ng -p result subscribe-answer call-id="$callid" to-tag=caller sdp=@"$work/caller.sdp")"
out="$out $(ng -p result unsubscribe call-id="$callid" to-tag=ag1)"
expect_eq "complete: five requests" "ok ok ok ok ok" "$out"
expect_eq "complete: the caller keeps its port" "$r_caller" "$(jq -r .sdp <<<"$reply" | audio_ports)"
talk 1000
expect_eq "complete: the caller hears the second agent only" $SUP "$(heard caller)"
expect_eq "complete: the second agent hears the caller only" $CALLER "$(heard sup)"
expect_eq "complete: the first agent hears no one" 0 "$(jq .packets "$work/agent.json")"

# Cancelled instead: back to the first agent (the second unsubscribed).
reply=$(ng subscribe-request call-id="$callid" from-tags=caller to-tag=ag1)
out="$(jq -r .result <<<"$reply") $(ng -p result subscribe-answer call-id="$callid" to-tag=ag1 sdp=@"$work/agent.sdp")"
reply=$(ng subscribe-request call-id="$callid" from-tags=ag1 to-tag=caller)
out="$out $(jq -r .result <<<"$reply") $(ng -p result subscribe-answer call-id="$callid" to-tag=caller sdp=@"$work/caller.sdp")"
out="$out $(ng -p result unsubscribe call-id="$callid" to-tag=ag2)"
expect_eq "back to the first agent: five requests" "ok ok ok ok ok" "$out"
talk 1000
expect_eq "back: the caller hears the first agent only" $AGENT "$(heard caller)"
expect_eq "back: the first agent hears the caller only" $CALLER "$(heard agent)"
expect_eq "back: the second agent hears no one" 0 "$(jq .packets "$work/sup.json")"
ng delete call-id="$callid" >/dev/null
finish
