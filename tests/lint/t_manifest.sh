#!/usr/bin/env bash
# plugin-manifest.xml as xmllint sees it: valid against its RelaxNG schema,
# its menu entries under the plugin's mount prefix, and each entry's
# permission one of the helpdesk's resources the manifest lists under
# <permissions> (or another entry of its own menu).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
n=0 bad=0
ok() { n=$((n + 1)); echo "ok - $*"; }
not_ok() { n=$((n + 1)); bad=$((bad + 1)); echo "not ok - $*"; }
x() { xmllint --xpath "$1" plugin-manifest.xml 2>/dev/null | tr '\n' ' '; }
el() { echo "//*[local-name()='$1']"; }

if out=$(xmllint --noout --relaxng schemas/plugin-manifest.rng plugin-manifest.xml 2>&1); then
  ok "xmllint --relaxng accepts plugin-manifest.xml"
else
  not_ok "xmllint --relaxng rejects plugin-manifest.xml: $(head -n 3 <<<"$out" | tr '\n' ' ')"
fi

prefix=$(xmllint --xpath "string($(el mount)/@prefix)" plugin-manifest.xml)
outside=$(x "$(el entry)[not(starts-with(@url, '$prefix'))]/@code" | sed 's/ *code="\([^"]*\)"/\1 /g')
if [ -n "$prefix" ] && [ -z "$outside" ]; then
  ok "every menu entry's URL is under the mount prefix $prefix"
else
  not_ok "menu entries outside the mount prefix '$prefix': $outside"
fi

known=" $(x "$(el resource)/@code | $(el entry)/@code" | sed 's/ *code="\([^"]*\)"/\1 /g') "
unknown=""
for p in $(x "$(el entry)/@permission" | sed 's/ *permission="\([^"]*\)"/\1 /g'); do
  [[ $known == *" $p "* ]] || unknown="$unknown $p"
done
if [ -z "$unknown" ]; then
  ok "every menu entry's permission is a resource the manifest lists"
else
  not_ok "menu permissions not listed under <permissions>:$unknown"
fi

echo "1..$n"
[ "$bad" -eq 0 ]
