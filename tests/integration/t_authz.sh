#!/usr/bin/env bash
# The authorization matrix: every route of `cc-web --print-routes` asked
# through nginx by four users (anonymous, agent1, agent2, the admin), each
# with and without a CSRF token, against the statuses of
# tests/fixtures/authz.tsv (docs/web.md, "The authorization matrix").
#
# A route with no row, or a row naming no route, fails the test: a new route
# cannot be added without saying who may use it.
#
# The objects a row names belong to agent1 (a call it took, its note) or are
# created here; agent2 is "another agent". All the requests without a token
# go first (they must change nothing), then those with one, in the file's
# order: the rows that delete or sign out come last in the file.
. "$(dirname "$0")/lib.sh"

matrix=$top/tests/fixtures/authz.tsv
cols=(anon anon+csrf agent agent+csrf other other+csrf admin admin+csrf)

# --- the table and the matrix name the same routes ----------------------------------
routes=$("$bin/cc-web" --print-routes)
check "cc-web --print-routes lists routes" test "$(wc -l <<<"$routes")" -gt 50
rows=$(grep -v '^#' "$matrix" | grep -v '^[[:space:]]*$')
route_keys=$(cut -f1,2 <<<"$routes" | sort)
row_keys=$(cut -f1,2 <<<"$rows" | sort)
expect_eq "every route has a row in authz.tsv" "" "$(comm -23 <(echo "$route_keys") <(echo "$row_keys") | tr '\t\n' ' ;')"
expect_eq "every row of authz.tsv names a route" "" "$(comm -13 <(echo "$route_keys") <(echo "$row_keys") | tr '\t\n' ' ;')"
expect_eq "no route has two rows" "" "$(echo "$row_keys" | uniq -d | tr '\t\n' ' ;')"
bad=$(awk -F'\t' 'NF != 12 { print NR ": " NF " fields" }' <<<"$rows")
expect_eq "every row has method, pattern, id, 8 statuses and a body" "" "$bad"

stack_start
web_setup authz

# --- the objects the rows name ------------------------------------------------------
# A call agent1 took today (its conversation list, its note), and a message
# left for the demo group, whose member agent1 is made (agent2 is not).
CALL=0k00000000000000000000000000a001
sql "INSERT INTO cc_call (id, sip_call_id, node, direction, caller, callee, agent_id, started_at, answered_at, ended_at, result)
     VALUES ('$CALL', 'authz@test', 'node1', 'inbound', '$KNOWN_CALLER', '$NUMBER', '$A1', NOW(3), NOW(3), NOW(3), 'answered')"
sql "INSERT INTO cc_skill_group_member (skill_group_id, user_id) VALUES ($GROUP, '$A1')"
VM_CALL=000000000000000000000000000aa001
VM_FILE=${VM_CALL}-1.wav
sox -n -r 8000 -c 1 -b 16 "$CC_STATE/voicemail/$VM_FILE" synth 0.2 sine 440
sql "INSERT INTO cc_voicemail (call_id, group_id, caller, file, duration_ms) VALUES ('$VM_CALL', $GROUP, '$KNOWN_CALLER', '$VM_FILE', 200)"
VM=$(sql "SELECT id FROM cc_voicemail WHERE call_id = '$VM_CALL'")
MISSED=000000000000000000000000000mm001
sql "INSERT INTO cc_call (id, sip_call_id, node, direction, caller, caller_norm, callee, skill_group_id, started_at, enqueued_at, ended_at, result, end_state)
     VALUES ('$MISSED', 'authz-missed@test', 'node1', 'inbound', '13900139501', '+8613900139501', '$NUMBER', $GROUP, NOW(3), NOW(3), NOW(3), 'no_agent', 'queued')"
# Files the upload rows send.
WAV=$tmp/prompt.wav
sox -n -r 8000 -c 1 -b 16 "$WAV" synth 0.3 sine 440
CSV=$tmp/targets.csv
printf 'phone,name\n13900139001,a\n' > "$CSV"

# --- the four users -----------------------------------------------------------------------
jar_cookie() { awk -v n="$2" -F'\t' '$6 == n { v = $7 } END { print v }' "$tmp/$1"; }
csrf_agent=$(login agent "$A1_LOGIN" "$AGENT_PASSWORD")
csrf_other=$(login other "$A2_LOGIN" "$AGENT_PASSWORD")
csrf_admin=$(login admin "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
http anon-form -c "$tmp/anon" "$base/cc/login" >/dev/null
csrf_anon=$(form_token anon-form)
for u in agent other admin; do
  v=csrf_$u
  expect_match "$u is signed in with a CSRF token" '^[0-9a-f]{64}$' "${!v}"
  printf -v "cookie_$u" 'cc_session=%s' "$(jar_cookie "$u" cc_session)"
done
check "anonymous has the sign-in form's nonce and token" test -n "$csrf_anon" -a -n "$(jar_cookie anon cc_pre)"
# The sign-in form's pair: what a public POST (the sign-in) takes as its token.
pre="cc_pre=$(jar_cookie anon cc_pre)"
# fresh_pre: another pair, from the form fetched again.
fresh_pre() {
  http anon-form -c "$tmp/anon" "$base/cc/login" >/dev/null
  csrf_anon=$(form_token anon-form)
  pre="cc_pre=$(jar_cookie anon cc_pre)"
}
cookie_anon=

# fresh_session USER TAG: another session for USER (agent, other, admin),
# named USER-TAG.
fresh_session() {
  local login pass name=$1-$2
  case $1 in
    agent) login=$A1_LOGIN pass=$AGENT_PASSWORD ;;
    other) login=$A2_LOGIN pass=$AGENT_PASSWORD ;;
    admin) login=$ADMIN_LOGIN pass=$ADMIN_PASSWORD ;;
  esac
  printf -v "csrf_${name//-/_}" '%s' "$(login "$name" "$login" "$pass")"
  printf -v "cookie_${name//-/_}" 'cc_session=%s' "$(jar_cookie "$name" cc_session)"
}

# --- the requests -------------------------------------------------------------------------------
# subst TEXT: TEXT with each {NAME} replaced by the variable NAME's value.
subst() {
  local s=$1
  while [[ $s =~ \{([A-Z][A-Z0-9_]*)\} ]]; do
    s=${s//"${BASH_REMATCH[0]}"/${!BASH_REMATCH[1]}}
  done
  printf '%s' "$s"
}
# q TEXT: TEXT quoted for a curl config file.
q() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

# request USER CSRF METHOD PATH ACCESS KIND BODY: one request as lines of a
# curl config file (the requests run in one curl, one connection).
request() {
  local user=$1 csrf=$2 method=$3 path=$4 access=$5 kind=$6 body=$7 cookie c
  c=cookie_${user//-/_}; cookie=${!c}
  echo "url = $(q "$base$path")"
  echo "request = $method"
  if [ "$csrf" = yes ]; then
    if [ "$access" = PUBLIC ]; then
      # The sign-in form's pair is good for one POST: a new one each.
      fresh_pre
      cookie="${cookie:+$cookie; }$pre"
      echo "header = $(q "X-CSRF-Token: $csrf_anon")"
    elif [ "$user" != anon ]; then
      c=csrf_${user//-/_}
      echo "header = $(q "X-CSRF-Token: ${!c}")"
    else
      # Anonymous has no session token: it sends the sign-in form's.
      cookie=$pre
      echo "header = $(q "X-CSRF-Token: $csrf_anon")"
    fi
  fi
  [ -n "$cookie" ] && echo "header = $(q "Cookie: $cookie")"
  [ "$kind" = SSE ] && echo "max-time = 2"
  case $body in
    -) [ "$method" = POST ] && echo 'data = ""' ;;
    json:*) echo 'header = "Content-Type: application/json"'; echo "data-binary = $(q "$(subst "${body#json:}")")" ;;
    form:*) echo "data-binary = $(q "$(subst "${body#form:}")")" ;;
    csv:*) echo 'header = "Content-Type: text/csv"'; echo "data-binary = $(q "@$(subst "${body#csv:}")")" ;;
    multipart:*)
      local part parts
      IFS='&' read -ra parts <<<"$(subst "${body#multipart:}")"
      for part in "${parts[@]}"; do echo "form = $(q "$part")"; done ;;
  esac
  echo 'output = "/dev/null"'
  echo 'write-out = "%{http_code}\n"'
  echo next
}

declare -A access_of kind_of
while IFS=$'\t' read -r m p acc csrf kind h; do
  access_of["$m $p"]=$acc; kind_of["$m $p"]=$kind
done <<<"$routes"

# The plan: one line per request (row number, column, method, path, user,
# status wanted), the requests without a token first.
plan=$tmp/plan cfg=$tmp/requests.curl
: > "$plan"; : > "$cfg"
for pass in no yes; do
  n=0
  while IFS=$'\t' read -r m p id s1 s2 s3 s4 s5 s6 s7 s8 body; do
    n=$((n + 1))
    key="$m $p"
    [ -n "${access_of[$key]:-}" ] || continue
    path=$p
    [ "$id" != - ] && path=${p/\{id\}/$(subst "$id")}
    want=("$s1" "$s2" "$s3" "$s4" "$s5" "$s6" "$s7" "$s8")
    # A row whose body starts with "end:" ends the session it is sent with
    # (signing out, signing in again): it gets sessions of its own.
    ending=
    if [[ $body == end:* ]]; then
      body=${body#end:}
      [ "$pass" = yes ] && ending=end$n
    fi
    for i in 0 2 4 6; do
      [ "$pass" = yes ] && j=$((i + 1)) || j=$i
      user=${cols[$j]%+csrf}
      if [ -n "$ending" ] && [ "$user" != anon ]; then
        fresh_session "$user" "$ending"
        user=$user-$ending
      fi
      echo "$n $j $m $path ${cols[$j]} ${want[$j]}" >> "$plan"
      request "$user" "$pass" "$m" "$path" "${access_of[$key]}" "${kind_of[$key]}" "$body" >> "$cfg"
    done
  done <<<"$rows"
done

t0=$(date +%s%N)
curl -s --config "$cfg" > "$tmp/got" 2>"$tmp/curl.err"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
diag "$(wc -l < "$plan") requests in $ms ms"
expect_eq "every request was answered" "$(wc -l < "$plan")" "$(wc -l < "$tmp/got")"

wrong=$(paste -d' ' "$plan" "$tmp/got" | awk '$6 != $7 { print "row " $1 ": " $3, $4, $5 ": want " $6 ", got " $7 }')
expect_eq "every route answers each user as the matrix says" "" "$wrong"
[ -z "$wrong" ] || diag "$(echo "$wrong" | wc -l) of $(wc -l < "$plan") requests differ"

finish
