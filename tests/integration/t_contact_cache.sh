#!/usr/bin/env bash
# The caller lookup and its cache through the real stack (docs/lookup.md):
# a second call from a number pops the same contact without a query (the
# B2BUA's contact.stats); a save in the workbench (POST
# /cc/api/contacts/save) makes the next call pop what was saved, for a known
# caller and for an unknown one saved as a new contact; changes the helpdesk
# makes in its own table (a name, a number moved, a contact deleted, a newer
# contact on a shared number, a touch alone) are popped once the index sync
# has run; binding a dedicated agent forgets the contact's kept answer; a
# save while the B2BUA is down still succeeds. The lookup's plan on the
# stack's MariaDB has no temporary table and no filesort, and MariaDB's
# user statistics (userstat) show no index read for a call answered from
# memory.
#
# Demo data (tests/demo.env): agent1 answers every call of $NUMBER's group;
# $KNOWN_CALLER is $CONTACT (陈小明); 刘芳 ($CONTACT2 below) holds
# 010-88886666; 孙丽 holds 8613600136000. The periodic sync is off
# (contact_sync_s=0): the test runs it with contact.sync, so that nothing
# changes under it.
. "$(dirname "$0")/lib.sh"

export CC_B2BUA_OPTS="contact_sync_s=0"
stack_start
web_setup contact-cache
agent1_ready 30

CONTACT2=0c000000000000000000000000000002
CONTACT4=0c000000000000000000000000000004
UNKNOWN=13500000777

cstat() { ctl contact.stats | jq -r ".$1"; }
synced_to() { [ "$(cstat synced)" -ge "$1" ]; }
# sync_now: the phone index's sync, run now, over.
sync_now() {
  local t
  t=$(ctl contact.sync | jq -r .ticket)
  [[ $t =~ ^[0-9]+$ ]] && eventually 30 synced_to "$t"
}
check "the first index sync is over" sync_now

# Every pop (call.answered) of the test, one JSON line each.
background "$bin/cc-ctl" -a "$CTL_ADDR" -s "$CTL_SECRET_FILE" -e call.answered -w 900 \
  >"$logs/pops.jsonl" 2>"$logs/pops.err"
check "a client subscribes to the pops" eventually 20 grep -q subscribed "$logs/pops.err"
# pop CALL: "contact name" of the call's pop ("- -": none found).
pop() {
  jq -r --arg c "$1" 'select(.call == $c) | "\(.contact // "-") \(.contact_name // "-")"' \
    "$logs/pops.jsonl" 2>/dev/null | head -n 1
}
popped() { [ -n "$(pop "$1")" ]; }
# call_from NAME CALLER: a call agent1 answers; prints its id once its pop
# is in and agent1 is ready again.
call_from() {
  local id
  id=$(bridged_call "$1" "$2")
  eventually 20 popped "$id" || diag "no pop for call $1 ($id)" >&2
  eventually 20 state_is "$A1" ready || diag "agent1 is not ready after call $1" >&2
  echo "$id"
}

t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
# save NAME CURL-ARGS...: agent1's one-click save (a form); prints the status.
save() {
  local name=$1; shift
  http "$name" -b "$tmp/j1" -H "X-CSRF-Token: $t1" "$@" "$base/cc/api/contacts/save"
}

# --- 0. the plan --------------------------------------------------------------------------
# The lookup's statement as b2bua/lookup/contact.c builds it from the manifest.
lookup_sql="SELECT c.id, c.name, (SELECT d.user_id FROM cc_dedicated_agent d WHERE d.contact_id = p.contact_id),
  c.name, c.gender, c.mobileno, c.phone, c.email, c.company, c.province, c.city, c.address, c.memo
  FROM cc_contact_phone p JOIN uk_contacts c ON c.id = p.contact_id
  WHERE p.phone = '+86$KNOWN_CALLER' AND (c.datastatus IS NULL OR c.datastatus <> 1)
  ORDER BY p.touched DESC, p.updated DESC LIMIT 1"
plan=$(sql "EXPLAIN $lookup_sql")
diag "EXPLAIN: $(tr '\n\t' '| ' <<<"$plan")"
expect_match "the lookup reads phone_rank" $'\tphone_rank\t' "$plan"
check "with no temporary table and no filesort" test -z "$(grep -iE 'temporary|filesort' <<<"$plan")"
expect_eq "the index holds each number's rank (touched, updated)" "1" \
  "$(sql "SELECT updated IS NOT NULL FROM cc_contact_phone WHERE phone = '+86$KNOWN_CALLER'")"

# --- 1. a second call from the same number: no query ----------------------------------------
# The database's side too: MariaDB's user statistics count the rows read
# through phone_rank, which only the caller lookup reads (the web app's
# lookup by number runs for a pop without a contact, not for these).
sql "SET GLOBAL userstat = 1"
rank_reads() {
  sql "SELECT COALESCE(SUM(ROWS_READ), 0) FROM information_schema.INDEX_STATISTICS
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'cc_contact_phone' AND INDEX_NAME = 'phone_rank'"
}
q0=$(cstat queries) h0=$(cstat hits) r0=$(rank_reads)
c1=$(call_from k1 "$KNOWN_CALLER")
expect_eq "the first call pops 陈小明" "$CONTACT 陈小明" "$(pop "$c1")"
expect_eq "after one query" "$((q0 + 1))" "$(cstat queries)"
r1=$(rank_reads)
check "which read phone_rank ($r0 -> $r1 rows)" test "$r1" -gt "$r0"
c2=$(call_from k2 "$KNOWN_CALLER")
expect_eq "the second call pops 陈小明 too" "$CONTACT 陈小明" "$(pop "$c2")"
expect_eq "without a query" "$((q0 + 1))" "$(cstat queries)"
expect_eq "answered from memory" "$((h0 + 1))" "$(cstat hits)"
expect_eq "MariaDB read nothing through phone_rank meanwhile" "$r1" "$(rank_reads)"
expect_eq "the call record names the contact" "$CONTACT" "$(col "$c2" contact_id)"

# --- 2. the workbench saves the contact: the next call pops what was saved ------------------
f0=$(cstat forgotten)
expect_eq "agent1 saves 陈小明 under a new name" "200 true" \
  "$(save s1 --data-urlencode "_id=$CONTACT" --data-urlencode "name=陈小明（已更新）") $(json s1 .ok)"
check "the B2BUA forgot the kept answer" test "$(cstat forgotten)" -gt "$f0"
c3=$(call_from k3 "$KNOWN_CALLER")
expect_eq "the next call pops the saved name" "$CONTACT 陈小明（已更新）" "$(pop "$c3")"
expect_eq "read from the database" "$((q0 + 2))" "$(cstat queries)"

# --- 3. an unknown caller: kept as unknown until a contact is saved with the number ---------
u1=$(call_from u1 "$UNKNOWN")
expect_eq "an unknown caller pops no contact" "- -" "$(pop "$u1")"
q1=$(cstat queries)
u2=$(call_from u2 "$UNKNOWN")
expect_eq "nor the second time" "- -" "$(pop "$u2")"
expect_eq "which needs no query" "$q1" "$(cstat queries)"
expect_eq "agent1 saves the caller as a new contact" "200 true" \
  "$(save s2 --data-urlencode "name=新客户甲" --data-urlencode "mobileno=$UNKNOWN") $(json s2 .ok)"
new_id=$(json s2 .contact.id)
u3=$(call_from u3 "$UNKNOWN")
expect_eq "the next call pops the new contact" "$new_id 新客户甲" "$(pop "$u3")"

# --- 4. the helpdesk changes its own table: popped after the index sync -----------------------
sql "UPDATE uk_contacts SET name = '陈晓明', updatetime = NOW() WHERE id = '$CONTACT'"
check "the index sync runs" sync_now
c4=$(call_from k4 "$KNOWN_CALLER")
expect_eq "a name the helpdesk changed is popped after the sync" "$CONTACT 陈晓明" "$(pop "$c4")"

sql "UPDATE uk_contacts SET mobileno = '13800138999', updatetime = NOW() WHERE id = '$CONTACT'"
check "the index sync runs" sync_now
c5=$(call_from k5 "$KNOWN_CALLER")
expect_eq "a number the contact lost no longer matches it" "- -" "$(pop "$c5")"
c6=$(call_from k6 13800138999)
expect_eq "its new number does" "$CONTACT 陈晓明" "$(pop "$c6")"

sql "UPDATE uk_contacts SET datastatus = 1, updatetime = NOW() WHERE id = '$CONTACT'"
check "the index sync runs" sync_now
c7=$(call_from k7 13800138999)
expect_eq "a contact the helpdesk deleted is no longer popped" "- -" "$(pop "$c7")"

# A number two contacts hold: the one touched last pops.
sh1=$(call_from sh1 01088886666)
expect_eq "010-88886666 pops 刘芳" "$CONTACT2 刘芳" "$(pop "$sh1")"
sql "INSERT INTO uk_contacts (id, name, phone, organ, shares, createtime, updatetime, touchtime, datastatus)
     VALUES ('0c0000000000000000000000000000a1', '刘芳的同事', '010 8888 6666', '$DEPT', 'all', NOW(), NOW(), NOW(), 0)"
check "the index sync runs" sync_now
sh2=$(call_from sh2 01088886666)
expect_eq "a newer contact on the number, touched last, pops" "0c0000000000000000000000000000a1 刘芳的同事" "$(pop "$sh2")"
sql "UPDATE uk_contacts SET touchtime = NOW() + INTERVAL 1 MINUTE WHERE id = '$CONTACT2'"
check "the index sync runs" sync_now
sh3=$(call_from sh3 01088886666)
expect_eq "刘芳 touched since (her update time unchanged) pops again" "$CONTACT2 刘芳" "$(pop "$sh3")"

# --- 5. a dedicated agent bound: the contact's kept answer goes -------------------------------
f1=$(cstat forgotten) q2=$(cstat queries)
expect_eq "the admin binds 刘芳 to agent1" 200 \
  "$(http ded -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' \
      --data-binary '{"add":"'"$CONTACT2"'"}' "$base/cc/api/admin/agents/$A1/dedicated")"
check "the B2BUA forgot 刘芳's kept answer" test "$(cstat forgotten)" -gt "$f1"
sh4=$(call_from sh4 01088886666)
expect_eq "the next call from her number asks the database" "$((q2 + 1))" "$(cstat queries)"
expect_eq "and pops her" "$CONTACT2 刘芳" "$(pop "$sh4")"

# --- 6. the control command -----------------------------------------------------------------
expect_eq "contact.changed without a contact, numbers or all is refused" bad_request \
  "$(ctl contact.changed | jq -r .error)"
expect_eq "contact.changed all forgets every kept answer" "true 0" \
  "$(ctl send '{"cmd":"contact.changed","all":true}' | jq -r .ok) $(cstat entries)"

# --- 7. a save while the B2BUA is down ------------------------------------------------------
check "the B2BUA is stopped" svc_kill b2bua-1
expect_eq "a save still succeeds" "200 true" \
  "$(save s3 --data-urlencode "_id=$CONTACT4" --data-urlencode "name=孙丽（停机时保存）") $(json s3 .ok)"
check "the B2BUA starts again" svc_restart b2bua
check "agent1's phone is seen again" eventually 30 registered "$A1"
set_state "$A1" ready
background "$bin/cc-ctl" -a "$CTL_ADDR" -s "$CTL_SECRET_FILE" -e call.answered -w 600 \
  >>"$logs/pops.jsonl" 2>"$logs/pops2.err"
check "the pops are followed again" eventually 20 grep -q subscribed "$logs/pops2.err"
k8=$(call_from k8 13600136000)
expect_eq "the next call pops what was saved" "$CONTACT4 孙丽（停机时保存）" "$(pop "$k8")"

finish
