#!/usr/bin/env bash
# Skill groups' queue settings with real calls (docs/queues.md): each change
# is written to the database, the running B2BUA re-reads its directory
# through the control socket, and the next call follows it: agents' levels,
# the routing strategy, a dedicated agent, a group with nobody signed in,
# an overflow to another group at the maximum wait, and the announcements a
# waiting caller hears (played by rtpengine).
#
# Demo data (tests/demo.env): $A1..$A3 (phones 1001..1003) in group $GROUP
# of $NUMBER; $KNOWN_CALLER is the contact $CONTACT.
. "$(dirname "$0")/lib.sh"

stack_start

three_agents_answer

answered_by() { col "$1" "CONCAT(result, ' ', COALESCE(agent_id, '-'))"; }
group() { sql "UPDATE cc_skill_group SET $1 WHERE id = $GROUP"; check "the B2BUA re-reads it ($1)" reload_dir; }

# --- 1. levels: the agent of level 1 first, whoever idles longest -------------------
sql "INSERT INTO cc_skill_group_member (skill_group_id, user_id, level) VALUES
     ($GROUP, '$A1', 2), ($GROUP, '$A2', 1), ($GROUP, '$A3', 3)
     ON DUPLICATE KEY UPDATE level = VALUES(level)"
group "strategy = 'longest_idle'"
ready "$A1" "$A3" "$A2"
expect_eq "agent2 (level 1) gets the call, not agent1 (level 2, idle longest)" "answered $A2" \
  "$(answered_by "$(bridged_call l1 13900139101)")"
sql "UPDATE cc_skill_group_member SET level = 1 WHERE user_id = '$A1'"
sql "UPDATE cc_skill_group_member SET level = 2 WHERE user_id = '$A2'"
check "a change of levels is re-read" reload_dir
ready "$A2" "$A3" "$A1"
expect_eq "after the change agent1 (now level 1) gets it" "answered $A1" \
  "$(answered_by "$(bridged_call l2 13900139102)")"

# --- 2. the strategy: fewest calls today, then top-down -----------------------------
sql "UPDATE cc_skill_group_member SET level = 1"
group "strategy = 'fewest_calls'"
ready "$A1" "$A2" "$A3"
expect_eq "fewest_calls: agent3 (no call yet today) though agent1 idles longest" "answered $A3" \
  "$(answered_by "$(bridged_call s1 13900139103)")"
group "strategy = 'top_down'"
ready "$A3" "$A2" "$A1"
expect_eq "top_down: agent1, first in order, though agent3 idles longest" "answered $A1" \
  "$(answered_by "$(bridged_call s2 13900139104)")"

# --- 3. a dedicated agent first ------------------------------------------------------
group "strategy = 'longest_idle', dedicated_wait_s = 10"
sql "INSERT INTO cc_dedicated_agent (contact_id, user_id) VALUES ('$CONTACT', '$A3')"
ready "$A1" "$A2" "$A3"
expect_eq "the contact's dedicated agent (agent3) gets it, not the longest idle" "answered $A3" \
  "$(answered_by "$(bridged_call d1 "$KNOWN_CALLER")")"
ready "$A1" "$A2" "$A3"
expect_eq "another caller goes by the group's strategy (agent1)" "answered $A1" \
  "$(answered_by "$(bridged_call d2 13900139105)")"
sql "DELETE FROM cc_dedicated_agent"

# --- 4. nobody signed in: the group closes at once --------------------------------------
group "no_agent_action = 'hangup', max_wait_s = 30"
ready
caller u1 "$NUMBER" -i 127.0.0.1 -set caller 13900139106 -set wait_bye 1
check "the caller gets a BYE" test $? -eq 0
call=$(call_of u1)
expect_eq "no agent, at once (not after the 30 s maximum wait)" "no_agent 1" \
  "$(col "$call" "CONCAT(result, ' ', TIMESTAMPDIFF(SECOND, enqueued_at, ended_at) < 20)")"
expect_eq "event log" "start enqueue no_agent end" \
  "$(sql "SELECT GROUP_CONCAT(event ORDER BY id SEPARATOR ' ') FROM cc_call_event WHERE call_id = '$call' AND event <> 'prompt'")"
expect_match "the no-agent prompt was played" 'noagent.wav [1-9][0-9]* ms' \
  "$(sql "SELECT GROUP_CONCAT(detail) FROM cc_call_event WHERE call_id = '$call' AND event = 'prompt'")"

# --- 5. overflow at the maximum wait ----------------------------------------------------
sql "INSERT INTO cc_skill_group (id, name, ring_timeout_s, max_wait_s, wrapup_s) VALUES (2, '溢出组 overflow', 30, 30, 0)"
sql "INSERT INTO cc_skill_group_member (skill_group_id, user_id, level) VALUES (2, '$A2', 1)"
group "no_agent_action = 'wait', max_wait_s = 2, max_wait_action = 'overflow', overflow_group_id = 2"
sql "DELETE FROM cc_skill_group_member WHERE skill_group_id = $GROUP AND user_id = '$A2'"
check "group 2 is read" reload_dir
ready
background caller o1 "$NUMBER" -i 127.0.0.1 -set caller 13900139107 -set until_notify 1
o1=$BG_PID
in_group2() { ctl call.list | jqe '.calls[] | select(.group == 2)' >/dev/null; }
check "after the maximum wait the call waits in group 2" eventually 30 in_group2
set_state "$A2" ready
check "agent2 of group 2 takes it" eventually 30 call_in_state bridged
hang_up o1 "$o1"
call=$(call_of o1)
expect_eq "answered in group 2 by agent2" "answered $A2 2" \
  "$(col "$call" "CONCAT(result, ' ', agent_id, ' ', skill_group_id)")"
expect_eq "event log" "start enqueue no_agent enqueue offer ringing answer end" \
  "$(sql "SELECT GROUP_CONCAT(event ORDER BY id SEPARATOR ' ') FROM cc_call_event WHERE call_id = '$call' AND event <> 'prompt'")"

# --- 6. announcements while waiting ------------------------------------------------------
group "max_wait_s = 30, max_wait_action = 'hangup', announce_interval_s = 2, announce_position = 1, announce_wait = 1"
ready
background "$bin/cc-ctl" -a "$CTL_ADDR" -s "$CTL_SECRET_FILE" -e call.prompt -w 60 \
  >"$logs/ctl-prompts.out" 2>"$logs/ctl-prompts.err"
check "a client subscribes to the prompts played" eventually 20 grep -q subscribed "$logs/ctl-prompts.err"
background caller a1 "$NUMBER" -i 127.0.0.1 -set caller 13900139108 -set until_notify 1
a1pid=$BG_PID
announced() { grep -q '"sys-wait-' "$logs/ctl-prompts.out"; }
check "the waiting caller hears an announcement (as it plays)" eventually 30 announced
music_after() { sed -n '/"sys-wait-/,$p' "$logs/ctl-prompts.out" | grep -q '"moh.wav"'; }
check "and then the music again" eventually 30 music_after
hang_up a1 "$a1pid"
call=$(call_of a1)
expect_match "its position (first in line) and its estimated wait, played by rtpengine" \
  'sys-pos-1.wav [1-9][0-9]* ms,sys-wait-[0-9]+.wav [1-9][0-9]* ms' \
  "$(sql "SELECT GROUP_CONCAT(detail ORDER BY id) FROM cc_call_event WHERE call_id = '$call' AND event = 'prompt' AND detail LIKE 'sys-%'")"
expect_eq "the record has the music after it too" 1 \
  "$(sql "SELECT COUNT(*) > 0 FROM cc_call_event WHERE call_id = '$call' AND event = 'prompt' AND detail LIKE 'moh.wav%'
          AND id > (SELECT MIN(id) FROM cc_call_event WHERE call_id = '$call' AND detail LIKE 'sys-wait-%')")"

# --- 7. ring_all: every ready agent's phone at once ---------------------------------------
group "strategy = 'ring_all', announce_interval_s = 0"
ready "$A1" "$A2" "$A3"
i1=$(received a1 INVITE) i2=$(received a2 INVITE) i3=$(received a3 INVITE)
call=$(bridged_call r1 13900139109)
expect_match "one of them answers" "^answered 0u0+[234]$" "$(answered_by "$call")"
expect_eq "all three phones rang" "1 1 1" \
  "$(( $(received a1 INVITE) - i1 )) $(( $(received a2 INVITE) - i2 )) $(( $(received a3 INVITE) - i3 ))"
all_ready() { state_is "$A1" ready && state_is "$A2" ready && state_is "$A3" ready; }
check "afterwards all three are ready again (no wrap-up; nobody blamed)" eventually 20 all_ready
expect_eq "three offers on the record" 3 "$(col "$call" offers)"

finish
