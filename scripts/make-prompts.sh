#!/usr/bin/env bash
# Makes the system prompts as 8 kHz mono 16-bit WAV files (what rtpengine
# plays): speech with espeak-ng (Mandarin voice), music on hold with sox.
#   scripts/make-prompts.sh OUTDIR
set -euo pipefail
out=$1
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

speak() { # name text
  espeak-ng -v cmn -s 190 -w "$tmp/$1.raw.wav" "$2"
  # A little silence first, so the start is not clipped while media settles.
  sox "$tmp/$1.raw.wav" -r 8000 -c 1 -b 16 "$out/$1.wav" pad 0.3 0.2 norm -3
}

speak welcome "您好，欢迎致电客服热线，正在为您转接。"
speak noagent "抱歉，客服代表全忙，请稍后再拨。"
# An outbound task's customer who answered when no agent was free (docs/outbound.md).
speak sys-task-abandon "您好，抱歉打扰，我们稍后再与您联系，再见。"

# Queue announcements (docs/queues.md): the caller's position and the
# estimated wait, one file each, played one after the other.
zh_num() { # 1..20 in Chinese numerals
  local d=(零 一 二 三 四 五 六 七 八 九 十)
  local n=$1
  if [ "$n" -le 10 ]; then echo "${d[$n]}"
  elif [ "$n" -lt 20 ]; then echo "十${d[$((n - 10))]}"
  else echo "二十"; fi
}
for n in $(seq 1 20); do
  speak "sys-pos-$n" "您前面还有$(zh_num "$n")位客户在等待。"
done
speak sys-pos-many "您前面还有二十位以上客户在等待。"
speak sys-wait-0 "预计等待不到一分钟。"
for n in $(seq 1 10); do
  speak "sys-wait-$n" "预计等待约$(zh_num "$n")分钟。"
done
speak sys-wait-many "预计等待超过十分钟。"

# Ringback while a number the caller is put through to rings (an IVR
# flow's dial node, an agent's outbound call): China's 450 Hz, 1 s on, 4 s
# off, looped by rtpengine.
sox -n -r 8000 -c 1 -b 16 "$out/ringback.wav" synth 1 sine 450 vol 0.3 pad 0 4

# Keys the agent sends from the workbench to the far end (an IVR of another
# company): one file per key, its two DTMF frequencies for 120 ms, then 80 ms
# of silence (docs/incall.md).
dtmf() { # name low high
  sox -n -r 8000 -c 1 -b 16 "$out/sys-dtmf-$1.wav" synth 0.12 sine "$2" synth 0.12 sine mix "$3" \
    vol 0.5 pad 0 0.08
}
dtmf 1 697 1209; dtmf 2 697 1336; dtmf 3 697 1477; dtmf A 697 1633
dtmf 4 770 1209; dtmf 5 770 1336; dtmf 6 770 1477; dtmf B 770 1633
dtmf 7 852 1209; dtmf 8 852 1336; dtmf 9 852 1477; dtmf C 852 1633
dtmf star 941 1209; dtmf 0 941 1336; dtmf hash 941 1477; dtmf D 941 1633

# Music on hold: a calm arpeggio of about 7 seconds, looped by rtpengine
# (its play media cost grows with the file's length: keep it short).
notes="C4 E4 G4 E4 A3 C4 E4 C4 F3 A3 C4 A3 G3 B3 D4 B3"
files=()
i=0
for n in $notes; do
  sox -n -r 8000 -c 1 -b 16 "$tmp/n$i.wav" synth 0.45 pluck "$n" fade 0 0.45 0.2 vol 0.5
  files+=("$tmp/n$i.wav"); i=$((i + 1))
done
sox "${files[@]}" "$tmp/melody.wav"
sox "$tmp/melody.wav" -r 8000 -c 1 -b 16 "$out/moh.wav" trim 0 7.2 norm -6
