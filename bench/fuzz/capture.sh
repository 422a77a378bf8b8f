#!/usr/bin/env bash
# bench/fuzz/capture.sh: records the SIP traffic of real calls through the
# stack (sipp's -trace_msg of the project's scenarios: an agent's phone
# registering with its digest challenge, an inbound call answered, bridged
# and hung up, a call whose caller hangs up while the agent's phone rings,
# which the B2BUA cancels) into DIR, one trace per
# sipp run, for making the fuzzing corpus (bench/fuzz/corpus/, README).
#
#   bench/fuzz/capture.sh DIR
# shellcheck source=tests/integration/lib.sh disable=SC2154
. "$(dirname "$0")/../../tests/integration/lib.sh"
dest=${1:?usage: bench/fuzz/capture.sh DIR}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

# shellcheck disable=SC2119
stack_start
agent1_ready 30
bridged_call c1 "$KNOWN_CALLER" >/dev/null
check "a call is bridged and hung up" test -n "$(call_of c1)"
phone a2 2 -set noanswer 1
check "agent2's phone registers" eventually 20 registered "$A2"
ready "$A2"
caller c2 "$NUMBER" -i 127.0.0.1 -set caller 13900139000
check "a caller hangs up while agent2's phone rings" test $? -eq 0
check "the B2BUA cancels agent2's INVITE" has_received a2 CANCEL
tell a1; tell a2
cp "$logs"/sipp-*.msg "$dest/"
finish
