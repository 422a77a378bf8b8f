#!/usr/bin/env bash
# What the admin console changes, the running B2BUA does at the next call,
# without a restart: through the console's JSON API (nginx, the web app,
# the audit log, the reload through the control socket) a skill group's
# strategy, an agent's level in it (a binding), and a number's inbound
# target are changed, and each time a real call follows the change.
. "$(dirname "$0")/lib.sh"

stack_start
web_setup console

three_agents_answer

ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
expect_match "the admin signs in" '^[0-9a-f]{64}$' "$ta"
api() { local n=$1; shift; http "$n" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' "$@"; }
# change NAME URL JSON: one change through the API; it must be saved and in
# force in the B2BUA (the answer says reloaded).
change() {
  local st
  st=$(api "$1" --data "$3" "$base$2")
  expect_eq "$1: saved and in force ($3)" "200 true true" "$st $(json "$1" .ok) $(json "$1" .reloaded)"
}

# answered NAME CALLER [NUMBER]: a call bridged to an agent, then hung up;
# prints its result, agent and skill group.
answered() {
  col "$(bridged_call "$@")" "CONCAT(result, ' ', COALESCE(agent_id, '-'), ' ', COALESCE(skill_group_id, '-'))"
}
levels() { jq -cn --arg a1 "$A1" --arg a2 "$A2" --arg a3 "$A3" --argjson l "[$1]" \
  '{agents: [{id: $a1, level: $l[0]}, {id: $a2, level: $l[1]}, {id: $a3, level: $l[2]}]}'; }

# --- 1. the strategy ---------------------------------------------------------------
change g1 "/cc/api/admin/groups/$GROUP" "$(levels 1,1,1 | jq -c '. + {strategy: "top_down"}')"
ready "$A3" "$A2" "$A1"
expect_eq "top_down: agent1 (first in order) though agent3 idles longest" "answered $A1 $GROUP" "$(answered c1 13900139201)"
change g2 "/cc/api/admin/groups/$GROUP" '{"strategy":"longest_idle"}'
ready "$A3" "$A2" "$A1"
expect_eq "longest_idle: now agent3" "answered $A3 $GROUP" "$(answered c2 13900139202)"
change g3 "/cc/api/admin/groups/$GROUP" '{"strategy":"ring_all"}'
ready "$A1" "$A2" "$A3"
n1=$(received a1 INVITE) n2=$(received a2 INVITE) n3=$(received a3 INVITE)
expect_match "ring_all: one of them answers" "^answered 0u0+[234] $GROUP$" "$(answered c3 13900139203)"
expect_eq "and every phone rang" "1 1 1" \
  "$(( $(received a1 INVITE) - n1 )) $(( $(received a2 INVITE) - n2 )) $(( $(received a3 INVITE) - n3 ))"

# --- 2. a binding: the agents' levels in the group ----------------------------------------
change g4 "/cc/api/admin/groups/$GROUP" "$(levels 2,1,3 | jq -c '. + {strategy: "longest_idle"}')"
ready "$A1" "$A3" "$A2"
expect_eq "agent2 (level 1) though agent1 idles longest" "answered $A2 $GROUP" "$(answered c4 13900139204)"
change g5 "/cc/api/admin/groups/$GROUP" "$(levels 3,2,1)"
ready "$A1" "$A2" "$A3"
expect_eq "after the change, agent3 (now level 1)" "answered $A3 $GROUP" "$(answered c5 13900139205)"

# --- 3. a number's inbound target ---------------------------------------------------------
st=$(api g6 --data "$(jq -cn --arg a "$A1" '{name: "二线 second line", agents: [{id: $a, level: 1}]}')" "$base/cc/api/admin/groups")
G2=$(json g6 .item.id)
expect_eq "a second group with agent1 alone" "201 true" "$st $(json g6 .reloaded)"
NID=$(sql "SELECT id FROM cc_number WHERE number = '$NUMBER'")
change n1 "/cc/api/admin/numbers/$NID" "{\"skill_group_id\":$G2}"
ready "$A2" "$A3" "$A1"
expect_eq "the number's calls go to the new group's agent" "answered $A1 $G2" "$(answered c6 13900139206)"
change n2 "/cc/api/admin/numbers/$NID" "{\"skill_group_id\":$GROUP}"
ready "$A1" "$A2" "$A3"
expect_match "and back to the first group" "^answered 0u0+[234] $GROUP$" "$(answered c7 13900139207)"

# --- 4. every change is in the audit log ----------------------------------------------------
expect_eq "the changes were recorded (groups updated 5 times, created once; the number twice)" "5 1 2" \
  "$(sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'groups' AND action = 'update'") $(sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'groups' AND action = 'create'") $(sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'numbers' AND action = 'update'")"

# --- 5. an agent is refused every page of the console -------------------------------------
# The pages the admin's side navigation leads to, whichever feature added
# them, then each list's JSON; requested with an agent's session.
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
expect_match "agent1 signs in" '^[0-9a-f]{64}$' "$t1"
http side -b "$tmp/ja" "$base/cc/admin" >/dev/null
pages=$(grep -o 'href="/cc/admin[^"]*" id="side-' "$tmp/side.b" | sed 's/^href="//; s/" id=.*//' | sort -u)
check "the side navigation lists the console's pages ($(echo $pages | wc -w))" test "$(echo $pages | wc -w)" -ge 4
refused=""
for p in $pages ${pages//\/cc\/admin/\/cc\/api\/admin}; do
  [ "$p" = /cc/api/admin ] && p=/cc/api/admin/overview
  st=$(http agentpage -b "$tmp/j1" "$base$p")
  [ "$st" = 403 ] || refused="$refused $p:$st"
done
expect_eq "every one answers the agent 403" "" "$refused"
st=$(http agentpost -b "$tmp/j1" -H "X-CSRF-Token: $t1" -H 'Content-Type: application/json' --data '{"strategy":"random"}' "$base/cc/api/admin/groups/$GROUP")
expect_eq "and a change the agent sends is refused, nothing changed" "403 longest_idle" \
  "$st $(sql "SELECT strategy FROM cc_skill_group WHERE id = $GROUP")"

finish
