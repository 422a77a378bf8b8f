#!/usr/bin/env bash
# 录音 (docs/recording.md) with real calls through the stack: sipp as the
# gateway and agent1's phone, each sending 10 s of its own tone as RTP
# (the caller 4 s of silence then 440 Hz; the agent 1 kHz for 2 s then
# silence), rtpengine recording into pcaps, cc-web converting them. The
# caller's sound starts when the IVR answers it, up to 2 s (prompt, offer,
# the phone's 300 ms) before the agent's: the windows looked at allow it.
#
#   1. group policy none: no recording, no row;
#   2. policy all: the WAV exists, lasts the talk time, and carries the
#      agent alone early, both, then the caller alone (both directions);
#      the timeline says started/stopped; the record page plays it;
#   3. access: agent1 and an admin 200 (a byte range 206), agent2 404,
#      signed out 401;
#   4. policy on_demand: call.record start, pause, resume, stop from the
#      control socket; two segments; the paused time is silent in the WAV;
#      refusals (no call, pause when not recording, stop under all);
#   5. a broken pcap: the recording fails with a reason, the call record is
#      untouched, the route says 409;
#   6. retention: an expired recording's WAV is deleted, the route says 410.
. "$(dirname "$0")/lib.sh"

stack_start
web_setup recording
REC=$CC_STATE/recordings

# --- tones as sipp plays them (Ethernet pcaps of PCMA RTP, 20 ms packets) ------------
python3 - "$tmp" <<'EOF'
import math, struct, sys
def alaw(x):
    # G.711 A-law of a 16-bit sample.
    s = 0x80 if x >= 0 else 0
    x = min(abs(x), 32635) >> 3
    if x < 32:
        e, m = 0, x >> 1
    else:
        e = x.bit_length() - 5
        m = (x >> e) & 0x0F
    return (s | (e << 4) | m) ^ 0x55
def pcap(path, hz_of):  # hz_of(t seconds) -> tone Hz, or 0 for silence
    out = [struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)]
    for i in range(500):  # 10 s
        t = i * 0.02
        hz = hz_of(t)
        pl = bytes(alaw(int(8000 * math.sin(2 * math.pi * hz * (i * 160 + k) / 8000)) if hz else 0)
                   for k in range(160))
        rtp = struct.pack('!BBHII', 0x80, 8, i, i * 160, 0x1234) + pl
        udp = struct.pack('!HHHH', 6000, 6000, 8 + len(rtp), 0) + rtp
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                         bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + udp
        eth = bytes(12) + b'\x08\x00' + ip
        out.append(struct.pack('<IIII', 1000 + int(t), int(round((t % 1) * 1e6)), len(eth), len(eth)) + eth)
    open(path, 'wb').write(b''.join(out))
pcap(sys.argv[1] + '/caller.pcap', lambda t: 440 if t >= 4 else 0)
pcap(sys.argv[1] + '/agent.pcap', lambda t: 1000 if t < 2 else 0)
EOF
sed "s|/usr/share/sip-tester/g711a.pcap|$tmp/caller.pcap|" "$sipdir/gateway/uac.xml" > "$tmp/uac.xml"
sed "s|/usr/share/sip-tester/g711a.pcap|$tmp/agent.pcap|" "$sipdir/agent/uas.xml" > "$tmp/uas.xml"
check "the tone scenarios are made" grep -q "$tmp/agent.pcap" "$tmp/uas.xml"

sql "UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = 30, wrapup_s = 0, no_answer_break = 0, recording = 'none'"
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.3 sine 440 2>/dev/null
check "the B2BUA reloads its directory" reload_dir
SIPP_LIMIT_S=3600 background sipp_run a1 -sf "$sipdir/agent/uac.xml" -oocsf "$tmp/uas.xml" \
  -i 127.0.0.2 -s "$A1_SIP" -ap "$A1_SIP_PASSWORD" -set stay_ms 3000000 -set expires 3600 \
  -set answer_ms 300
check "agent1's phone registers" eventually 30 registered "$A1"

# talk NAME: a call from the gateway with the caller's tone, answered by
# agent1; hangs up once both sides have sent their 10 s (500 packets each);
# $CALL is its id. Between the bridge and the hang-up, $during runs (if set).
talk() {
  set_state "$A1" ready
  SIPP_LIMIT_S=120 background sipp_run "$1" -sf "$tmp/uac.xml" -s "$NUMBER" -i 127.0.0.1 \
    -set caller 13900139777 -set until_notify 1
  local pid=$BG_PID
  eventually 30 call_in_state bridged || diag "call $1 was not bridged"
  CALL=$(ctl call.list | jq -r '.calls[0].id')
  [ -n "${during:-}" ] && "$during"
  eventually 30 rtp_from "$CALL" caller 495 || diag "caller sent $packets packets"
  eventually 30 rtp_from "$CALL" ag1 495 || diag "agent sent $packets packets"
  hang_up "$1" "$pid" >/dev/null
  eventually 30 call_final "$CALL" || diag "call $1 has no record"
}
rec_state() { sql "SELECT state FROM cc_recording WHERE call_id = '$1'"; }
rec_settled() { local s; s=$(rec_state "$1"); [ "$s" = ready ] || [ "$s" = failed ]; }
# wav_check FILE ARGS: python's verdict on the WAV (see below).
wav() {
  python3 - "$@" <<'EOF'
import math, struct, sys, wave
w = wave.open(sys.argv[2], 'rb')
assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 8000)
n = w.getnframes()
s = struct.unpack('<%dh' % n, w.readframes(n))
def power(hz, a, b):  # Goertzel: the tone's amplitude in seconds [a, b)
    a, b = int(a * 8000), min(int(b * 8000), n)
    k, s1, s2 = 2 * math.cos(2 * math.pi * hz / 8000), 0.0, 0.0
    for x in s[a:b]:
        s1, s2 = x + k * s1 - s2, s1
    return 2 * math.sqrt(max(s1 * s1 + s2 * s2 - k * s1 * s2, 0)) / max(b - a, 1)
what = sys.argv[1]
if what == 'seconds':
    print('%.2f' % (n / 8000))
elif what == 'tone':  # tone HZ FROM TO: its amplitude, rounded
    print(int(power(float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))))
elif what == 'rms':  # rms FROM TO, rounded up
    a, b = int(float(sys.argv[3]) * 8000), min(int(float(sys.argv[4]) * 8000), n)
    print(math.ceil(math.sqrt(sum(x * x for x in s[a:b]) / max(b - a, 1))))
EOF
}

# --- 1. policy none: nothing recorded ------------------------------------------------
talk c0
C0=$CALL
check "call 0 (policy none) is answered" test "$(col "$C0" result)" = answered
expect_eq "no recording row for it" "" "$(rec_state "$C0")"
expect_eq "no pcap of it" "0" "$(ls "$REC/pcaps" 2>/dev/null | grep -c "^$C0-")"

# --- 2. policy all ------------------------------------------------------------------------
sql "UPDATE cc_skill_group SET recording = 'all'"
check "the B2BUA reloads its directory (recording all)" reload_dir
talk c1
C1=$CALL
check "call 1's recording is converted" eventually 60 rec_settled "$C1"
expect_eq "it is ready" ready "$(rec_state "$C1")"
FILE=$(sql "SELECT file FROM cc_recording WHERE call_id = '$C1'")
expect_match "its file is YYYY/MM/DD/<call>.wav" "^[0-9]{4}/[0-9]{2}/[0-9]{2}/$C1\.wav$" "$FILE"
check "the WAV exists under the recordings folder" test -s "$REC/$FILE"
check "its pcaps are gone once converted" test "$(ls "$REC/pcaps" | grep -c "^$C1-")" = 0
secs=$(wav seconds "$REC/$FILE")
talk_s=$(sql "SELECT TIMESTAMPDIFF(MICROSECOND, answered_at, ended_at) / 1e6 FROM cc_call WHERE id = '$C1'")
diag "WAV $secs s, talk $talk_s s"
check "the WAV is as long as the agent's sound (10 s, within 0.7 s)" \
  python3 -c "import sys; sys.exit(abs($secs - 10) > 0.7)"
check "and no longer than the talk time (+0.5 s)" python3 -c "import sys; sys.exit($secs > $talk_s + 0.5)"
expect_eq "its row says the same length" "$(python3 -c "print(round($secs))")" \
  "$(sql "SELECT ROUND(duration_ms / 1000) FROM cc_recording WHERE call_id = '$C1'")"
a_early=$(wav tone "$REC/$FILE" 1000 0.2 1.8)
c_early=$(wav tone "$REC/$FILE" 440 0.2 1.8)
a_late=$(wav tone "$REC/$FILE" 1000 4.2 7.8)
c_late=$(wav tone "$REC/$FILE" 440 4.2 7.8)
diag "1 kHz (agent) early $a_early late $a_late; 440 Hz (caller) early $c_early late $c_late"
check "the agent's direction: its 1 kHz tone in the first seconds" test "$a_early" -gt 2000
check "... and only there" test "$a_late" -lt 200
check "the caller's direction: its 440 Hz tone later" test "$c_late" -gt 2000
check "... and not before" test "$c_early" -lt 200
expect_eq "the timeline says started, stopped" "started stopped" \
  "$(sql "SELECT GROUP_CONCAT(detail ORDER BY at, id SEPARATOR ' ') FROM cc_call_event WHERE call_id = '$C1' AND event = 'recording'")"

# --- 3. who may hear it -------------------------------------------------------------------
ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
t2=$(login j2 "$A2_LOGIN" "$AGENT_PASSWORD")
check "admin, agent1 and agent2 sign in" test -n "$ta" -a -n "$t1" -a -n "$t2"
URL=$base/cc/api/records/$C1/recording.wav
expect_eq "agent1 (who took the call) gets it" 200 "$(http w1 -b "$tmp/j1" "$URL")"
expect_eq "as audio/wav" "audio/wav" "$(hdr w1 Content-Type)"
check "the bytes are the WAV's" cmp -s "$tmp/w1.b" "$REC/$FILE"
expect_eq "an admin gets it" 200 "$(http wa -b "$tmp/ja" "$URL")"
expect_eq "agent2 (another agent) does not: 404" 404 "$(http w2 -b "$tmp/j2" "$URL")"
expect_eq "signed out: 401" 401 "$(http w0 "$URL")"
expect_eq "a byte range (seeking): 206" 206 "$(http wr -b "$tmp/j1" -H 'Range: bytes=100-199' "$URL")"
expect_eq "with its Content-Range" "bytes 100-199/$(stat -c %s "$REC/$FILE")" "$(hdr wr Content-Range)"
expect_eq "and those 100 bytes" "$(tail -c +101 "$REC/$FILE" | head -c 100 | od -An -tx1 | tr -d ' \n')" \
  "$(od -An -tx1 "$tmp/wr.b" | tr -d ' \n')"
expect_eq "a range past the end: 416" 416 "$(http wx -b "$tmp/j1" -H 'Range: bytes=99999999-' "$URL")"
expect_eq "the download link names the file" "attachment; filename=\"call-$C1.wav\"" \
  "$(http wd -b "$tmp/j1" "$URL?download=1" >/dev/null; hdr wd Content-Disposition)"
expect_eq "the record's JSON has it ready with its link" "ready /cc/api/records/$C1/recording.wav" \
  "$(http d1 -b "$tmp/j1" "$base/cc/api/records/$C1" >/dev/null; json d1 '"\(.recording.state) \(.recording.audio)"')"
http p1 -b "$tmp/j1" "$base/cc/records/$C1" >/dev/null
check "the record page has a player for it" \
  grep -q "<audio controls=\"controls\" preload=\"metadata\" src=\"/cc/api/records/$C1/recording.wav\"" "$tmp/p1.b"
expect_eq "a call without a recording: 404" 404 \
  "$(http wn -b "$tmp/ja" "$base/cc/api/records/$C0/recording.wav")"

# --- 4. on demand: the agent starts, pauses, resumes, stops -------------------------------
rec() { ctl call.record agent="$A1" op="$1" | jq -r '.recording // .error'; }
# web NAME OP: the same from agent1's workbench (POST /cc/api/agent/call/record);
# "STATUS RECORDING-OR-ERROR".
web() {
  local st
  st=$(http "$1" -b "$tmp/j1" -H "X-CSRF-Token: $t1" -H 'Content-Type: application/json' \
    --data-binary "{\"op\":\"$2\"}" "$base/cc/api/agent/call/record")
  echo "$st $(json "$1" '.recording // .error')"
}
expect_eq "call.record with no call: not_talking" not_talking \
  "$(ctl call.record agent="$A1" op=start | jq -r .error)"
expect_eq "the workbench's route says so too (409)" "409 not_talking" "$(web rn start)"
expect_eq "an unknown op is 400" "400 bad_request" "$(web rb rewind)"
sql "UPDATE cc_skill_group SET recording = 'on_demand'"
check "the B2BUA reloads its directory (on demand)" reload_dir
pkts() { rtp_packets "$CALL" ag1; }
after() { [ "$(pkts)" -ge "$1" ]; }
demand() {
  expect_eq "pause before any start: not_recording" not_recording "$(rec pause)"
  local p
  p=$(pkts)
  expect_eq "start" on "$(rec start)"
  eventually 20 after $((p + 40))	# about 0.8 s recorded
  expect_eq "pause from the workbench (the card number is read out)" "200 paused" \
    "$(web rp pause)"
  expect_eq "a pause from the admin's session is refused (agents only)" 403 \
    "$(http rpa -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' \
       --data-binary '{"op":"resume"}' "$base/cc/api/agent/call/record")"
  eventually 20 after $((p + 140))	# about 2 s paused
  expect_eq "resume" on "$(rec resume)"
  eventually 20 after $((p + 190))
  expect_eq "stop" off "$(rec stop)"
}
during=demand talk c2
during=
C2=$CALL
check "call 2's recording is converted" eventually 60 rec_settled "$C2"
expect_eq "it is ready, in two segments" "ready 2" \
  "$(sql "SELECT CONCAT(state, ' ', segments) FROM cc_recording WHERE call_id = '$C2'")"
F2=$REC/$(sql "SELECT file FROM cc_recording WHERE call_id = '$C2'")
secs2=$(wav seconds "$F2")
diag "call 2's WAV: $secs2 s"
check "it runs from the start to the stop (about 3.8 s, the pause kept as silence)" \
  python3 -c "import sys; sys.exit(not 3.0 < $secs2 < 4.6)"
on1=$(wav tone "$F2" 1000 0.1 0.7)
paused=$(wav rms "$F2" 1.0 2.6)
diag "1 kHz before the pause $on1, RMS during it $paused"
check "the agent's tone is there before the pause" test "$on1" -gt 2000
check "and nothing at all while paused" test "$paused" -eq 0
expect_eq "the timeline: started, paused, resumed, stopped" "started paused resumed stopped" \
  "$(sql "SELECT GROUP_CONCAT(detail ORDER BY at, id SEPARATOR ' ') FROM cc_call_event WHERE call_id = '$C2' AND event = 'recording'")"
sql "UPDATE cc_skill_group SET recording = 'all'"
check "the B2BUA reloads its directory (all again)" reload_dir
refuse() {
  expect_eq "under all the agent may not stop it" recording_not_allowed "$(rec stop)"
  expect_eq "but may pause it" paused "$(rec pause)"
  expect_eq "and resume" on "$(rec resume)"
}
during=refuse talk c3
during=
check "call 3's recording is converted" eventually 60 rec_settled "$CALL"

# --- 5. a broken pcap: failed, the call record untouched ---------------------------------
before=$(sql "SELECT CONCAT_WS('|', result, answered_at, ended_at, hangup_side, agent_id) FROM cc_call WHERE id = '$C0'")
head -c 3000 /dev/urandom > "$REC/pcaps/$C0-0123456789abcdef.pcap"
sql "INSERT INTO cc_recording (call_id, agent_id, state, created_at) VALUES ('$C0', '$A1', 'pending', NOW(3))"
check "the broken recording is looked at" eventually 60 rec_settled "$C0"
expect_eq "it failed, saying why" "failed not_pcap" \
  "$(sql "SELECT CONCAT(state, ' ', error) FROM cc_recording WHERE call_id = '$C0'")"
expect_eq "the call's record is as it was" "$before" \
  "$(sql "SELECT CONCAT_WS('|', result, answered_at, ended_at, hangup_side, agent_id) FROM cc_call WHERE id = '$C0'")"
expect_eq "the route says recording_failed (409)" "409 recording_failed" \
  "$(http wf -b "$tmp/ja" "$base/cc/api/records/$C0/recording.wav") $(cat "$tmp/wf.b")"
expect_eq "the record's JSON shows the failure" "failed not_pcap" \
  "$(http df -b "$tmp/ja" "$base/cc/api/records/$C0" >/dev/null; json df '"\(.recording.state) \(.recording.error)"')"
check "cc-web logged it" grep -q "call $C0 not converted: not_pcap" "$CC_STATE/log/web.log"

# --- 6. retention ---------------------------------------------------------------------------
sql "UPDATE cc_recording SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE call_id IN ('$C1', '$C0')"
expired() { [ "$(rec_state "$C1")" = expired ] && [ "$(rec_state "$C0")" = expired ]; }
check "past their retention the recordings expire" eventually 60 expired
check "call 1's WAV is deleted" test ! -e "$REC/$FILE"
check "the broken pcap too" test ! -e "$REC/pcaps/$C0-0123456789abcdef.pcap"
expect_eq "the route says recording_expired (410)" 410 "$(http we -b "$tmp/j1" "$URL")"

finish
