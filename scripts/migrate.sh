#!/usr/bin/env bash
# Applies the plugin's migrations (sql/migrations/NNN_name.sql) that the
# database has not seen yet, in order, each once, and records each in
# cc_schema_version; then creates the indexes on the helpdesk's own tables
# that plugin-manifest.xml declares under <alters> (and nothing else there).
# Safe to run again at any time.
#
#   scripts/migrate.sh --socket S --database D [--user U] [--password-file F]
#   scripts/migrate.sh --host H --port P ...
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
args=(--no-defaults --batch) db="" user=root
while [ $# -gt 0 ]; do
  case $1 in
    --socket) args+=(-S "$2"); shift ;;
    --host) args+=(-h "$2"); shift ;;
    --port) args+=(-P "$2"); shift ;;
    --database) db=$2; shift ;;
    --user) user=$2; shift ;;
    --password-file) args+=("-p$(cat "$2")"); shift ;;
    *) echo "migrate: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$db" ] || { echo "migrate: --database is required" >&2; exit 2; }
sql() { mariadb "${args[@]}" -u "$user" "$db" "$@"; }

sql -e "CREATE TABLE IF NOT EXISTS cc_schema_version (
  version INT UNSIGNED NOT NULL PRIMARY KEY,
  name VARCHAR(128) NOT NULL,
  applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"

applied=$(sql -N -e 'SELECT version FROM cc_schema_version')
for f in "$top"/sql/migrations/[0-9][0-9][0-9]_*.sql; do
  name=$(basename "$f" .sql)
  v=$((10#${name%%_*}))
  if grep -qx "$v" <<<"$applied"; then continue; fi
  echo "migrate: applying $name"
  if ! sql < "$f"; then
    echo "migrate: $name failed; nothing after it was applied" >&2
    exit 1
  fi
  sql -e "INSERT INTO cc_schema_version (version, name) VALUES ($v, '$name')"
done
# The manifest's alterations of host tables: indexes, each created once.
manifest=$top/plugin-manifest.xml
xmllint --noout --relaxng "$top/schemas/plugin-manifest.rng" "$manifest" 2>/dev/null \
  || { echo "migrate: $manifest does not match its schema" >&2; exit 1; }
n=$(xmllint --xpath "count(//*[local-name()='alters']/*[local-name()='index'])" "$manifest")
for i in $(seq 1 "$n"); do
  attr() { xmllint --xpath "string((//*[local-name()='alters']/*[local-name()='index'])[$i]/@$1)" "$manifest"; }
  table=$(attr table) name=$(attr name) columns=$(attr columns)
  # The schema allows only identifiers here; checked again before use in SQL.
  for ident in "$table" "$name" $columns; do
    [[ $ident =~ ^[A-Za-z_][A-Za-z0-9_]{0,63}$ ]] || { echo "migrate: bad identifier '$ident'" >&2; exit 1; }
  done
  have=$(sql -N -e "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$table' AND INDEX_NAME = '$name'")
  if [ "$have" = 0 ]; then
    cols=$(echo "$columns" | sed 's/\([A-Za-z0-9_]*\)/`\1`/g; s/ /, /g')
    echo "migrate: adding index $name on $table ($columns)"
    sql -e "CREATE INDEX \`$name\` ON \`$table\` ($cols)" || { echo "migrate: index $name failed" >&2; exit 1; }
  fi
done
echo "migrate: database $db is at version $(sql -N -e 'SELECT COALESCE(MAX(version),0) FROM cc_schema_version')"
