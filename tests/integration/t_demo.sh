#!/usr/bin/env bash
# tests/demo.env names the demo data for every test tier and the benchmarks.
# Each of its values is checked here against what `scripts/stack.sh start
# --demo` loads (sql/demo), so that the two cannot drift apart.
. "$(dirname "$0")/lib.sh"

stack_start --only db

# row QUERY: one result row, its values separated by spaces.
row() { sql "$1" | tr '\t' ' '; }
checked=()

for n in 1 2 3; do
  id=A$n login=A${n}_LOGIN name=A${n}_NAME sip=A${n}_SIP pass=A${n}_SIP_PASSWORD
  expect_eq "A$n is ${!login} ($id, ${id}_LOGIN, ${id}_NAME, AGENT_PASSWORD), an agent in DEPT" \
    "${!login} ${!name} 1 1 $DEPT" \
    "$(row "SELECT u.USERNAME, u.uname, u.PASSWORD = MD5(MD5('$AGENT_PASSWORD')), u.agent, o.organ
            FROM cs_user u JOIN cs_organ_user o ON o.userid = u.ID WHERE u.ID = '${!id}'")"
  expect_eq "${id}_SIP / ${id}_SIP_PASSWORD is ${!login}'s phone account" "${!id} 1" \
    "$(row "SELECT user_id, ha1 = MD5(CONCAT(username, ':', domain, ':${!pass}'))
            FROM cc_sip_account WHERE username = '${!sip}'")"
  checked+=("$id" "$login" "$name" "$sip" "$pass")
done
expect_eq "AGENTS is the number of agents" "$AGENTS" "$(sql "SELECT COUNT(*) FROM cc_agent")"
expect_eq "ADMIN, ADMIN_LOGIN, ADMIN_PASSWORD are the admin" "$ADMIN_LOGIN 1 1" \
  "$(row "SELECT USERNAME, PASSWORD = MD5(MD5('$ADMIN_PASSWORD')), admin FROM cs_user WHERE ID = '$ADMIN'")"
expect_eq "STAFF, STAFF_LOGIN, STAFF_PASSWORD are a user with no call-center role" "$STAFF_LOGIN 1 0 0 $HQ" \
  "$(row "SELECT u.USERNAME, u.PASSWORD = MD5(MD5('$STAFF_PASSWORD')), u.agent, u.admin, o.organ
          FROM cs_user u JOIN cs_organ_user o ON o.userid = u.ID WHERE u.ID = '$STAFF'")"
checked+=(AGENTS AGENT_PASSWORD ADMIN ADMIN_LOGIN ADMIN_PASSWORD STAFF STAFF_LOGIN STAFF_PASSWORD)

expect_eq "HQ is the top department, DEPT a skill group under it" "0 0 $HQ 1" \
  "$(row "SELECT (SELECT PARENT FROM uk_organ WHERE ID = '$HQ'), (SELECT SKILL FROM uk_organ WHERE ID = '$HQ'),
                 (SELECT PARENT FROM uk_organ WHERE ID = '$DEPT'), (SELECT SKILL FROM uk_organ WHERE ID = '$DEPT')")"
# (The helpdesk's grants: the installer adds its menu entries' beside them.)
expect_eq "AGENT_ROLE is the role DEPT's members have" "CCAGENT 2" \
  "$(row "SELECT r.CODE, COUNT(*) FROM uk_role r JOIN uk_organrole g ON g.role_id = r.ID
          WHERE r.ID = '$AGENT_ROLE' AND g.organ_id = '$DEPT' AND g.dicvalue IN ('A01', 'A10')
          GROUP BY r.CODE")"
expect_eq "GROUP is DEPT's skill group GROUP_NAME, with AUDIO_MOH and AUDIO_NO_AGENT" \
  "$DEPT $GROUP_NAME moh.wav noagent.wav" \
  "$(row "SELECT g.organ_id, g.name, m.filename, n.filename FROM cc_skill_group g
          JOIN cc_audio m ON m.id = g.moh_audio_id JOIN cc_audio n ON n.id = g.no_agent_audio_id
          WHERE g.id = $GROUP AND m.id = $AUDIO_MOH AND n.id = $AUDIO_NO_AGENT")"
expect_eq "NUMBER reaches GROUP, welcomed by AUDIO_WELCOME" "$GROUP welcome.wav" \
  "$(row "SELECT n.skill_group_id, a.filename FROM cc_number n JOIN cc_audio a ON a.id = n.welcome_audio_id
          WHERE n.number = '$NUMBER' AND a.id = $AUDIO_WELCOME")"
checked+=(HQ DEPT AGENT_ROLE GROUP GROUP_NAME AUDIO_WELCOME AUDIO_MOH AUDIO_NO_AGENT NUMBER)
expect_eq "IVR_NUMBER goes to IVR_FLOW, published as version 1 (its draft)" "1 1 1 0" \
  "$(row "SELECT f.published_version, f.published_rev, f.draft = v.document, COUNT(n.skill_group_id)
          FROM cc_ivr_flow f JOIN cc_ivr_version v ON v.flow_id = f.id AND v.version = 1
          JOIN cc_number n ON n.ivr_flow_id = f.id WHERE f.id = $IVR_FLOW AND n.number = '$IVR_NUMBER'")"
checked+=(IVR_FLOW IVR_NUMBER)
expect_eq "OUTBOUND_NUMBER is GROUP's outbound number, the caller ID of TASK (stopped, TASK_TARGETS targets)" \
  "$OUTBOUND_NUMBER_ID outbound stopped $TASK_TARGETS $TASK_TARGETS" \
  "$(row "SELECT n.id, n.\`usage\`, t.state, t.targets_total, COUNT(g.id) FROM cc_number n
          JOIN cc_skill_group_number s ON s.number_id = n.id AND s.skill_group_id = $GROUP
          JOIN cc_task t ON t.caller_id_number_id = n.id AND t.caller_id = n.number AND t.skill_group_id = $GROUP
          JOIN cc_task_target g ON g.task_id = t.id
          WHERE n.number = '$OUTBOUND_NUMBER' AND t.id = $TASK GROUP BY n.id, t.id")"
checked+=(OUTBOUND_NUMBER_ID OUTBOUND_NUMBER TASK TASK_TARGETS)

expect_eq "CONTACT is CONTACT_NAME, whose mobile number is KNOWN_CALLER" "$CONTACT_NAME $KNOWN_CALLER" \
  "$(row "SELECT name, REPLACE(mobileno, ' ', '') FROM uk_contacts WHERE id = '$CONTACT'")"
expect_eq "CONTACT3's family phone is CONTACT3_CALLER" "$CONTACT3_CALLER" \
  "$(sql "SELECT familyphone FROM uk_contacts WHERE id = '$CONTACT3'")"
checked+=(CONTACT CONTACT_NAME KNOWN_CALLER CONTACT3 CONTACT3_CALLER)

expect_eq "every value in tests/demo.env is checked here" \
  "$(sed -n 's/^\([A-Z0-9_]*\)=.*/\1/p' "$top/tests/demo.env" | sort | tr '\n' ' ')" \
  "$(printf '%s\n' "${checked[@]}" | sort | tr '\n' ' ')"

finish
