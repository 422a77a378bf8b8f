#!/usr/bin/env bash
# Several rtpengines (docs/rtpengines.md): with CC_RTPENGINES=2 each has its
# own ng port, pid, log and RTP range; the B2BUA spreads calls over both and
# keeps each call on its rtpengine; the keys pressed in an IVR menu arrive
# whichever rtpengine carries the call (over the rtpengines' TCP ng ports,
# CC_DTMF=tcp); after a kill -9 of one, ping says it is down and every new
# call works on the other; started again, it is up and takes calls again.
# Then two B2BUA nodes share one rtpengine: a key pressed on a call of node
# 2 reaches node 2.
. "$(dirname "$0")/lib.sh"

CC_RTPENGINES=2 CC_DTMF=tcp stack_start
read -r -a ngp <<<"$NG_PORTS"
ngctl() { local p=$1; shift; "$bin/cc-ngctl" -a "127.0.0.1:$p" "$@"; }
answers() { ngctl "$1" ping >/dev/null; }

# --- 1. two rtpengines, each on its own ------------------------------------------------
expect_eq "ports.env: two ng ports, the first is NG_PORT" "2 $NG_PORT" "${#ngp[@]} ${ngp[0]}"
pid1=$(svc_pid rtpengine) pid2=$(svc_pid rtpengine-2)
check "each rtpengine runs with its own pid file ($pid1, $pid2)" \
  test -n "$pid1" -a -n "$pid2" -a "$pid1" != "$pid2" -a -d "/proc/$pid1" -a -d "/proc/$pid2"
check "... and its own log" test -f "$logs/rtpengine.log" -a -f "$logs/rtpengine-2.log"
arg_of() { tr '\0' '\n' < "/proc/$1/cmdline" | sed -n "s/^--$2=//p"; }
min1=$(arg_of "$pid1" port-min) max1=$(arg_of "$pid1" port-max)
min2=$(arg_of "$pid2" port-min) max2=$(arg_of "$pid2" port-max)
check "their RTP ranges split RTP_MIN..RTP_MAX ($min1-$max1, $min2-$max2)" \
  test "$min1" = "$RTP_MIN" -a "$max1" -lt "$min2" -a "$max2" = "$RTP_MAX"
for i in 0 1; do
  check "rtpengine $((i + 1)) answers ping on ${ngp[i]}" answers "${ngp[i]}"
  check "rtpengine $((i + 1)) listens for ng on TCP at the same port" \
    eval "ss -Hltn 'sport = :${ngp[i]}' | grep -q 127.0.0.1"
done
expect_eq "the B2BUA's ng_address lists both" "ng_address = 127.0.0.1:${ngp[0]} 127.0.0.1:${ngp[1]}" \
  "$(grep '^ng_address' "$CC_STATE/etc/b2bua-1.conf")"
kam_rtpengines() {
  rm -f "$CC_STATE/kc.sock"
  echo '{"jsonrpc":"2.0","method":"rtpengine.show","params":["all"],"id":1}' |
    timeout 5 socat -t 2 - "UNIX-SENDTO:$CC_STATE/run/kamailio/rpc.sock,bind=$CC_STATE/kc.sock" |
    jq -r '[.result[] | "\(.url) \(.disabled)"] | join(", ")'
}
expect_eq "Kamailio's rtpengine set (browser phones) has both, enabled" \
  "udp:127.0.0.1:${ngp[0]} 0, udp:127.0.0.1:${ngp[1]} 0" "$(kam_rtpengines)"
rtpes() { ctl ping | jq -c '[.rtpengines[] | [.address, .up, .dtmf, .calls]]'; }
both_up() {
  [ "$(rtpes)" = "[[\"127.0.0.1:${ngp[0]}\",true,true,0],[\"127.0.0.1:${ngp[1]}\",true,true,0]]" ]
}
check "ping: both rtpengines up, no calls, their DTMF connections made" eventually 20 both_up
status=$(CC_STATE=$CC_STATE "$top/scripts/stack.sh" status)
expect_eq "stack.sh status: a line for each rtpengine, its ng port answering" \
  "rtpengine: running (pid $pid1), ng 127.0.0.1:${ngp[0]}, answers|rtpengine-2: running (pid $pid2), ng 127.0.0.1:${ngp[1]}, answers" \
  "$(grep '^rtpengine' <<<"$status" | paste -sd'|')"
check "ping keeps its other fields" eval "ctl ping | jqe '.node == \"node1\" and .ready and .calls == 0 and .ng_waiting >= 0 and .ng_lagging == 0 and .sip_refused >= 0' >/dev/null"

# --- 2. calls spread over both; the IVR's keys arrive from each -----------------------
sql "UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = 30, wrapup_s = 0, no_answer_break = 0"
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.3 sine 440 2>/dev/null
check "the B2BUA reloads its directory" reload_dir
phone a1 1 -set answer_ms 300
phone a2 2 -set answer_ms 300
both_registered() { registered "$A1" && registered "$A2"; }
check "agents' phones register" eventually 30 both_registered
ready "$A1" "$A2"
bridged_n() { [ "$(ctl call.list | jq '[.calls[] | select(.state == "bridged")] | length')" = "$1" ]; }
background caller k1 "$IVR_NUMBER" -i 127.0.0.1 -set caller 13900139301 -set key 1 -set until_notify 1
p1=$BG_PID
check "a first IVR call: key 1 takes it to an agent" eventually 30 bridged_n 1
background caller k2 "$IVR_NUMBER" -i 127.0.0.1 -set caller 13900139302 -set key 1 -set until_notify 1
p2=$BG_PID
check "a second one while the first talks: key 1, the other agent" eventually 30 bridged_n 2
# where CALL: which rtpengine (1, 2) knows CALL.
where() {
  local i
  for i in 0 1; do ngctl "${ngp[i]}" query call-id="$1" >/dev/null 2>&1 && echo $((i + 1)); done
}
ids=($(ctl call.list | jq -r '.calls[].id'))
on=$( (where "${ids[0]}"; where "${ids[1]}") | sort | tr '\n' ' ')
expect_eq "each call is on another rtpengine, and only there" "1 2 " "$on"
expect_eq "ping counts one call on each" "[1,1]" "$(ctl ping | jq -c '[.rtpengines[].calls]')"
packets_at() { # PORT CALL TAG
  ngctl "$1" query call-id="$2" 2>/dev/null | jq "[.tags[\"$3\"].medias[]?.streams[]?.stats.packets // 0] | add // 0"
}
media_at() { [ "$(packets_at "$1" "$2" "$3")" -gt 20 ]; }
for id in "${ids[@]}"; do
  at=${ngp[$(( $(where "$id") - 1 ))]}
  check "call $id: its rtpengine ($at) relays the caller's RTP" eventually 20 media_at "$at" "$id" caller
  check "... and the B2BUA's log names it" grep -q "call $id: INVITE .*, rtpengine 127.0.0.1:$at\$" "$logs/b2bua-1.log"
done
hang_up k1 "$p1" >/dev/null
hang_up k2 "$p2" >/dev/null
check "both calls end" eventually 20 no_calls
path() {
  sql "SELECT detail FROM cc_call_event WHERE call_id = '$1' AND event = 'ivr' ORDER BY id" |
    awk '{ $1 = ""; sub(/^ /, ""); printf "%s%s", (NR > 1 ? "; " : ""), $0 }'
}
for k in k1 k2; do
  id=$(call_of $k)
  expect_eq "call $k ($id): key 1 left the menu, not its timeout" \
    "start; start next; menu; menu key 1 1; queue" "$(path "$id")"
done
check "the calls' rtpengines were given back" eventually 10 both_up

# --- 3. one rtpengine killed: the other takes every new call --------------------------
t_kill=$(date +%s.%N)
kill -9 "$pid2"
check "rtpengine 2 (pid $pid2) is gone" eventually 20 gone "$pid2"
down2() { ctl ping | jqe ".rtpengines[1].up == false and .rtpengines[0].up == true" >/dev/null; }
check "ping shows rtpengine 2 down, rtpengine 1 up" eventually 20 down2
t_down=$(date -d "$(grep -m 1 "rtpengine 127.0.0.1:${ngp[1]} does not answer" "$logs/b2bua-1.log" | cut -c1-23)" +%s.%N)
diag "rtpengine 2 was taken for down $(echo "$t_down - $t_kill" | bc) s after the kill (at most ng_ping_ms + ng_timeout_ms x ng_tries)"
b2b=$(svc_pid b2bua-1)
for i in 1 2 3; do
  caller n$i "$IVR_NUMBER" -i 127.0.0.1 -set caller 1390013931$i -set key 2 -set wait_bye 1
  check "new call $i after the kill: the notice, then the flow's hang-up" test $? -eq 0
  expect_eq "new call $i: key 2 arrived (from rtpengine 1)" \
    "start; start next; menu; menu key 2 2; info; info next; bye" "$(path "$(call_of n$i)")"
done
expect_eq "and none was refused or failed" "0" \
  "$(sql "SELECT COUNT(*) FROM cc_call WHERE caller LIKE '1390013931_' AND result = 'failed'")"
expect_eq "rtpengine 2 is still down" "false" "$(ctl ping | jq '.rtpengines[1].up')"
expect_eq "its going down is logged once" 1 \
  "$(grep -c "rtpengine 127.0.0.1:${ngp[1]} does not answer" "$logs/b2bua-1.log")"
expect_eq "its DTMF connection's loss is logged once" 1 \
  "$(grep -c "rtpengine 127.0.0.1:${ngp[1]}: DTMF connection lost" "$logs/b2bua-1.log")"
expect_eq "the B2BUA is the same process" "$b2b" "$(svc_pid b2bua-1)"

# --- 4. it comes back: up again, calls go to it again, its keys arrive -------------------
expect_eq "stack.sh status: rtpengine-2 stopped, no answer on its port" \
  "rtpengine-2: stopped, ng 127.0.0.1:${ngp[1]}, no answer" \
  "$(CC_STATE=$CC_STATE "$top/scripts/stack.sh" status | grep '^rtpengine-2')"
check "stack.sh restart rtpengine-2 starts it alone" svc_restart rtpengine-2
check "rtpengine 2 runs again" eventually 20 answers "${ngp[1]}"
expect_eq "... rtpengine 1 is the same process" "$pid1" "$(svc_pid rtpengine)"
pid2b=$(svc_pid rtpengine-2)
check "... rtpengine 2 is a new one ($pid2b) on the same RTP range" \
  test "$pid2b" != "$pid2" -a "$(arg_of "$pid2b" port-min)-$(arg_of "$pid2b" port-max)" = "$min2-$max2"
check "ping shows it up again, with its DTMF connection" eventually 20 both_up
expect_eq "its return is logged once" 1 \
  "$(grep -c "rtpengine 127.0.0.1:${ngp[1]} answers again" "$logs/b2bua-1.log")"
check "... and its DTMF connection's" eventually 10 \
  eval "[ \"\$(grep -c 'rtpengine 127.0.0.1:${ngp[1]}: receiving DTMF events over TCP again' '$logs/b2bua-1.log')\" = 1 ]"
check "agents are ready again" eventually 20 eval 'state_is "$A1" ready && state_is "$A2" ready'
background caller k3 "$IVR_NUMBER" -i 127.0.0.1 -set caller 13900139303 -set key 1 -set until_notify 1
p3=$BG_PID
check "a call: key 1, an agent" eventually 30 bridged_n 1
background caller k4 "$IVR_NUMBER" -i 127.0.0.1 -set caller 13900139304 -set key 1 -set until_notify 1
p4=$BG_PID
check "another one meanwhile: key 1, the other agent" eventually 30 bridged_n 2
ids=($(ctl call.list | jq -r '.calls[].id'))
on=$( (where "${ids[0]}"; where "${ids[1]}") | sort | tr '\n' ' ')
expect_eq "one of them is on the rtpengine that came back" "1 2 " "$on"
hang_up k3 "$p3" >/dev/null
hang_up k4 "$p4" >/dev/null
check "both calls end" eventually 20 no_calls
for k in k3 k4; do
  expect_eq "call $k: key 1 left the menu" "start; start next; menu; menu key 1 1; queue" \
    "$(path "$(call_of $k)")"
done

check "stack.sh restart rtpengine restarts both" svc_restart rtpengine
p1=$(svc_pid rtpengine) p2=$(svc_pid rtpengine-2)
check "... each a new process ($p1, $p2)" \
  test -n "$p1" -a -n "$p2" -a "$p1" != "$pid1" -a "$p2" != "$pid2b" -a -d "/proc/$p1" -a -d "/proc/$p2"
check "... and the B2BUA finds both up again" eventually 20 both_up

# --- 5. two B2BUA nodes share one rtpengine: node 2 hears its keys ----------------------
stack_stop
CC_B2BUA_NODES=2 stack_start
expect_eq "with two nodes, DTMF goes over TCP by default" "tcp" "$DTMF_VIA"
read -r _ CTL2_PORT <<<"$CTL_PORTS"
ctl2() { "$bin/cc-ctl" -a "127.0.0.1:$CTL2_PORT" -s "$CTL_SECRET_FILE" -t 20000 "$@"; }
feeds() { [ "$(ctl ping | jq .rtpengines[0].dtmf)/$(ctl2 ping | jq .rtpengines[0].dtmf)" = true/true ]; }
check "both nodes have their DTMF connection to the rtpengine" eventually 20 feeds
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/welcome.wav" synth 0.3 sine 440 2>/dev/null
for i in 1 2; do
  caller m$i "$IVR_NUMBER" -i 127.0.0.1 -set caller 1390013932$i -set key 2 -set wait_bye 1
  check "call $i to the IVR passes" test $? -eq 0
done
nodes=$(sql "SELECT GROUP_CONCAT(node ORDER BY node) FROM cc_call WHERE caller IN ('13900139321', '13900139322')")
expect_eq "Kamailio gave one call to each node" "node1,node2" "$nodes"
for i in 1 2; do
  id=$(call_of m$i)
  expect_eq "call $i on $(col "$id" node): its key left the menu" \
    "start; start next; menu; menu key 2 2; info; info next; bye" "$(path "$id")"
done

finish
