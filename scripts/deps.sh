#!/usr/bin/env bash
# Installs what the project needs and the machine lacks: Debian packages
# (apt-get) and the browser test's npm packages. Quiet when nothing is
# missing, so `make run` and `make test` can call it every time.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

packages=(
  build-essential pkg-config
  libsofia-sip-ua-dev libjansson-dev libxslt1-dev libxml2-dev
  default-libmysqlclient-dev libcurl4-openssl-dev libcmocka-dev libfcgi-dev
  libssl-dev zlib1g-dev
  mariadb-server mariadb-client galera-4 mariadb-backup socat
  kamailio kamailio-mysql-modules kamailio-extra-modules kamailio-websocket-modules
  rtpengine-daemon nginx-light
  sip-tester baresip
  espeak-ng sox
  chromium fonts-wqy-microhei nodejs npm
  iproute2 procps curl jq gdb
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# nodejs/npm may come from elsewhere than Debian (the image ships its own).
if command -v node >/dev/null && command -v npm >/dev/null; then
  m=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || m+=("$p"); done
  missing=("${m[@]+"${m[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "deps: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q "${missing[@]}" >/dev/null
fi

# Browser tests drive Debian's Chromium with playwright-core (no browser download).
if [ ! -d "$top/tests/browser/node_modules/playwright-core" ]; then
  echo "deps: installing npm packages for the browser tests"
  (cd "$top/tests/browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# The console's browser-side libraries (web/package.json), copied to where
# nginx serves them (fcgi-app/static/vendor/) by web/vendor.js.
if [ ! -d "$top/web/node_modules/@antv/x6" ] || [ ! -d "$top/web/node_modules/echarts" ] \
    || [ ! -d "$top/web/node_modules/jssip" ] || [ ! -d "$top/web/node_modules/esbuild" ]; then
  echo "deps: installing npm packages for the console's pages"
  (cd "$top/web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
node "$top/web/vendor.js"
