#!/usr/bin/env bash
# The media layer against the real rtpengine daemon, driven with cc-ngctl
# (which sends through b2bua/media/ng.c): ping; RTPENGINE.md's "IVR before
# any agent exists" with the placeholder answer sdp_write makes (the unit
# test test_sdp.c checks that tests/fixtures/sdp/ivr-answer.sdp is exactly
# its output); a prompt played to the caller; media from the caller counted
# by query; an agent connected after the IVR without the caller's port
# changing; delete; and the error, warning and timeout replies.
. "$(dirname "$0")/lib.sh"

stack_start --only db,rtpengine

fixtures=$top/tests/fixtures/sdp
work=$CC_STATE/t_ng
mkdir -p "$work"
ng() { "$bin/cc-ngctl" -a "127.0.0.1:$NG_PORT" "$@"; }
callid=t-ng-$$-$RANDOM

# SDP as text with the ports rtpengine picks masked and each CR shown as
# "\r", so that a whole body compares as one string, line endings included.
mask_sdp() {
  sed -E -e 's/^(m=audio) [0-9]+ /\1 PORT /' -e 's/^a=rtcp:[0-9]+/a=rtcp:PORT/' -e 's/\r$/\\r/'
}
audio_port() { sed -n 's/^m=audio \([0-9]*\) .*/\1/p'; }

# --- ping --------------------------------------------------------------------
out=$(ng ping); rc=$?
expect_eq "ping answers pong" '{"result":"pong"}' "$out"
expect_eq "ping exits 0" 0 "$rc"

# --- IVR before any agent exists ----------------------------------------------
# 1. offer from the caller, port latching
out=$(ng -p sdp offer call-id="$callid" from-tag=A sdp=@"$fixtures/caller-offer.sdp" \
  flags="port latching"); rc=$?
expect_eq "offer exits 0" 0 "$rc"
expect_eq "offer gives an SDP for the other side" 'v=0\r
o=- 1 1 IN IP4 127.0.0.1\r
s=-\r
c=IN IP4 127.0.0.1\r
t=0 0\r
m=audio PORT RTP/AVP 8 0 101\r
a=rtpmap:8 PCMA/8000\r
a=rtpmap:0 PCMU/8000\r
a=rtpmap:101 telephone-event/8000\r
a=fmtp:101 0-16\r
a=sendrecv\r
a=rtcp:PORT\r' "$(printf '%s\n' "$out" | mask_sdp)"

# 2. answer with the placeholder for the IVR: its SDP is what the caller gets
answer_a=$(ng -p sdp answer call-id="$callid" from-tag=A to-tag=ivr \
  sdp=@"$fixtures/ivr-answer.sdp" flags="port latching"); rc=$?
expect_eq "answer to-tag=ivr exits 0" 0 "$rc"
expect_eq "the caller's SDP keeps the placeholder's codec and telephone-event" 'v=0\r
o=- 7 7 IN IP4 127.0.0.1\r
s=-\r
c=IN IP4 127.0.0.1\r
t=0 0\r
m=audio PORT RTP/AVP 8 101\r
a=rtpmap:8 PCMA/8000\r
a=rtpmap:101 telephone-event/8000\r
a=fmtp:101 0-16\r
a=sendrecv\r
a=rtcp:PORT\r' "$(printf '%s\n' "$answer_a" | mask_sdp)"
port_a=$(printf '%s\n' "$answer_a" | audio_port)
if [ -n "$port_a" ] && [ "$port_a" -ge "$RTP_MIN" ] && [ "$port_a" -le "$RTP_MAX" ]; then
  ok "the caller's port $port_a is in rtpengine's range"
else
  not_ok "the caller's port '$port_a' is not in $RTP_MIN-$RTP_MAX"
fi

# 3. a prompt to the caller: 1 s of 8 kHz mono 16-bit audio
sox -n -r 8000 -c 1 -b 16 "$work/prompt.wav" synth 1 sine 440
out=$(ng -p duration play-media call-id="$callid" from-tag=A file="$work/prompt.wav"); rc=$?
expect_eq "play media exits 0" 0 "$rc"
expect_eq "play media reports the prompt's duration in ms" 1000 "$out"
out=$(ng stop-media call-id="$callid" from-tag=A); rc=$?
expect_eq "stop media stops the prompt" '0 {"result":"ok"}' "$rc $out"

# --- media from the caller, counted by query -----------------------------------
# Ten 20 ms PCMA packets (12-byte RTP header, 160 bytes of silence) from a
# UDP socket of bash's own; rtpengine learns the caller's address from them.
payload=$(printf '\\xd5%.0s' $(seq 160))
if exec 3>"/dev/udp/127.0.0.1/$port_a"; then
  for i in $(seq 1 10); do
    printf "\\x80\\x08\\x00\\x$(printf %02x "$i")\\x00\\x00\\x06\\x$(printf %02x "$i")\\x12\\x34\\x56\\x78$payload" >&3
  done
  exec 3>&-
fi
stats=tags.A.medias.0.streams.0.stats
bytes_from_a() { [ "$(ng -p "$stats.bytes" query call-id="$callid")" = 1720 ]; }
check "query counts the caller's 10 packets (1720 bytes)" eventually 20 bytes_from_a
packets=$(ng -p "$stats.packets" query call-id="$callid")
if [[ $packets =~ ^[0-9]+$ ]] && [ "$packets" -ge 10 ]; then
  ok "query shows packets from the caller ($packets)"
else
  not_ok "query shows '$packets' packets from the caller, want 10 or more"
fi
expect_eq "query names the caller's tag" A "$(ng -p tags.A.tag query call-id="$callid")"
expect_eq "query names the IVR's tag" ivr "$(ng -p tags.ivr.tag query call-id="$callid")"
expect_eq "the caller's stream is on the port of its SDP" "$port_a" \
  "$(ng -p 'tags.A.medias.0.streams.0.local port' query call-id="$callid")"
out=$(ng -p tags.nobody query call-id="$callid" 2>/dev/null); rc=$?
expect_eq "a path not in the reply exits 3" "3 " "$rc $out"

# --- an agent after the IVR: no re-INVITE to the caller -------------------------
out=$(ng -p sdp offer call-id="$callid" from-tag=A via-branch=br-C \
  sdp=@"$fixtures/caller-offer.sdp" flags="port latching"); rc=$?
expect_eq "offer for agent C exits 0" 0 "$rc"
port_c_side=$(printf '%s\n' "$out" | audio_port)
out=$(ng -p sdp answer call-id="$callid" from-tag=A to-tag=C via-branch=br-C \
  sdp=@"$fixtures/agent-answer.sdp" flags="port latching"); rc=$?
expect_eq "answer from agent C exits 0" 0 "$rc"
expect_eq "the caller's port is unchanged after C answers" "$port_a" \
  "$(printf '%s\n' "$out" | audio_port)"
expect_eq "query names agent C's tag" C "$(ng -p tags.C.tag query call-id="$callid")"
if [ -n "$port_c_side" ] && [ "$port_c_side" != "$port_a" ]; then
  ok "agent C is offered a port of its own"
else
  not_ok "agent C is offered port '$port_c_side', the caller has $port_a"
fi

# --- errors ---------------------------------------------------------------------
out=$(ng answer call-id="no-such-$callid" from-tag=A to-tag=B \
  sdp=@"$fixtures/ivr-answer.sdp" 2>"$work/err"); rc=$?
expect_eq "answer for an unknown call exits 1" 1 "$rc"
expect_eq "the error reply is printed" '{"result":"error","error-reason":"Unknown call-id"}' "$out"
expect_eq "the reason goes to stderr" "cc-ngctl: Unknown call-id" "$(cat "$work/err")"

# --- teardown -------------------------------------------------------------------
out=$(ng -p result delete call-id="$callid" from-tag=A); rc=$?
expect_eq "delete exits 0" "0 ok" "$rc $out"
out=$(ng query call-id="$callid" 2>/dev/null); rc=$?
expect_eq "the call is gone after delete" '1 {"result":"error","error-reason":"Unknown call-id"}' \
  "$rc $out"
out=$(ng delete call-id="$callid" 2>/dev/null); rc=$?
expect_eq "delete of an unknown call-id is ok with a warning" \
  '0 {"warning":"Call-ID not found or tags didn'"'"'t match","result":"ok"}' "$rc $out"
out=$(ng delete call-id="$callid" flags=fatal 2>/dev/null); rc=$?
expect_eq "with flags=fatal it is an error" \
  '1 {"result":"error","error-reason":"Call-ID not found or tags didn'"'"'t match"}' "$rc $out"

# --- no rtpengine, and usage ------------------------------------------------------
# Nothing listens on UDP at the web port in this stack.
start=$(date +%s%N)
out=$("$bin/cc-ngctl" -a "127.0.0.1:$HTTP_PORT" -t 600 ping 2>"$work/err"); rc=$?
took=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "no answer exits 2" 2 "$rc"
expect_eq "no answer says so" "cc-ngctl: rtpengine did not answer" "$(cat "$work/err")"
if [ "$took" -ge 550 ] && [ "$took" -lt 3000 ]; then
  ok "it gives up after -t ($took ms)"
else
  not_ok "it gave up after $took ms, want about 600"
fi
ng >/dev/null 2>&1; rc=$?
expect_eq "no command is a usage error" 2 "$rc"
ng ping novalue >/dev/null 2>&1; rc=$?
expect_eq "an argument without = is a usage error" 2 "$rc"
out=$(ng -p result statistics); rc=$?
expect_eq "statistics answers" "0 ok" "$rc $out"

finish
