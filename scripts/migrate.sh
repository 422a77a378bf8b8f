#!/usr/bin/env bash
# Applies the plugin's migrations and the rest of its installation: kept for
# the command lines that call it; the installer is build/bin/cc-plugin
# (docs/install.md). Takes the installer's options:
#
#   scripts/migrate.sh --socket S --database D [--user U] [--password-file F]
#   scripts/migrate.sh --host H --port P ...
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
exec "${CC_BIN:-$top/build/bin}/cc-plugin" install --manifest "$top/plugin-manifest.xml" "$@"
