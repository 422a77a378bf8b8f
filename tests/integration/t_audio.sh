#!/usr/bin/env bash
# The audio library (流程管理 > 音频) through nginx, with curl against the real
# stack. Good WAV files (PCM 16-bit at 16 kHz and 44.1 kHz stereo, 24-bit at
# 48 kHz, G.711 µ-law and A-law) are stored as uploaded and converted to
# 8 kHz mono 16-bit, which rtpengine plays to a real caller (the B2BUA's
# call.prompt names the file and the length rtpengine reported). Each bad
# file (not a WAV file, too large, another codec, a rate out of range, no
# samples, cut short, a header lying about its length) gets its own message
# and writes nothing: no row, no file. Agents get 403 on every route; a POST
# without the CSRF token gets 403; the player and the download check the
# session; rename, description and kind; delete is refused while a skill
# group or a number uses the file, with its users listed; every change has
# its audit row and reaches the B2BUA (its directory reload); a prompt
# spoken by espeak-ng is stored like an upload; the list searches, sorts
# and pages.
. "$(dirname "$0")/lib.sh"

stack_start

web_setup audio-web
files=$tmp/files
mkdir -p "$files"
audio=$CC_STATE/audio
location() { hdr "$1" location; }

nrows() { sql "SELECT COUNT(*) FROM cc_audio"; }
nfiles() { find "$audio" -maxdepth 1 -type f | wc -l; }
# facts ID: what the row says of the original.
facts_of() { sql "SELECT CONCAT_WS('|', codec, sample_rate, channels, bits, duration_ms, source) FROM cc_audio WHERE id = $1"; }
col_of() { sql "SELECT $2 FROM cc_audio WHERE id = $1"; }
# soxi_of FILE: rate|channels|bits of a WAV file as sox reads it.
soxi_of() { echo "$(soxi -r "$1")|$(soxi -c "$1")|$(soxi -b "$1")"; }
audits() { sql "SELECT COUNT(*) FROM cc_audit_log WHERE resource = 'audio' AND item_id = '$1' AND action = '$2' AND username = '$ADMIN_LOGIN'"; }
dir_after() { dir_loaded $(($1 + 1)); }

# upload NAME FILE [CURL-ARGS...]: the JSON API's upload as the admin; the status.
upload() {
  local name=$1 f=$2; shift 2
  http "$name" -b "$tmp/ja" -H "X-CSRF-Token: $ta" -F "file=@$f;type=audio/wav" "$@" "$base/cc/api/admin/audio"
}

# --- files ------------------------------------------------------------------------
sox -n -r 16000 -c 2 -b 16 "$files/s16k.wav" synth 1.2 sine 600
sox -n -r 44100 -c 2 -b 16 "$files/s44k.wav" synth 1.5 sine 440
sox -n -r 48000 -c 1 -b 24 "$files/m48k24.wav" synth 0.8 sine 300
sox -n -r 8000 -c 1 -e u-law "$files/ulaw.wav" synth 1 sine 500
sox -n -r 16000 -c 2 -e a-law "$files/alaw16k.wav" synth 1 sine 700
sox -n -r 8000 -c 1 -e floating-point -b 32 "$files/float.wav" synth 0.5 sine 440
sox -n -r 8000 -c 1 -e ms-adpcm "$files/adpcm.wav" synth 0.5 sine 440
sox -n -r 96000 -c 1 -b 16 "$files/r96k.wav" synth 0.5 sine 440
# 5 MB and a little: a WAV file the B2BUA could play, refused for its size.
sox -n -r 8000 -c 1 -b 16 "$files/big.wav" synth 330 sine 440
echo "这不是声音 not a sound file" > "$files/text.wav"
python3 - "$files" <<'EOF'
import struct, sys
d = sys.argv[1]
good = open(d + '/s16k.wav', 'rb').read()
# no samples: a data chunk of 0 bytes
hdr = b'RIFF' + struct.pack('<I', 36) + b'WAVEfmt ' + struct.pack('<IHHIIHH', 16, 1, 1, 8000, 16000, 2, 16) + b'data' + struct.pack('<I', 0)
open(d + '/empty.wav', 'wb').write(hdr)
# cut short: both sizes say more than the file has
open(d + '/cut.wav', 'wb').write(good[:len(good) // 2])
# a header lying about its length: every chunk whole, the RIFF size says 1 MB more
open(d + '/liar.wav', 'wb').write(good[:4] + struct.pack('<I', len(good) - 8 + 1048576) + good[8:])
EOF
check "the big file is over 5 MB" test "$(stat -c %s "$files/big.wav")" -gt 5242880

# --- 1. who may use the library -------------------------------------------------------
ta=$(login ja "$ADMIN_LOGIN" "$ADMIN_PASSWORD")
expect_match "admin signs in with a session token" '^[0-9a-f]{64}$' "$ta"
t1=$(login j1 "$A1_LOGIN" "$AGENT_PASSWORD")
expect_match "agent1 signs in with a session token" '^[0-9a-f]{64}$' "$t1"
R0=$(nrows) F0=$(nfiles)
for r in "GET /cc/admin/audio" "GET /cc/admin/audio/new" "POST /cc/admin/audio/new" "POST /cc/admin/audio/tts" \
  "GET /cc/admin/audio/$AUDIO_WELCOME" "POST /cc/admin/audio/$AUDIO_WELCOME" \
  "POST /cc/admin/audio/$AUDIO_MOH/delete" "GET /cc/admin/audio/$AUDIO_WELCOME/play" \
  "GET /cc/admin/audio/$AUDIO_WELCOME/original" "GET /cc/api/admin/audio" "POST /cc/api/admin/audio" \
  "POST /cc/api/admin/audio/tts" "GET /cc/api/admin/audio/$AUDIO_WELCOME" "POST /cc/api/admin/audio/$AUDIO_WELCOME" \
  "POST /cc/api/admin/audio/$AUDIO_MOH/delete"; do
  m=${r%% *} p=${r#* }
  if [ "$m" = POST ]; then
    st=$(http agent-try -b "$tmp/j1" -H "X-CSRF-Token: $t1" -F "_csrf=$t1" -F name=x -F "file=@$files/ulaw.wav" "$base$p")
  else
    st=$(http agent-try -b "$tmp/j1" "$base$p")
  fi
  expect_eq "an agent gets 403 on $r (even with its own token)" 403 "$st"
done
expect_eq "and nothing was written" "$R0 $F0 欢迎语 welcome" "$(nrows) $(nfiles) $(col_of "$AUDIO_WELCOME" name)"
expect_eq "without a session the list page sends to sign-in" "303 /cc/login" \
  "$(http anon-list "$base/cc/admin/audio") $(location anon-list)"
expect_eq "without a session the player gets nothing (401)" 401 "$(http anon-play "$base/cc/admin/audio/$AUDIO_WELCOME/play")"
expect_eq "without a session the download gets nothing (401)" 401 "$(http anon-orig "$base/cc/admin/audio/$AUDIO_WELCOME/original")"
st=$(http nocsrf -b "$tmp/ja" -F "file=@$files/s16k.wav" -F name=nocsrf "$base/cc/admin/audio/new")
expect_eq "an upload without the CSRF token is refused (403)" 403 "$st"
# The token with its last digit changed.
[ "${ta: -1}" = 0 ] && wrong=${ta%?}1 || wrong=${ta%?}0
st=$(http badcsrf -b "$tmp/ja" -F "_csrf=$wrong" -F "file=@$files/s16k.wav" "$base/cc/api/admin/audio")
expect_eq "an upload with a wrong token is refused (403)" 403 "$st"
st=$(http nocsrf-del -b "$tmp/ja" -X POST "$base/cc/admin/audio/$AUDIO_MOH/delete")
expect_eq "a delete without the token is refused (403)" 403 "$st"
expect_eq "and nothing was written" "$R0 $F0" "$(nrows) $(nfiles)"

# --- 2. the list and the system prompts -------------------------------------------------
expect_eq "the list page answers the admin" 200 "$(http list0 -b "$tmp/ja" "$base/cc/admin/audio")"
check "the console's side navigation leads to it, marked current" \
  grep -q '<a href="/cc/admin/audio" id="side-audio" class="current" aria-current="page">' "$tmp/list0.b"
check "the overview's side navigation has it too" eval \
  'http overview -b "$tmp/ja" "$base/cc/admin" >/dev/null; grep -q "id=\"side-audio\"" "$tmp/overview.b"'
expect_eq "the system prompts are listed with what their files are (read once)" \
  "pcm|8000|1|16|system" "$(facts_of "$AUDIO_WELCOME" | sed 's/|[0-9]*|system$/|system/')"
check "the welcome prompt's length is its file's" test "$(col_of "$AUDIO_WELCOME" duration_ms)" -gt 0
check "its users are listed: the demo number" grep -q "data-table=\"cc_number\" data-key=\"1\"" "$tmp/list0.b"
check "the page has a player per file, served by the app" \
  grep -q "<audio controls=\"controls\" preload=\"none\" class=\"audio-play\" src=\"/cc/admin/audio/$AUDIO_WELCOME/play\"" "$tmp/list0.b"
check "the page has no inline script or handler" eval '! grep -qE "<script>|<script [^s]| on[a-z]+=\"" "$tmp/list0.b"'

# --- 3. good files ------------------------------------------------------------------------
L0=$(dir_ticket)
http newform -b "$tmp/ja" "$base/cc/admin/audio/new" >/dev/null
check "the upload form is multipart with the token" eval \
  'grep -q "enctype=\"multipart/form-data\"" "$tmp/newform.b" && grep -q "name=\"_csrf\" value=\"$ta\"" "$tmp/newform.b"'
st=$(http up-page -b "$tmp/ja" -F "_csrf=$ta" -F "file=@$files/s44k.wav;filename=C:\\音频\\问候 <b>hello<b> &.wav" \
  -F "description=44.1 kHz 立体声" -F kind=prompt "$base/cc/admin/audio/new")
expect_eq "a 44.1 kHz stereo upload goes back to the list" "303 /cc/admin/audio?done=uploaded" "$st $(location up-page)"
ID44=$(sql "SELECT MAX(id) FROM cc_audio")
expect_eq "its row: PCM 44100 Hz, 2 channels, 16-bit, 1.5 s, uploaded" "pcm|44100|2|16|1500|upload" "$(facts_of "$ID44")"
expect_eq "named after the file as typed (display only), with who uploaded it" \
  "问候 <b>hello<b> &|问候 <b>hello<b> &.wav|$ADMIN" "$(col_of "$ID44" "CONCAT_WS('|', name, original_name, created_by)")"
conv=$(col_of "$ID44" filename) orig=$(col_of "$ID44" original_file)
expect_match "the stored names are the plugin's own" '^u[0-9a-f]{16}\.wav u[0-9a-f]{16}\.orig\.wav$' "$conv $orig"
expect_eq "the converted file is 8 kHz mono 16-bit" "8000|1|16" "$(soxi_of "$audio/$conv")"
expect_eq "of the same length (12000 samples)" 12000 "$(soxi -s "$audio/$conv")"
check "the original is kept byte for byte" cmp -s "$files/s44k.wav" "$audio/$orig"
expect_eq "the sizes are recorded" "$(stat -c %s "$audio/$conv") $(stat -c %s "$files/s44k.wav")" \
  "$(col_of "$ID44" size) $(col_of "$ID44" original_size)"
check "the B2BUA re-read its directory" eventually 20 dir_after "$L0"
expect_eq "the upload has its audit row" 1 "$(audits "$ID44" upload)"
http list1 -b "$tmp/ja" "$base/cc/admin/audio?done=uploaded" >/dev/null
check "the list says it was uploaded" grep -q 'id="audio-notice" role="status" data-done="uploaded"' "$tmp/list1.b"
check "and shows the name escaped" grep -q '>问候 &lt;b&gt;hello&lt;b&gt; &amp;</a>' "$tmp/list1.b"
check "with its format and length" eval 'grep -q "PCM 16 位 · 44.1 kHz · 立体声" "$tmp/list1.b" && grep -q "0:01.5" "$tmp/list1.b"'

st=$(http play -b "$tmp/ja" "$base/cc/admin/audio/$ID44/play")
expect_eq "the player gets the converted file as audio/wav" "200 audio/wav" "$st $(hdr play content-type)"
check "byte for byte" cmp -s "$tmp/play.b" "$audio/$conv"
st=$(http orig -b "$tmp/ja" "$base/cc/admin/audio/$ID44/original")
expect_eq "the download is the original" "200 audio/wav" "$st $(hdr orig content-type)"
check "byte for byte" cmp -s "$tmp/orig.b" "$files/s44k.wav"
expect_match "named after the uploaded file" "^attachment; filename=\"audio-$ID44.wav\"; filename\*=UTF-8''%E9%97%AE%E5%80%99%20%3Cb%3Ehello%3Cb%3E%20%26.wav$" \
  "$(hdr orig content-disposition)"
for p in "../../etc/passwd" "..%2F..%2Fetc%2Fpasswd" "abc" "0" "99999"; do
  st=$(http path -b "$tmp/ja" "$base/cc/admin/audio/$p/play")
  expect_eq "no file by a path of the request ($p): 404" 404 "$st"
done

check_upload() { # NAME FILE WANT-FACTS
  local st id
  st=$(upload "$1" "$2")
  id=$(json "$1" .item.id)
  expect_eq "$1 is accepted (201)" "201 true" "$st $(json "$1" .ok)"
  expect_eq "$1: its facts" "$3" "$(facts_of "$id")"
  expect_eq "$1: converted to 8 kHz mono 16-bit" "8000|1|16" "$(soxi_of "$audio/$(col_of "$id" filename)")"
}
check_upload s16k "$files/s16k.wav" "pcm|16000|2|16|1200|upload"
check_upload m48k24 "$files/m48k24.wav" "pcm|48000|1|24|800|upload"
check_upload ulaw "$files/ulaw.wav" "ulaw|8000|1|8|1000|upload"
check_upload alaw16k "$files/alaw16k.wav" "alaw|16000|2|8|1000|upload"
ID16=$(json s16k .item.id)
st=$(upload ulaw-again "$files/ulaw.wav")
expect_eq "the same file again, not named: its name gets a number" "201 ulaw (2)" "$st $(json ulaw-again .item.name)"
expect_eq "named as typed, a name in use is not taken" "422 已有同名的音频，请换一个名称" \
  "$(upload ulaw-named "$files/ulaw.wav" -F "name=ulaw") $(json ulaw-named .errors.name)"

expect_eq "the JSON list has them with their users" "6 0" \
  "$(http jl -b "$tmp/ja" "$base/cc/api/admin/audio?q=.wav&per_page=100" >/dev/null; json jl '.total') $(json jl "[.items[] | select(.id == $ID16) | .users | length] | add")"

# --- 4. bad files: a message each, nothing written ---------------------------------------
R1=$(nrows) F1=$(nfiles) A1N=$(sql "SELECT COUNT(*) FROM cc_audit_log")
bad() { # NAME FILE STATUS REASON MESSAGE-PART
  local st
  st=$(upload "$1" "$2")
  expect_eq "$1: refused ($3 $4)" "$3 $4" "$st $(json "$1" .error)"
  expect_match "$1: the message says why" "$5" "$(json "$1" .errors.file)"
}
bad text "$files/text.wav" 422 not_wav "不是 WAV 文件"
bad float "$files/float.wav" 422 codec "不支持的编码（格式代码 0x0003）"
bad adpcm "$files/adpcm.wav" 422 codec "不支持的编码（格式代码 0x0002）"
bad r96k "$files/r96k.wav" 422 rate "不支持的采样率 96000 Hz"
bad empty "$files/empty.wav" 422 empty "没有声音"
bad cut "$files/cut.wav" 422 truncated "文件不完整"
bad liar "$files/liar.wav" 422 bad_length "长度与文件实际内容不符"
bad big "$files/big.wav" 413 too_large "文件太大：最大 5 MB"
st=$(http nofile -b "$tmp/ja" -H "X-CSRF-Token: $ta" -F name=x "$base/cc/api/admin/audio")
expect_eq "no file at all: refused (422 no_file)" "422 no_file" "$st $(json nofile .error)"
st=$(http bad-page -b "$tmp/ja" -F "_csrf=$ta" -F "file=@$files/float.wav" -F name=floaty "$base/cc/admin/audio/new")
expect_eq "by the page: the form again (422)" 422 "$st"
check "with the message under the file field" grep -q 'id="err-file">不支持的编码（格式代码 0x0003）' "$tmp/bad-page.b"
check "and what was typed" grep -q 'id="f-name" name="name" value="floaty"' "$tmp/bad-page.b"
st=$(http bad-en -b "$tmp/ja" -F "_csrf=$ta" -F "file=@$files/text.wav" "$base/cc/admin/audio/new?lang=en")
check "in English (?lang=en)" grep -q 'id="err-file">This is not a WAV file' "$tmp/bad-en.b"
st=$(http dupname -b "$tmp/ja" -H "X-CSRF-Token: $ta" -F "file=@$files/ulaw.wav" -F "name=欢迎语 welcome" "$base/cc/api/admin/audio")
expect_eq "a name in use is a field error (422)" "422 已有同名的音频，请换一个名称" "$st $(json dupname .errors.name)"
st=$(http multi-elsewhere -b "$tmp/ja" -H "X-CSRF-Token: $ta" -F "name=x" "$base/cc/api/admin/audio/$ID16")
expect_eq "multipart where no file is taken: 415" 415 "$st"
expect_eq "nothing was written: no row, no file, no audit row" "$R1 $F1 $A1N" \
  "$(nrows) $(nfiles) $(sql "SELECT COUNT(*) FROM cc_audit_log")"
check "and no temporary file is left" eval '[ -z "$(find "$audio" -name ".*" -type f)" ]'
st=$(http huge -b "$tmp/ja" -H "X-CSRF-Token: $ta" -H 'Content-Type: application/x-www-form-urlencoded' \
  --data-binary "@$files/big.wav" "$base/cc/api/admin/audio/$ID16")
expect_eq "a large body anywhere else is refused (413)" 413 "$st"

# --- 5. rename, description, kind ------------------------------------------------------------
L1=$(dir_ticket)
st=$(http rename -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode "name=  排队提示 queue  " \
  --data-urlencode "description=改过的说明" --data-urlencode kind=music "$base/cc/admin/audio/$ID16")
expect_eq "rename goes back to the list" "303 /cc/admin/audio?done=updated" "$st $(location rename)"
expect_eq "the row has the edit, trimmed" "排队提示 queue|改过的说明|music" "$(col_of "$ID16" "CONCAT_WS('|', name, description, kind)")"
check "the B2BUA re-read its directory" eventually 20 dir_after "$L1"
expect_eq "the audit row holds the change only" '{"description":"","kind":"prompt","name":"s16k"}|{"description":"改过的说明","kind":"music","name":"排队提示 queue"}' \
  "$(sql "SELECT CONCAT(before_json, '|', after_json) FROM cc_audit_log WHERE resource = 'audio' AND item_id = '$ID16' AND action = 'update'")"
st=$(http rename-bad -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode "name=" --data-urlencode kind=x "$base/cc/admin/audio/$ID16")
expect_eq "a blank name and an unknown kind are refused (422)" "422" "$st"
check "each with its message" eval 'grep -q "id=\"err-name\">必填" "$tmp/rename-bad.b" && grep -q "id=\"err-kind\">请从列表中选择" "$tmp/rename-bad.b"'
expect_eq "nothing was written" "排队提示 queue|music" "$(col_of "$ID16" "CONCAT_WS('|', name, kind)")"

# --- 6. in use: delete refused, with the users listed ------------------------------------------
NUMBER_ID=$(sql "SELECT id FROM cc_number WHERE number = '$NUMBER'")
sql "UPDATE cc_number SET welcome_audio_id = $ID44 WHERE number = '$NUMBER'"
sql "UPDATE cc_skill_group SET moh_audio_id = $ID44, announce_audio_id = $ID44 WHERE id = $GROUP"
st=$(http del-used -b "$tmp/ja" -H "X-CSRF-Token: $ta" -X POST "$base/cc/api/admin/audio/$ID44/delete")
expect_eq "deleting a file in use is refused (409 in_use)" "409 in_use" "$st $(json del-used .error)"
expect_eq "with its users: the number and the skill group (twice)" \
  "cc_number.welcome_audio_id:$NUMBER 客服热线 service line,cc_skill_group.announce_audio_id:$GROUP_NAME,cc_skill_group.moh_audio_id:$GROUP_NAME" \
  "$(json del-used '[.users[] | "\(.table).\(.column):\(.label)"] | sort | join(",")')"
st=$(http del-used-page -b "$tmp/ja" --data-urlencode "_csrf=$ta" "$base/cc/admin/audio/$ID44/delete")
expect_eq "by the page: the file's page again (409)" 409 "$st"
check "listing who uses it" eval 'grep -q "id=\"audio-refused\"" "$tmp/del-used-page.b" && grep -q "号码欢迎语：<a href=\"/cc/admin/numbers/$NUMBER_ID\">$NUMBER 客服热线 service line</a>" "$tmp/del-used-page.b" && grep -q "技能组等待音乐：" "$tmp/del-used-page.b"'
expect_eq "the row and both files stay" "1 1 1" \
  "$(sql "SELECT COUNT(*) FROM cc_audio WHERE id = $ID44") $(test -f "$audio/$conv" && echo 1) $(test -f "$audio/$orig" && echo 1)"

# --- 7. a real call: rtpengine plays the converted file ------------------------------------------
check "the B2BUA re-reads the number's new welcome prompt" reload_dir
caller c-welcome "$NUMBER" -i 127.0.0.1 -set caller 13700137001 -set hold_ms 2500
check "a call to $NUMBER is answered" test $? -eq 0
call=$(last_call 13700137001)
expect_match "the welcome prompt rtpengine played is the converted upload, 1.5 s long" "^$conv 1[45][0-9][0-9] ms$" \
  "$(sql "SELECT detail FROM cc_call_event WHERE call_id = '$call' AND event = 'prompt' ORDER BY id LIMIT 1")"

# --- 8. delete -----------------------------------------------------------------------------
sql "UPDATE cc_number SET welcome_audio_id = $AUDIO_WELCOME WHERE number = '$NUMBER'"
sql "UPDATE cc_skill_group SET moh_audio_id = $AUDIO_MOH, announce_audio_id = NULL WHERE id = $GROUP"
L2=$(dir_ticket)
st=$(http del -b "$tmp/ja" --data-urlencode "_csrf=$ta" "$base/cc/admin/audio/$ID44/delete")
expect_eq "an unused file is deleted, back to the list" "303 /cc/admin/audio?done=deleted" "$st $(location del)"
expect_eq "the row and both files are gone" "0  " \
  "$(sql "SELECT COUNT(*) FROM cc_audio WHERE id = $ID44") $(test -f "$audio/$conv" && echo conv) $(test -f "$audio/$orig" && echo orig)"
check "the B2BUA re-read its directory" eventually 20 dir_after "$L2"
expect_eq "the delete has its audit row with the row as it was" "1 $conv" \
  "$(audits "$ID44" delete) $(sql "SELECT JSON_VALUE(before_json, '$.file') FROM cc_audit_log WHERE resource = 'audio' AND item_id = '$ID44' AND action = 'delete'")"
expect_eq "a GET there is 405" 405 "$(http del-get -b "$tmp/ja" "$base/cc/admin/audio/$ID16/delete")"
expect_eq "deleting it again: 404" 404 "$(http del2 -b "$tmp/ja" -H "X-CSRF-Token: $ta" -X POST "$base/cc/api/admin/audio/$ID44/delete")"

# --- 9. text to speech ---------------------------------------------------------------------
if command -v espeak-ng >/dev/null; then
  st=$(http tts -b "$tmp/ja" --data-urlencode "_csrf=$ta" --data-urlencode "tts_text=您好，请稍候。" \
    --data-urlencode tts_voice=cmn --data-urlencode name=稍候 "$base/cc/admin/audio/tts")
  expect_eq "a Mandarin prompt from text goes back to the list" "303 /cc/admin/audio?done=uploaded" "$st $(location tts)"
  IDT=$(sql "SELECT id FROM cc_audio WHERE name = '稍候'")
  expect_eq "stored as an 8 kHz mono 16-bit file of the library" "8000|1|16 tts cmn" \
    "$(soxi_of "$audio/$(col_of "$IDT" filename)") $(col_of "$IDT" source) $(col_of "$IDT" tts_voice)"
  check "of some length" test "$(col_of "$IDT" duration_ms)" -gt 300
  expect_eq "with its audit row" 1 "$(audits "$IDT" tts)"
  st=$(http tts-en -b "$tmp/ja" -H "X-CSRF-Token: $ta" --data-urlencode "tts_text=-v xx Please hold." \
    --data-urlencode tts_voice=en "$base/cc/api/admin/audio/tts")
  expect_eq "English, a text that looks like an option is just text (201)" "201 -v xx Please hold." "$st $(json tts-en .item.name)"
  st=$(http tts-bad -b "$tmp/ja" -H "X-CSRF-Token: $ta" --data-urlencode "tts_text= " --data-urlencode tts_voice=fr "$base/cc/api/admin/audio/tts")
  expect_eq "no text and an unknown voice are refused (422)" "422 必填 请从列表中选择" \
    "$st $(json tts-bad .errors.tts_text) $(json tts-bad .errors.tts_voice)"
else
  diag "espeak-ng is not installed: text to speech not tested"
fi

# --- 10. search, sort, pages -----------------------------------------------------------
ids() { json "$1" '[.items[].id] | join(" ")'; }
http q-ulaw -b "$tmp/ja" "$base/cc/api/admin/audio?q=ULAW&sort=name&dir=asc" >/dev/null
expect_eq "a search finds names case-insensitively, sorted by name" "ulaw,ulaw (2)" "$(json q-ulaw '[.items[].name] | join(",")')"
http q-pct -b "$tmp/ja" "$base/cc/api/admin/audio?q=%25" >/dev/null
expect_eq "% is a plain character in a search" 0 "$(json q-pct .total)"
http q-desc -b "$tmp/ja" "$base/cc/api/admin/audio?q=%E6%94%B9%E8%BF%87" >/dev/null
expect_eq "a search looks in the descriptions too" "$ID16" "$(ids q-desc)"
http q-orig -b "$tmp/ja" "$base/cc/api/admin/audio?q=alaw16k.wav" >/dev/null
expect_eq "and in the uploaded file's name" 1 "$(json q-orig .total)"
http s-dur -b "$tmp/ja" "$base/cc/api/admin/audio?sort=duration&dir=asc&per_page=100" >/dev/null
expect_eq "sorted by length, shortest first" true "$(json s-dur '[.items[].duration_ms] | . == sort')"
http s-size -b "$tmp/ja" "$base/cc/api/admin/audio?sort=size&dir=desc&per_page=100" >/dev/null
expect_eq "sorted by size, largest first" true "$(json s-size '[.items[].original_size] | . == (sort | reverse)')"
http s-default -b "$tmp/ja" "$base/cc/api/admin/audio?sort=nonsense" >/dev/null
expect_eq "an unknown sort falls back to the newest first" "uploaded desc" "$(json s-default '.sort + " " + .dir')"
sql "INSERT INTO cc_audio (name, filename, kind) SELECT CONCAT('page-', seq), CONCAT('p', seq, '.wav'), 'prompt' FROM seq_1_to_25"
N=$(nrows)
http p1 -b "$tmp/ja" "$base/cc/admin/audio?sort=name&dir=asc" >/dev/null
expect_eq "the list page shows 20 rows of $N" "20 1 $(( (N + 19) / 20 )) $N" \
  "$(grep -o '<tr data-id=' "$tmp/p1.b" | wc -l) $(grep -o 'id="audio-pages"[^>]*' "$tmp/p1.b" | sed 's/.*data-total="\([0-9]*\)" data-page="\([0-9]*\)" data-pages="\([0-9]*\)".*/\2 \3 \1/')"
check "with a link to the next page keeping the sort" grep -q 'id="audio-next" rel="next" href="/cc/admin/audio?sort=name&amp;dir=asc&amp;page=2"' "$tmp/p1.b"
http p9 -b "$tmp/ja" "$base/cc/api/admin/audio?page=99" >/dev/null
expect_eq "a page past the last shows the last" "$(( (N + 19) / 20 )) $(( N - 20 * ((N + 19) / 20 - 1) ))" "$(json p9 .page) $(json p9 '.items | length')"
http p1j -b "$tmp/ja" "$base/cc/api/admin/audio?sort=name&page=1" >/dev/null
http p2j -b "$tmp/ja" "$base/cc/api/admin/audio?sort=name&page=2" >/dev/null
expect_eq "pages do not overlap" "" "$(comm -12 <(ids p1j | tr ' ' '\n' | sort) <(ids p2j | tr ' ' '\n' | sort))"
sql "DELETE FROM cc_audio WHERE name LIKE 'page-%'"

finish
