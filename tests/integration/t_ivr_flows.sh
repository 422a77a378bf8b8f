#!/usr/bin/env bash
# IVR flows with real calls, node by node (docs/ivr.md): flows made and
# published through the console's API, each bound to a number of its own,
# called by sipp as the gateway; the path each call took is in its event log
# (cc_call_event 'ivr': "flow node exit digits") and its end in its record.
#   1. a time node in Asia/Shanghai: hours around the current time (open), a
#      window that ended an hour ago (closed), today a holiday (closed);
#   2. an HTTP node against a local server: a JSON reply whose member a
#      branch node reads (two values, two exits), a reply that is no JSON
#      (error), a reply later than the node's timeout (timeout);
#   3. a menu: no key (its timeout prompt, its prompt again, the fallback)
#      and a wrong key (its invalid-key prompt, its prompt again, the
#      fallback);
#   4. a flow published again while a call waits in its menu: the call
#      finishes on the version it started with, the next call takes the new
#      one.
. "$(dirname "$0")/lib.sh"

stack_start
web_setup ivr-flows
docs=$tmp/docs
mkdir -p "$docs"
API=$base/cc/api/admin/ivr
ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
expect_match "the admin signs in" '^[0-9a-f]{64}$' "$ta"

# A NAME PATH: a JSON POST (body from stdin) to the IVR API as the admin; the status.
A() { local name=$1 path=$2; shift 2
  http "$name" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' --data-binary @- "$@" "$API$path"; }

# new_flow NAME FILE: a new flow with FILE as its draft, published as
# version 1; prints its id (nothing when the publish is refused).
new_flow() {
  jq -n --arg n "$1" '{name: $n}' | A "new-$1" /flows >/dev/null
  local id; id=$(json "new-$1" .id)
  publish "$id" "$2" >/dev/null && echo "$id"
}
# publish ID FILE: FILE saved as flow ID's draft (lock, save, publish,
# unlock); prints the version published, fails when it was refused.
publish() {
  local id=$1 file=$2 rev st
  echo '{}' | A "lock-$id" "/flows/$id/lock" >/dev/null
  http "get-$id" -b "$tmp/ja" "$API/flows/$id" >/dev/null
  rev=$(json "get-$id" .flow.draft_rev)
  jq -n --rawfile d "$file" --argjson rev "$rev" '{document: $d, rev: $rev}' | A "save-$id" "/flows/$id/draft" >/dev/null
  st=$(echo '{}' | A "pub-$id" "/flows/$id/publish")
  echo '{}' | A "unlock-$id" "/flows/$id/unlock" >/dev/null
  if [ "$st" != 200 ]; then
    diag "flow $id not published ($st): $(cat "$tmp/pub-$id.b")"
    return 1
  fi
  json "pub-$id" .version
}
# bind_number NUMBER FLOW: an inbound number of its own running published flow FLOW.
bind_number() {
  sql "INSERT INTO cc_number (number, display, name, \`usage\`, ivr_flow_id) VALUES ('$1', '$1', 'IVR $1', 'inbound', $2)"
}
# audio FILE SECONDS: a tone of that length in the audio library; its id.
audio() {
  sox -n -r 8000 -c 1 -b 16 "$CC_STATE/audio/$1" synth "$2" sine 440 2>/dev/null
  sql "INSERT INTO cc_audio (name, filename, kind) VALUES ('$1', '$1', 'prompt'); SELECT LAST_INSERT_ID()"
}
# path CALL: the call's IVR path, "node [exit [digits]]" in order.
path() {
  sql "SELECT detail FROM cc_call_event WHERE call_id = '$1' AND event = 'ivr' ORDER BY id" |
    awk '{ $1 = ""; sub(/^ /, ""); printf "%s%s", (NR > 1 ? "; " : ""), $0 }'
}
# prompts CALL: the files the call was played, in order.
prompts() {
  sql "SELECT detail FROM cc_call_event WHERE call_id = '$1' AND event = 'prompt' ORDER BY id" |
    awk '{ printf "%s%s", (NR > 1 ? " " : ""), $1 }'
}
# ended CALL: "result cause" of its record.
ended() { col "$1" "CONCAT(result, ' ', COALESCE(cause, '-'))"; }
flow_head() { printf '<?xml version="1.0" encoding="UTF-8"?>\n<flow xmlns="urn:cc:ivr-flow:1" name="%s">\n' "$1"; }

AUDIO_MENU=$(audio ivr-menu.wav 0.3)
AUDIO_INVALID=$(audio ivr-invalid.wav 0.3)
AUDIO_TIMEOUT=$(audio ivr-timeout.wav 0.3)
AUDIO_OPEN=$(audio ivr-open.wav 0.3)
AUDIO_CLOSED=$(audio ivr-closed.wav 0.3)

# --- 1. a time node on both sides of closing time ---------------------------------------
# hm SECONDS: the time of day in Shanghai that many seconds from now.
hm() { TZ=Asia/Shanghai date -d "@$(( $(date +%s) + $1 ))" +%H:%M; }
time_flow() { # NAME HOURS-FROM HOURS-TO [HOLIDAY...]
  local name=$1 from=$2 to=$3 d; shift 3
  flow_head "$name"
  cat <<EOF
  <start id="start" next="hours"/>
  <time id="hours" tz="Asia/Shanghai" open="open" closed="closed">
    <hours days="mon tue wed thu fri sat sun" from="$from" to="$to"/>
EOF
  for d in "$@"; do echo "    <holiday date=\"$d\"/>"; done
  cat <<EOF
  </time>
  <play id="open" next="open_bye"><prompt audio="$AUDIO_OPEN"/></play>
  <hangup id="open_bye" cause="ivr_open"/>
  <play id="closed" next="closed_bye"><prompt audio="$AUDIO_CLOSED"/></play>
  <hangup id="closed_bye" cause="ivr_closed"/>
</flow>
EOF
}
# Open: from an hour ago to an hour from now (a window that spans midnight
# when now is near it: open from its start until its end the next day).
# Closed: a window that ended an hour ago. A holiday: open all day, but
# today and tomorrow are holidays (the date may turn while the test runs).
time_flow time-open "$(hm -3600)" "$(hm 3600)" > "$docs/open.xml"
time_flow time-closed "$(hm -10800)" "$(hm -3600)" > "$docs/closed.xml"
time_flow time-holiday 00:00 24:00 "$(TZ=Asia/Shanghai date +%F)" \
  "$(TZ=Asia/Shanghai date -d "@$(( $(date +%s) + 86400 ))" +%F)" > "$docs/holiday.xml"
T_OPEN=$(new_flow time-open "$docs/open.xml")
T_CLOSED=$(new_flow time-closed "$docs/closed.xml")
T_HOLIDAY=$(new_flow time-holiday "$docs/holiday.xml")
check "three time flows are published" test -n "$T_OPEN" -a -n "$T_CLOSED" -a -n "$T_HOLIDAY"
bind_number 4301 "${T_OPEN:-0}"
bind_number 4302 "${T_CLOSED:-0}"
bind_number 4303 "${T_HOLIDAY:-0}"
check "the B2BUA reloads its directory" reload_dir

caller t-open 4301 -i 127.0.0.1 -set caller 13900139101 -set wait_bye 1
check "within the hours the flow plays its notice and hangs up (sipp saw the BYE)" test $? -eq 0
id=$(call_of t-open)
expect_eq "its path: the time node open, the notice, the hang-up" \
  "start; start next; hours; hours open; open; open next; open_bye" "$(path "$id")"
expect_eq "the notice was played" ivr-open.wav "$(prompts "$id")"
expect_eq "its record: no agent, the hang-up's cause" "no_agent ivr_open" "$(ended "$id")"

caller t-closed 4302 -i 127.0.0.1 -set caller 13900139102 -set wait_bye 1
check "after closing time the flow plays its closed notice and hangs up" test $? -eq 0
id=$(call_of t-closed)
expect_eq "its path: the time node closed, its notice, the hang-up" \
  "start; start next; hours; hours closed; closed; closed next; closed_bye" "$(path "$id")"
expect_eq "the closed notice was played" ivr-closed.wav "$(prompts "$id")"
expect_eq "its record: the closed hang-up's cause" "no_agent ivr_closed" "$(ended "$id")"

caller t-holiday 4303 -i 127.0.0.1 -set caller 13900139103 -set wait_bye 1
check "on a holiday the flow plays its closed notice and hangs up" test $? -eq 0
id=$(call_of t-holiday)
expect_eq "its path: closed, though within its hours" \
  "start; start next; hours; hours closed; closed; closed next; closed_bye" "$(path "$id")"
expect_eq "its record: the closed hang-up's cause" "no_agent ivr_closed" "$(ended "$id")"


# --- 2. an HTTP node against a local server ----------------------------------------------
# The server answers GET /level/CALLER by the caller's last digit: 1 a JSON
# reply of level gold, 2 of level silver, 3 a page that is no JSON, 4 the
# JSON reply 8 s late. It logs each request's path, and tells its port
# through a file (it binds port 0: no port is guessed).
cat > "$tmp/level.py" <<'EOF'
import http.server, json, os, sys, time
log, portfile = sys.argv[1], sys.argv[2]
class Level(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(log, 'a') as f:
            f.write(self.path + '\n')
        last = self.path[-1:]
        ctype, body = 'application/json', json.dumps({'customer': {'level': 'silver'}})
        if last == '1':
            body = json.dumps({'customer': {'level': 'gold', 'since': 2019}})
        elif last == '3':
            ctype, body = 'text/html', '<html><body>maintenance</body></html>'
        elif last == '4':
            time.sleep(8)
        data = body.encode()
        try:
            self.send_response(200)
            self.send_header('Content-Type', ctype)
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass
    def log_message(self, *args):
        pass
srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Level)
with open(portfile + '.tmp', 'w') as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + '.tmp', portfile)
srv.serve_forever()
EOF
background python3 "$tmp/level.py" "$tmp/level.log" "$tmp/level.port"
check "the test's HTTP server is up" eventually 20 test -s "$tmp/level.port"
LEVEL_PORT=$(cat "$tmp/level.port" 2>/dev/null)
{ flow_head http-level
  cat <<EOF
  <start id="start" next="greet"/>
  <play id="greet" next="ask"><prompt audio="$AUDIO_OPEN"/></play>
  <http id="ask" url="http://127.0.0.1:${LEVEL_PORT:-9}/level/\${caller}" timeout-ms="2000" ok="route" error="failed" timeout="late">
    <result var="level" path="customer.level"/>
  </http>
  <branch id="route" else="normal">
    <case next="vip"><if var="level" op="eq" value="gold"/></case>
  </branch>
  <hangup id="vip" cause="ivr_vip"/>
  <hangup id="normal" cause="ivr_normal"/>
  <hangup id="failed" cause="ivr_http_error"/>
  <hangup id="late" cause="ivr_http_timeout"/>
</flow>
EOF
} > "$docs/http.xml"
H=$(new_flow http-level "$docs/http.xml")
check "the HTTP flow is published" test -n "$H"
bind_number 4311 "${H:-0}"
check "the B2BUA reloads its directory" reload_dir

# http_call NAME CALLER: a call to the HTTP flow, waiting for its hang-up;
# $id is the call's record.
http_call() {
  caller "$1" 4311 -i 127.0.0.1 -set caller "$2" -set wait_bye 1
  check "call $1: the flow hangs up (sipp saw the BYE)" test $? -eq 0
  id=$(call_of "$1")
}
http_call h-gold 13900139111
expect_eq "a JSON reply with level gold: ok (its status logged), the branch's case" \
  "start; start next; greet; greet next; ask; ask ok 200; route; route case 1; vip" "$(path "$id")"
expect_eq "its record: the gold hang-up's cause" "no_agent ivr_vip" "$(ended "$id")"
check "the server was asked with the caller's number" grep -q '^/level/.*13900139111$' "$tmp/level.log"
http_call h-silver 13900139112
expect_eq "a JSON reply with level silver: ok, the branch's else" \
  "start; start next; greet; greet next; ask; ask ok 200; route; route else; normal" "$(path "$id")"
expect_eq "its record: the other hang-up's cause" "no_agent ivr_normal" "$(ended "$id")"
http_call h-bad 13900139113
expect_eq "a reply that is no JSON (status 200): the error exit" \
  "start; start next; greet; greet next; ask; ask error 200; failed" "$(path "$id")"
expect_eq "its record: the error hang-up's cause" "no_agent ivr_http_error" "$(ended "$id")"
http_call h-late 13900139114
expect_eq "a reply later than timeout-ms: the timeout exit" \
  "start; start next; greet; greet next; ask; ask timeout; late" "$(path "$id")"
expect_eq "its record: the timeout hang-up's cause" "no_agent ivr_http_timeout" "$(ended "$id")"
t=$(sql "SELECT TIMESTAMPDIFF(MICROSECOND, MIN(at), MAX(at)) DIV 1000 FROM cc_call_event WHERE call_id = '$id' AND event = 'ivr' AND detail LIKE '% ask%'")
check "it waited the node's 2 s, not the server's 8 s ($t ms)" test "${t:-0}" -ge 1900 -a "${t:-0}" -lt 7000

# --- 3. a menu: no key, a wrong key -------------------------------------------------------
{ flow_head menu
  cat <<EOF
  <start id="start" next="menu"/>
  <menu id="menu" fallback="fallback" timeout-s="3" retries="1" invalid-audio="$AUDIO_INVALID" timeout-audio="$AUDIO_TIMEOUT">
    <prompt audio="$AUDIO_MENU"/>
    <key digit="1" next="one"/>
  </menu>
  <play id="one" next="one_bye"><prompt audio="$AUDIO_OPEN"/></play>
  <hangup id="one_bye" cause="ivr_key1"/>
  <hangup id="fallback" cause="ivr_fallback"/>
</flow>
EOF
} > "$docs/menu.xml"
M=$(new_flow menu "$docs/menu.xml")
check "the menu flow is published" test -n "$M"
bind_number 4321 "${M:-0}"
check "the B2BUA reloads its directory" reload_dir

caller m-none 4321 -i 127.0.0.1 -set caller 13900139121 -set wait_bye 1
check "no key: the flow hangs up after the menu's retries" test $? -eq 0
id=$(call_of m-none)
expect_eq "its path: the menu left by its fallback" \
  "start; start next; menu; menu fallback; fallback" "$(path "$id")"
expect_eq "the menu's prompt, its timeout prompt, the prompt again (one retry)" \
  "ivr-menu.wav ivr-timeout.wav ivr-menu.wav" "$(prompts "$id")"
expect_eq "its record: the fallback's cause" "no_agent ivr_fallback" "$(ended "$id")"

caller m-wrong 4321 -i 127.0.0.1 -set caller 13900139122 -set key 9 -set dtmf_ms 1500 -set wait_bye 1
check "key 9, then nothing: the flow hangs up after the menu's retries" test $? -eq 0
id=$(call_of m-wrong)
expect_eq "the key reached the B2BUA" 9 \
  "$(sql "SELECT GROUP_CONCAT(detail) FROM cc_call_event WHERE call_id = '$id' AND event = 'dtmf'")"
expect_eq "its path: the menu left by its fallback" \
  "start; start next; menu; menu fallback; fallback" "$(path "$id")"
expect_eq "the menu's prompt, its invalid-key prompt, the prompt again (one retry)" \
  "ivr-menu.wav ivr-invalid.wav ivr-menu.wav" "$(prompts "$id")"
expect_eq "its record: the fallback's cause" "no_agent ivr_fallback" "$(ended "$id")"

caller m-one 4321 -i 127.0.0.1 -set caller 13900139123 -set key 1 -set dtmf_ms 1500 -set wait_bye 1
check "key 1: the menu's exit" test $? -eq 0
id=$(call_of m-one)
expect_eq "its path: the menu left by key 1" \
  "start; start next; menu; menu key 1 1; one; one next; one_bye" "$(path "$id")"
expect_eq "its record: key 1's cause" "no_agent ivr_key1" "$(ended "$id")"

# --- 4. a new version published while a call is inside the old one --------------------------
# v1: key 1 to "old"; v2: key 1 to "new". The caller waits in v1's menu (a
# long timeout) and presses 1 only when told, once v2 is published and in
# force in the B2BUA.
version_flow() { # NAME TARGET
  flow_head "$1"
  cat <<EOF
  <start id="start" next="menu"/>
  <menu id="menu" fallback="late" timeout-s="120" retries="0">
    <prompt audio="$AUDIO_MENU"/>
    <key digit="1" next="$2"/>
  </menu>
  <play id="$2" next="${2}_bye"><prompt audio="$AUDIO_OPEN"/></play>
  <hangup id="${2}_bye" cause="ivr_$2"/>
  <hangup id="late" cause="ivr_no_key"/>
</flow>
EOF
}
version_flow versions old > "$docs/v1.xml"
version_flow versions new > "$docs/v2.xml"
V=$(new_flow versions "$docs/v1.xml")
check "version 1 is published" test -n "$V"
bind_number 4331 "${V:-0}"
check "the B2BUA reloads its directory" reload_dir

# The path as it is taken: the B2BUA's call.ivr events.
background "$bin/cc-ctl" -a "$CTL_ADDR" -s "$CTL_SECRET_FILE" -e call.ivr -w 300 \
  >"$logs/ctl-ivr.out" 2>"$logs/ctl-ivr.err"
check "a client subscribes to the calls' IVR steps" eventually 20 grep -q subscribed "$logs/ctl-ivr.err"
in_menu() {
  jqe --arg f "${V:-0}" 'select((.flow | tostring) == $f and .node == "menu" and ((.exit // "") == ""))' \
    < "$logs/ctl-ivr.out" >/dev/null 2>&1
}
background caller v-old 4331 -i 127.0.0.1 -set caller 13900139131 -set key 1 -set key_on_notify 1 -set wait_bye 1
pid=$BG_PID
check "the first call waits in version 1's menu" eventually 30 in_menu
L0=$(dir_ticket)
expect_eq "version 2 is published meanwhile" 2 "$(publish "$V" "$docs/v2.xml")"
check "and is in force in the B2BUA" eventually 20 dir_loaded $((L0 + 1))
check "the call is still up, in its flow" call_in_state flow
tell v-old
wait "$pid"
check "told, the caller presses 1; the flow hangs up" test $? -eq 0
id=$(call_of v-old)
expect_eq "the call took version 1's key 1" \
  "start; start next; menu; menu key 1 1; old; old next; old_bye" "$(path "$id")"
expect_eq "its record: version 1's cause" "no_agent ivr_old" "$(ended "$id")"

caller v-new 4331 -i 127.0.0.1 -set caller 13900139132 -set key 1 -set dtmf_ms 1500 -set wait_bye 1
check "a new call presses 1; the flow hangs up" test $? -eq 0
id=$(call_of v-new)
expect_eq "it took version 2's key 1" \
  "start; start next; menu; menu key 1 1; new; new next; new_bye" "$(path "$id")"
expect_eq "its record: version 2's cause" "no_agent ivr_new" "$(ended "$id")"

finish
