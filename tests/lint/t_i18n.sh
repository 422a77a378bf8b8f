#!/usr/bin/env bash
# The page text exists in both languages: templates/i18n/zh-CN.xml and en.xml,
# and each feature's <feature>.zh-CN.xml and <feature>.en.xml, have the same
# keys, none empty, none in two files.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top/templates/i18n"
n=0 bad=0
ok() { n=$((n + 1)); echo "ok - $*"; }
not_ok() { n=$((n + 1)); bad=$((bad + 1)); echo "not ok - $*"; }

keys() { xmllint --xpath '//s/@k' "$1" 2>/dev/null | sed 's/^ *k="\(.*\)"$/\1/' | sort; }
empty() { xmllint --xpath '//s[normalize-space(.)=""]/@k' "$1" 2>/dev/null | sed 's/^ *k="\(.*\)"$/\1/'; }

for zh in zh-CN.xml *.zh-CN.xml; do
  [ -f "$zh" ] || continue
  en=${zh%zh-CN.xml}en.xml
  if [ ! -f "$en" ]; then not_ok "$zh has an English twin ($en)"; continue; fi
  if d=$(diff <(keys "$zh") <(keys "$en")); then
    ok "$zh and $en have the same keys ($(keys "$zh" | wc -l))"
  else
    not_ok "$zh and $en differ in keys:"; printf '%s\n' "$d" | sed 's/^/#   /'
  fi
  for f in "$zh" "$en"; do
    e=$(empty "$f")
    [ -z "$e" ] && ok "$f has no empty string" || not_ok "$f has empty strings: $e"
  done
done
for en in *.en.xml; do
  [ -f "$en" ] && [ ! -f "${en%en.xml}zh-CN.xml" ] && not_ok "$en has a Chinese twin"
done
dups=$(for f in zh-CN.xml *.zh-CN.xml; do [ -f "$f" ] && keys "$f"; done | sort | uniq -d)
[ -z "$dups" ] && ok "no key is in two catalogue files" || not_ok "keys in two files: $dups"
echo "1..$n"
[ "$bad" -eq 0 ]
