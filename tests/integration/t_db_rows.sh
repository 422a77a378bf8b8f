#!/usr/bin/env bash
# Row sets (common/db.h: the rows of many writes in one multi-row
# statement, written at the commit) against the stack's MariaDB:
# build/tests/db-rows-check works in a scratch table and prints TAP. The
# B2BUA's use of them (call records, agents' rows and logs) is checked by
# every test that reads those tables (t_call, t_db_outage, t_crash_b2bua).
. "$(dirname "$0")/lib.sh"

stack_start
while IFS= read -r line; do
  case $line in
    "ok - "*) ok "${line#ok - }" ;;
    "not ok - "*) not_ok "${line#not ok - }" ;;
    *) echo "$line" ;;
  esac
done < <("$top/build/tests/db-rows-check" "$DB_SOCKET" cc 2>&1)

finish
