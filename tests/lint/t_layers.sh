#!/usr/bin/env bash
# The layers, checked from the #include lines. The B2BUA (b2bua/README.md): a
# folder may include its own files, common/ and the folders of the layers
# below it, never a folder of its own layer or one above. The ranks are the
# README's picture; files directly in b2bua/ (main.c) are the top.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

declare -A rank=(
  [core]=0
  [media]=1 [db]=1 [sip]=1 [http]=1
  [dir]=2 [lookup]=2
  [acd]=3
  [call]=4
  [flow]=5 [dialer]=5
  [ctl]=6
  [main]=7
)

n=0 bad=0
say_ok() { n=$((n + 1)); echo "ok - $*"; }
say_not_ok() { n=$((n + 1)); bad=$((bad + 1)); echo "not ok - $*"; }

folder_of() { # b2bua/acd/acd.c -> acd; b2bua/main.c -> main
  local rest=${1#b2bua/}
  case $rest in */*) echo "${rest%%/*}" ;; *) echo main ;; esac
}

# Every folder has a rank: a new folder must be placed in the picture.
unknown=()
for d in b2bua/*/; do
  f=$(basename "$d")
  [ -n "${rank[$f]+x}" ] || unknown+=("$f")
done
if [ ${#unknown[@]} -eq 0 ]; then
  say_ok "every folder of b2bua/ has its layer"
else
  say_not_ok "folders without a layer in tests/lint/t_layers.sh and b2bua/README.md: ${unknown[*]}"
fi

# violations_of FILE [FOLDER]: one line per include of FILE that goes up or
# across a layer (FOLDER: the folder FILE counts as, default its own).
violations_of() {
  local file=$1 from=${2:-$(folder_of "$1")} inc to
  while IFS= read -r inc; do
    to=${inc#b2bua/}; to=${to%%/*}
    [ "$to" = "$from" ] && continue
    if [ -z "${rank[$to]+x}" ]; then
      echo "$file includes $inc (no such layer)"
    elif [ "${rank[$to]}" -ge "${rank[$from]}" ]; then
      echo "$file includes $inc ($to is not below $from)"
    fi
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\(b2bua\/[^"]*\)".*/\1/p' "$file")
  # A relative include reaching out of the folder would dodge the check.
  if grep -qE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"\.\./' "$file"; then
    echo "$file includes a file by a relative path out of its folder"
  fi
}

violations=()
while IFS= read -r file; do
  while IFS= read -r v; do violations+=("$v"); done < <(violations_of "$file")
done < <(find b2bua -name '*.[ch]' | sort)

if [ ${#violations[@]} -eq 0 ]; then
  say_ok "no include in b2bua/ goes up or across a layer ($(find b2bua -name '*.[ch]' | wc -l) files)"
else
  say_not_ok "includes that go up or across a layer:"
  printf '#   %s\n' "${violations[@]}"
fi

# The ACD knows no calls: nothing of call/ by any name.
if grep -rqE 'struct call\b|call_[a-z_]+\(' b2bua/acd; then
  say_not_ok "b2bua/acd/ names calls: $(grep -rlE 'struct call\b|call_[a-z_]+\(' b2bua/acd | tr '\n' ' ')"
else
  say_ok "b2bua/acd/ names nothing of calls"
fi

# The web app: the plumbing (request and response, routing, auth, templates,
# the event hub, the generic admin resource, the audit log) includes no
# feature folder; features reach it, never the other way (fcgi-app/README.md).
# Every other folder of fcgi-app is a feature.
plumbing='http auth tmpl sse resource audit static'
features=$(for d in fcgi-app/*/; do d=$(basename "$d"); [[ " $plumbing " == *" $d "* ]] || echo "$d"; done | paste -sd'|')
plumbing_files=$(for d in $plumbing; do ls fcgi-app/$d/*.[ch] 2>/dev/null; done)
up=$(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"(\.\./)?($features)/" \
  $plumbing_files fcgi-app/*.[ch] 2>/dev/null | grep -v '^fcgi-app/main.c:')
if [ -z "$up" ]; then
  say_ok "the web app's plumbing includes no feature folder"
else
  say_not_ok "the web app's plumbing includes features:"
  printf '#   %s\n' "$up"
fi

# The check itself catches what it should: includes going up and across.
probe=$(mktemp)
trap 'rm -f "$probe"' EXIT
printf '#include "b2bua/call/call.h"\n#include "b2bua/lookup/contact.h"\n#include "b2bua/core/bus.h"\n' > "$probe"
found=$(violations_of "$probe" acd | wc -l)
if [ "$found" -eq 1 ]; then
  say_ok "an include of call/ from acd/ would be reported, one of core/ would not"
else
  say_not_ok "the check found $found violations in a probe with one"
fi
printf '#include "b2bua/lookup/contact.h"\n' > "$probe"
if [ "$(violations_of "$probe" dir | wc -l)" -eq 1 ]; then
  say_ok "an include across a layer (dir/ -> lookup/) would be reported"
else
  say_not_ok "an include across a layer is not reported"
fi

echo "1..$n"
[ "$bad" -eq 0 ]
