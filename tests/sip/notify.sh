#!/usr/bin/env bash
# tests/sip/notify.sh MESSAGE_FILE: ends the wait of a sipp scenario run with
# -set until_notify 1 (gateway/uac.xml hangs up, agent/uac.xml unregisters)
# by sending one NOTIFY into its dialog: the Call-ID of its first message, to
# the address in the Via of its first request, both read from its message
# trace (-trace_msg -message_file MESSAGE_FILE). sipp hands the NOTIFY to the
# call with that Call-ID; nothing answers it.
set -euo pipefail
file=${1:?usage: notify.sh MESSAGE_FILE}
callid=$(sed -n 's/^Call-ID: *//p' "$file" | head -n 1 | tr -d '\r')
hostport=$(sed -n 's|^Via: SIP/2.0/UDP \([0-9.]*:[0-9]*\).*|\1|p' "$file" | head -n 1)
if [ -z "$callid" ] || [ -z "$hostport" ]; then
  echo "notify.sh: no Call-ID or Via in $file" >&2
  exit 1
fi
# One datagram: dd gathers what printf writes (a line at a time) and writes
# it once.
printf 'NOTIFY sip:%s SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-notify-%s\r\nFrom: <sip:test@127.0.0.1>;tag=notify\r\nTo: <sip:%s>\r\nCall-ID: %s\r\nCSeq: 1 NOTIFY\r\nEvent: test\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' \
  "$hostport" "$RANDOM" "$hostport" "$callid" |
  dd bs=65536 iflag=fullblock status=none > "/dev/udp/${hostport%:*}/${hostport#*:}"
