#!/usr/bin/env bash
# Test calls through a flow document (POST /cc/api/admin/ivr/flows/{id}/
# simulate) through nginx and the web app against the real database: the
# path a key takes through a menu into a published sub-flow (read from
# cc_ivr_version) and a queue, the audio library's names for its prompts, a
# timeout to the fallback; a document with problems gets them; an agent,
# a POST without the CSRF token, a flow that does not exist and an event
# that is not one are refused.
. "$(dirname "$0")/lib.sh"

stack_start
web_setup ivr-sim

ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
expect_match "the admin signs in" '^[0-9a-f]{64}$' "$ta"
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
api() { local n=$1; shift; http "$n" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/json' "$@"; }

head='<?xml version="1.0" encoding="UTF-8"?><flow xmlns="urn:cc:ivr-flow:1" name="t">'
sql "INSERT INTO cc_audio (name, filename) VALUES ('试呼欢迎语', 'sim-welcome.wav')"
AUDIO=$(sql "SELECT id FROM cc_audio WHERE filename = 'sim-welcome.wav'")
sub="$head<start id=\"s\" next=\"p\"/><play id=\"p\" next=\"e\"><prompt tts=\"子流程\"/></play><end id=\"e\"/></flow>"
sql "INSERT INTO cc_ivr_flow (name, draft, published_version, published_rev) VALUES ('sim-sub', '', 1, 1)"
SUB=$(sql "SELECT id FROM cc_ivr_flow WHERE name = 'sim-sub'")
sql "INSERT INTO cc_ivr_version (flow_id, version, document) VALUES ($SUB, 1, '$sub')"
sql "INSERT INTO cc_ivr_flow (name, draft) VALUES ('sim-main', '')"
MAIN=$(sql "SELECT id FROM cc_ivr_flow WHERE name = 'sim-main'")
doc="$head<start id=\"s\" next=\"m\"/><menu id=\"m\" fallback=\"bye\" retries=\"0\"><prompt audio=\"$AUDIO\"/>"
doc+="<key digit=\"1\" next=\"f\"/></menu><subflow id=\"f\" flow=\"$SUB\" next=\"q\"/>"
doc+="<queue id=\"q\" group=\"1\" next=\"bye\"/><hangup id=\"bye\"/></flow>"
url=$base/cc/api/admin/ivr/flows/$MAIN/simulate
body() { jq -cn --arg d "$1" --argjson e "$2" '{document: $d, events: $e}'; }

st=$(api s1 --data "$(body "$doc" '[{"type":"digit","digit":"1"}]')" "$url")
expect_eq "a key through the menu and the sub-flow to the queue" \
  "200 s>next m>key 1 f>next s>next p>next e> q> queue" \
  "$st $(json s1 '[.steps[] | .node + ">" + (.exit // "")] | join(" ")') $(json s1 .waiting)"
expect_eq "the menu's prompt by its name in the audio library" "试呼欢迎语" "$(json s1 '.steps[1].prompts[0]')"
expect_eq "the sub-flow's steps carry its flow" "$SUB 子流程" "$(json s1 '.steps[4].flow') $(json s1 '.steps[4].prompts[0]')"
expect_eq "the queue's action" "enqueue 1" "$(json s1 '.steps[-1].action') $(json s1 '.steps[-1].detail.group')"

st=$(api s2 --data "$(body "$doc" '[{"type":"timeout"}]')" "$url")
expect_eq "no key: the fallback, the call ends" "200 fallback true hangup" \
  "$st $(json s2 '.steps[1].exit') $(json s2 .ended) $(json s2 '.steps[-1].action')"

st=$(api s3 --data "$(body "${doc/ fallback=\"bye\"/}" '[]')" "$url")
expect_eq "a drawing's unconnected exit is a problem on its node" "200 ivr.exit_unconnected m fallback" \
  "$st $(json s3 '.problems[0].code') $(json s3 '.problems[0].node') $(json s3 '.problems[0].detail')"
st=$(api s4 --data "$(body "$head<dance/></flow>" '[]')" "$url")
expect_eq "a document that is no flow: problems, no steps" "200 ivr.schema 0" \
  "$st $(json s4 '.problems[0].code') $(json s4 '.steps | length')"

st=$(api s5 --data "$(body "$doc" '[{"type":"digit","digit":"x"}]')" "$url")
expect_eq "an event that is not one is refused" "400" "$st"
st=$(api s6 --data "$(body "$doc" '[]')" "$base/cc/api/admin/ivr/flows/999999/simulate")
expect_eq "a flow that does not exist" "404" "$st"
st=$(http s7 -b "$tmp/ja" -H 'Content-Type: application/json' --data "$(body "$doc" '[]')" "$url")
expect_eq "no CSRF token" "403" "$st"
st=$(http s8 -b "$tmp/j1" -H "X-CSRF-Token: $t1" -H 'Content-Type: application/json' \
  --data "$(body "$doc" '[]')" "$url")
expect_eq "an agent is refused" "403" "$st"

finish
