#!/usr/bin/env bash
# Who may talk SIP to the B2BUA, and who may sign in on its control socket,
# with the real stack (MariaDB, Kamailio, rtpengine, the B2BUA) and sipp.
#
#  - the B2BUA takes requests only from trusted_sources (its Kamailio,
#    127.0.0.1 here): an INVITE, OPTIONS or INFO sent straight to its
#    port from 127.0.0.5 gets 403, makes no call and no call record, and is
#    counted in ping's sip_refused; so is an INFO made up inside a live
#    call (its Call-ID and tags), which leaves the call up;
#  - a stranger's BYE, made up or inside a live call, never reaches the SIP
#    stack (the socket's kernel filter drops it): no answer, the call stays;
#  - Kamailio answers a stranger's request inside a dialog it never relayed
#    itself (404), even with a Route through it towards a B2BUA node: the
#    B2BUA never sees it;
#  - the control socket locks an address out after ctl_max_bad_secrets wrong
#    secrets, right secret included, for ctl_lockout_s.
. "$(dirname "$0")/lib.sh"

CC_B2BUA_OPTS="ctl_max_bad_secrets=3 ctl_lockout_s=3" stack_start
b2bua=127.0.0.1:$B2BUA_PORT
stranger=127.0.0.5

refused_count() { ctl ping | jq -r .sip_refused; }
refused_past() { [ "$(refused_count)" -ge "$1" ]; }
b2bua_log_has() { grep -qF -- "$1" "$logs/b2bua-1.log"; }
# no_answer_from NAME WHO: sipp run NAME received no response WHO sent (the
# B2BUA's carry "User-Agent: cc-b2bua"; "anyone": no response at all).
no_answer_from() {
  case $2 in
    anyone) ! grep -q '^SIP/2.0 ' "$logs/sipp-$1.msg" ;;
    *) ! grep -qi '^User-Agent: cc-b2bua' "$logs/sipp-$1.msg" ;;
  esac
}
# stranger NAME TARGET ARGS...: tests/sip/stranger/request.xml from $stranger.
stranger_req() {
  local name=$1 target=$2; shift 2
  timeout "${SIPP_LIMIT_S:-30}" sipp "$target" -nostdin -nd -m 1 -i "$stranger" -p "$(free_port)" -sf "$sipdir/stranger/request.xml" \
    -trace_msg -message_file "$logs/sipp-$name.msg" -trace_err -error_file "$logs/sipp-$name.err" \
    "$@" >"$logs/sipp-$name.out" 2>&1
}
# final_of NAME: the status line of the final response sipp run NAME got.
final_of() { grep -E '^SIP/2.0 [2-6][0-9][0-9]' "$logs/sipp-$1.msg" | tail -n 1 | tr -d '\r'; }

check "the B2BUA answers OPTIONS from Kamailio's address" "$bin/cc-sipping" -t 5000 "$b2bua"
expect_eq "nothing refused yet" 0 "$(refused_count)"

# --- straight to the B2BUA from a stranger ----------------------------------------

out=$("$bin/cc-sipping" -t 5000 -s "$stranger" "$b2bua" 2>&1)
expect_eq "OPTIONS from $stranger fails" 1 "$?"
expect_match "and is answered 403" "403" "$out"
check "counted" eventually 10 refused_past 1

expect_eq "an INVITE from $stranger straight to the B2BUA gets 403" 0 \
  "$(timeout 60 sipp "$b2bua" -nostdin -m 1 -i "$stranger" -sf "$sipdir/gateway/uac.xml" -s "$NUMBER" \
       -set caller "$KNOWN_CALLER" -set expect 403 \
       -trace_msg -message_file "$logs/sipp-direct-invite.msg" >"$logs/sipp-direct-invite.out" 2>&1; echo $?)"
cid=$(sip_call_id direct-invite)
check "the refusal is logged with the call-id" eventually 10 b2bua_log_has "from untrusted $stranger refused: 403 (call-id $cid)"
check "and counted" eventually 10 refused_past 2
expect_eq "no call was made" 0 "$(ctl ping | jq .call_objects)"
expect_eq "no call record" 0 "$(sql "SELECT COUNT(*) FROM cc_call WHERE sip_call_id = '$cid'")"
expect_eq "no call record at all" 0 "$(sql "SELECT COUNT(*) FROM cc_call")"

# A stranger's BYE is dropped by the SIP socket's kernel filter: no answer at
# all. The INFO sent after it is answered, so the BYE's silence is not a
# slow answer.
SIPP_LIMIT_S=5 stranger_req direct-bye "$b2bua"
stranger_req direct-info "$b2bua" -set info 1
expect_eq "an INFO with a To-tag from $stranger gets 403 (it was 200)" "SIP/2.0 403 Forbidden" "$(final_of direct-info)"
expect_eq "a BYE with a To-tag from $stranger straight to the B2BUA gets no answer (it was 481)" \
  "" "$(final_of direct-bye)"
check "not even a provisional one" no_answer_from direct-bye anyone
check "every refusal counted" eventually 10 refused_past 3

# --- through Kamailio: a made-up dialog -------------------------------------------

for m in BYE INFO; do
  flag=(); [ "$m" = INFO ] && flag=(-set info 1)
  stranger_req "kam-$m" "127.0.0.1:$SIP_PORT" "${flag[@]}" \
    -set ruri "sip:4001@127.0.0.1:$B2BUA_PORT" -set route "sip:127.0.0.1:$SIP_PORT;lr"
  expect_eq "a $m from $stranger with a To-tag and a Route to a B2BUA node, matching no dialog, is answered by Kamailio" \
    "SIP/2.0 404 No Such Dialog" "$(final_of "kam-$m")"
  cid=$(sip_call_id "kam-$m")
  check "Kamailio logs it" eventually 10 grep -qF "matches no dialog: 404 (call-id $cid)" "$logs/kamailio.log"
  check "no answer came from the B2BUA (it would say 481)" no_answer_from "kam-$m" b2bua
done
check "the B2BUA still answers Kamailio" "$bin/cc-sipping" -t 5000 "$b2bua"

# --- straight to the B2BUA from a stranger, inside a live call ---------------------

agent1_ready 30
background caller live "$NUMBER" -i 127.0.0.1 -set caller "$KNOWN_CALLER" -set until_notify 1
live_pid=$BG_PID
check "a call is bridged to agent1" eventually 30 call_in_state bridged
cid=$(sip_call_id live)
tag_of() { sed -n "/$1/,/^\r\?\$/p" "$logs/sipp-live.msg" | grep -m 1 -i "^$2:" | sed 's/.*;tag=\([^;> \r]*\).*/\1/'; }
ftag=$(tag_of '^INVITE ' From)
ttag=$(tag_of '^SIP\/2.0 200' To)
check "the live call's tags are known" test -n "$ftag" -a -n "$ttag"
before=$(refused_count)
SIPP_LIMIT_S=5 stranger_req live-BYE "$b2bua" -cid_str "$cid" -set ftag "$ftag" -set ttag "$ttag"
stranger_req live-INFO "$b2bua" -set info 1 -cid_str "$cid" -set ftag "$ftag" -set ttag "$ttag"
expect_eq "an INFO from $stranger inside the live call (its Call-ID and tags) gets 403" \
  "SIP/2.0 403 Forbidden" "$(final_of live-INFO)"
expect_eq "a BYE from $stranger inside the live call gets no answer" "" "$(final_of live-BYE)"
check "the INFO counted" eventually 10 refused_past $((before + 1))
check "the call is still bridged" call_in_state bridged
expect_eq "and its caller got no BYE" 0 "$(received live BYE)"
hang_up live "$live_pid"
check "the caller's own hang-up still ends it" test $? -eq 0
check "no call is left behind" eventually 20 no_calls
expect_eq "its record: answered, ended by the caller" "answered caller" \
  "$(col "$(call_of live)" "CONCAT_WS(' ', result, hangup_side)")"

# --- the control socket's lockout ---------------------------------------------------

echo wrong-secret > "$CC_STATE/wrong.secret"
bad_ctl() { "$bin/cc-ctl" -a "$CTL_ADDR" -s "$CC_STATE/wrong.secret" -t 5000 ping 2>&1; }
for i in 1 2 3; do
  out=$(bad_ctl)
  expect_match "wrong secret $i is refused" "bad_secret|wrong secret" "$out"
done
out=$(ctl ping 2>&1)
expect_match "then even the right secret is refused" "locked_out|too many wrong secrets" "$out"
check "the lockout is logged" eventually 10 b2bua_log_has "3 wrong secrets from 127.0.0.1"
ctl_ok() { ctl ping >/dev/null 2>&1; }
check "after ctl_lockout_s the right secret works again" eventually 20 ctl_ok
out=$(bad_ctl)
expect_match "a wrong secret after the lockout is refused, not locked" "bad_secret|wrong secret" "$out"
check "and one wrong secret does not lock the right one out" ctl_ok

finish
