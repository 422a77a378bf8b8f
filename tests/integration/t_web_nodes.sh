#!/usr/bin/env bash
# The web app with two B2BUA nodes (docs/web.md, "Several B2BUA nodes"): the
# stack's node1 and a node2 started here from a copy of node1's
# configuration on ports of its own; cc-web restarted with ctl_address
# listing both. The health endpoint lists both; events made on node2 (a
# call waiting in its queue, an agent's state set there) reach an admin's
# event stream; a command about node2's call goes to node2; a reload
# through the console reaches both; node2 killed (kill -9): the pages keep
# working on node1 and the health shows node2 down; node2 started again:
# the web app links to it again and its events flow once more.
. "$(dirname "$0")/lib.sh"

# Directories are read on `reload` only, so a reload seen is the console's.
export CC_B2BUA_OPTS="reload_s=0"
stack_start
web_setup webnodes
etc=$CC_STATE/etc

# --- node2 -----------------------------------------------------------------------
SIP2=$(free_port) DTMF2=$(free_port) CTL2=$(free_port)
sed -e "s|^node_id = .*|node_id = node2|" -e "s|^sip_listen = .*|sip_listen = 127.0.0.1:$SIP2|" \
  -e "s|^dtmf_listen = .*|dtmf_listen = 127.0.0.1:$DTMF2|" -e "s|^ctl_listen = .*|ctl_listen = 127.0.0.1:$CTL2|" \
  "$etc/b2bua-1.conf" > "$etc/b2bua-n2.conf"
chmod 600 "$etc/b2bua-n2.conf"
ctl2() { "$bin/cc-ctl" -a "127.0.0.1:$CTL2" -s "$CTL_SECRET_FILE" -t 20000 "$@"; }
node2_pid=""
node2_start() {
  setsid "${CC_BIN:-$bin}/cc-b2bua" -c "$etc/b2bua-n2.conf" >>"$logs/b2bua-n2.log" 2>&1 </dev/null &
  node2_pid=$!
}
node2_stop() {
  [ -n "$node2_pid" ] && kill -0 "$node2_pid" 2>/dev/null || return 0
  kill -TERM "$node2_pid"
  eventually 10 gone "$node2_pid" || kill -KILL "$node2_pid"
}
on_exit node2_stop
node2_named() { [ "$(ctl2 ping | jq -r .node)" = node2 ]; }
# A call that waits in the queue: no agent is ready, the group waits long.
sql "UPDATE cc_skill_group SET max_wait_s = 300"
ctl reload >/dev/null
node2_start
check "node2 answers its ping as node2" eventually 30 node2_named

# --- cc-web with both nodes ------------------------------------------------------
web_pid=$(svc_pid web)
kill -TERM "$web_pid"
check "cc-web stops" eventually 20 gone "$web_pid"
sed -i "s|^ctl_address = .*|ctl_address = 127.0.0.1:$CTL_PORT 127.0.0.1:$CTL2|" "$etc/web.conf"
setsid "${CC_BIN:-$bin}/cc-web" -c "$etc/web.conf" >>"$logs/web.log" 2>&1 </dev/null &
echo $! > "$CC_STATE/run/web.pid"
health() { http "$1" "$base/cc/health" >/dev/null; cat "$tmp/$1.b"; }
both_up() { h=$(health h1); grep -q '^b2bua 1 node1 up' <<<"$h" && grep -q '^b2bua 2 node2 up' <<<"$h"; }
check "the health lists both nodes, up" eventually 30 both_up
diag "$(health h1 | tr '\n' '|')"
expect_eq "its status stays 200" 200 "$(http h2 "$base/cc/health")"
linked() { [ "$(grep -c "B2BUA node $1 at .*: connected" "$logs/web.log")" -ge "$2" ]; }
check "cc-web logs its link to each node" eventually 20 eval 'linked node1 1 && linked node2 1'

ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
expect_match "the admin signs in" '^[0-9a-f]{64}$' "$ta"
api() { local n=$1; shift; http "$n" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' "$@"; }
background curl -s -N --max-time 300 -b "$tmp/ja" -o "$tmp/es" "$base/cc/events?calls=1"
stream_open() { grep -q '^event: hello' "$tmp/es" 2>/dev/null; }
check "the admin's event stream is open" eventually 20 stream_open
# seen EVENT JQ: the stream carried EVENT with data matching the jq test.
seen() {
  sed -n "/^event: $1\$/{n;s/^data: //p}" "$tmp/es" | jq -e "select($2)" >/dev/null 2>&1
}

badge() { grep -o "<span class=\"badge [a-z-]*\" data-node=\"$2\"" "$tmp/$1.b" | grep -o 'reg-o[nf]*'; }
expect_eq "the admin's overview shows both nodes up" "200 reg-on reg-on" \
  "$(http p1 -b "$tmp/ja" "$base/cc/admin") $(badge p1 node1) $(badge p1 node2)"

# --- events of node2 reach the browser ----------------------------------------------
background sipp 127.0.0.1:"$SIP2" -nostdin -m 1 -p "$(free_port)" -i 127.0.0.1 \
  -sf "$sipdir/gateway/uac.xml" -s "$NUMBER" -set caller 13900139771 -set until_notify 1 \
  -trace_msg -message_file "$logs/sipp-n2.msg" -trace_err -error_file "$logs/sipp-n2.err"
queued_on_node2() { ctl2 call.list | jqe '.calls[] | select(.caller == "13900139771" and .state == "queued")' >/dev/null; }
check "a call sent to node2 waits in its queue" eventually 30 queued_on_node2
CALL2=$(ctl2 call.list | jq -r '.calls[] | select(.caller == "13900139771") | .id')
expect_eq "its record names node2" node2 "$(col "$CALL2" node)"
check "its call.queued (made on node2) reaches the admin's stream" \
  eventually 20 seen call.queued ".call == \"$CALL2\""
ctl2 agent.state agent="$A2" state=not_ready reason=meal >/dev/null
check "an agent's state set on node2 reaches the stream" \
  eventually 20 seen agent.state ".agent == \"$A2\" and .state == \"not_ready\" and .reason == \"meal\""

# --- a command about node2's call goes to node2 ------------------------------------------
sql "INSERT INTO cc_sip_account (user_id, username, ha1) VALUES ('$ADMIN', '1009', MD5('1009:$SIP_REALM:sip1009'))"
listen() { api "$1" --data-binary '{}' "$base/cc/api/wallboard/calls/$2/listen"; }
expect_eq "listening to node2's waiting call: node2's answer (not_bridged), not node1's (unknown_call)" \
  "409 not_bridged" "$(listen l1 "$CALL2") $(json l1 .error)"
expect_eq "node1 indeed does not know the call" unknown_call \
  "$(ctl call.monitor call="$CALL2" sip=1009 | jq -r .error)"
expect_eq "a call no node has: 404 unknown_call" "404 unknown_call" \
  "$(listen l2 0123456789abcdef0123456789abcdef) $(json l2 .error)"

# --- the lists: both nodes' -------------------------------------------------------
expect_eq "the overview's queues count node2's waiting call" 1 \
  "$(api o1 "$base/cc/api/admin/overview" >/dev/null; json o1 "[.queues[] | select(.id == $GROUP) | .waiting] | add")"

# --- reload reaches both -----------------------------------------------------------
t1=$(ctl ping | jq .dir_loaded) t2=$(ctl2 ping | jq .dir_loaded)
st=$(api g1 --data '{"strategy":"longest_idle"}' "$base/cc/api/admin/groups/$GROUP")
expect_eq "a group saved through the console is in force" "200 true true" "$st $(json g1 .ok) $(json g1 .reloaded)"
past() { local t; t=$(${1} ping | jq .dir_loaded); [[ $t =~ ^[0-9]+$ ]] && [ "$t" -gt "$2" ]; }
check "node1 read its directory again" eventually 20 past ctl "$t1"
check "node2 read its directory again" eventually 20 past ctl2 "$t2"

# --- node2 dies ------------------------------------------------------------------
kill -9 "$node2_pid"
check "node2 is gone" eventually 10 gone "$node2_pid"
node2_down() { h=$(health h3); grep -q '^b2bua 1 node1 up' <<<"$h" && grep -q '^b2bua 2 node2 down' <<<"$h"; }
check "the health shows node1 up, node2 down" eventually 20 node2_down
check "cc-web logs node2 unavailable" eventually 20 grep -q "B2BUA node node2 at .*: unavailable" "$logs/web.log"
expect_eq "the overview still answers, from node1" "200 true" \
  "$(api o2 "$base/cc/api/admin/overview") $(json o2 '.agents | length > 0')"
node2_unlinked() { api o3 "$base/cc/api/admin/overview" >/dev/null; [ "$(json o3 '[.nodes[] | "\(.name) \(.up)"] | join(",")')" = "node1 true,node2 false" ]; }
check "the overview's API lists node2's link down" eventually 20 node2_unlinked
expect_eq "so does the admin's page" "200 reg-on reg-off" \
  "$(http p2 -b "$tmp/ja" "$base/cc/admin") $(badge p2 node1) $(badge p2 node2)"
set_state "$A3" ready
check "node1's events still reach the stream" eventually 20 seen agent.state ".agent == \"$A3\" and .state == \"ready\""
expect_eq "the admin's stream was not told the B2BUA is down" 0 \
  "$(sed -n '/^event: link$/{n;p}' "$tmp/es" | grep -c '"up":false')"

# --- node2 comes back ---------------------------------------------------------------
node2_start
check "node2 answers again" eventually 30 node2_named
check "the health shows both up again" eventually 30 both_up
check "cc-web links to node2 again" eventually 20 linked node2 2
ctl2 agent.state agent="$A2" state=not_ready reason=training >/dev/null
check "node2's events reach the stream again" \
  eventually 20 seen agent.state ".agent == \"$A2\" and .reason == \"training\""

finish
