#!/usr/bin/env bash
# What the programs say of themselves is what the documentation says: the
# event table in docs/control-protocol.md is `cc-b2bua --print-events`.
# (The example config files are checked the same way in t_config.)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
n=0 bad=0
ok() { n=$((n + 1)); echo "ok - $*"; }
not_ok() { n=$((n + 1)); bad=$((bad + 1)); echo "not ok - $*"; }

doc=$(sed -n '/^<!-- events: cc-b2bua --print-events -->$/,/^<!-- end of events -->$/p' \
  docs/control-protocol.md | sed '1d;$d')
if [ -z "$doc" ]; then
  not_ok "docs/control-protocol.md has the generated event table"
elif d=$(diff <(printf '%s\n' "$doc") <(build/bin/cc-b2bua --print-events)); then
  ok "docs/control-protocol.md's event table is what cc-b2bua --print-events prints"
else
  not_ok "docs/control-protocol.md's event table differs from cc-b2bua --print-events:"
  printf '%s\n' "$d" | sed 's/^/#   /'
fi

# Every event the table names is documented with its class and fields, and
# the web app routes by the same table (no list of its own).
if grep -rqE '"(agent|call)\.[a-z_]+", *(AGENT|CALL|QUEUE)' fcgi-app; then
  not_ok "fcgi-app keeps a list of events of its own"
else
  ok "fcgi-app has no event list of its own"
fi

# The example flow in docs/ivr.md is a flow the schema accepts.
flow=$(mktemp)
sed -n '/^```xml$/,/^```$/p' docs/ivr.md | sed '1d;$d' > "$flow"
if [ -s "$flow" ] && out=$(xmllint --noout --relaxng schemas/ivr-flow.rng "$flow" 2>&1); then
  ok "the example flow in docs/ivr.md matches schemas/ivr-flow.rng"
else
  not_ok "the example flow in docs/ivr.md does not match schemas/ivr-flow.rng:"
  printf '%s\n' "$out" | sed 's/^/#   /'
fi
rm -f "$flow"

echo "1..$n"
[ "$bad" -eq 0 ]
