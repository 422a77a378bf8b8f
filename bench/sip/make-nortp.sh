#!/usr/bin/env bash
# Writes the bench-only copies of the SIP scenarios without media:
# tests/sip/gateway/uac.xml and tests/sip/agent/uas.xml minus their
# play_pcap_audio action (the <nop> that carries it is dropped), so that a
# benchmark can measure signalling without sipp and rtpengine relaying RTP.
# bench/run.sh runs this with --check and refuses to run when the copies
# have drifted from tests/sip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sip=$here/../../tests/sip

strip() { # in
  awk '
    /^[[:space:]]*<nop( condexec="rtp_port" condexec_inverse="true")?>[[:space:]]*$/ { held = $0; next }
    held != "" && /play_pcap_audio/ { drop = 1; held = ""; print "  <!-- bench/sip: no RTP (play_pcap_audio removed) -->"; next }
    drop && /<\/nop>/ { drop = 0; next }
    held != "" { print held; held = "" }
    { print }
  ' "$1"
}

check=0
[ "${1:-}" = --check ] && check=1
status=0
for pair in "gateway/uac.xml:gateway-uac-nortp.xml" "agent/uas.xml:agent-uas-nortp.xml"; do
  src=$sip/${pair%%:*} dst=$here/${pair##*:}
  if [ $check = 1 ]; then
    if ! strip "$src" | cmp -s - "$dst"; then
      echo "bench/sip/${pair##*:} differs from tests/sip/${pair%%:*} without media; run bench/sip/make-nortp.sh" >&2
      status=1
    fi
  else
    strip "$src" > "$dst"
  fi
done
exit $status
