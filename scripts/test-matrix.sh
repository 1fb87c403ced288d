#!/usr/bin/env bash
# make test-matrix PG_CONFIGS="/a/bin/pg_config /b/bin/pg_config ...": the
# whole suite (make test) against each installation in turn, from a clean
# build, then one line per version: its exact version, the compiler warnings
# of the build, and the suite's totals.  Logs: test-matrix/<version>.log
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: make test-matrix PG_CONFIGS=\"/path/to/pg_config ...\"" >&2; exit 2; }
mkdir -p test-matrix
summary=()
total_p=0; total_f=0
for pc in "$@"; do
    v=$("$pc" --version 2>/dev/null || echo "unknown ($pc)")
    log="test-matrix/$(echo "$v" | tr ' /()' '____').log"
    echo "== $v ($pc)"
    env -u MAKEFLAGS -u MAKELEVEL make -s clean PG_CONFIG="$pc" >/dev/null 2>&1
    env -u MAKEFLAGS -u MAKELEVEL make test PG_CONFIG="$pc" >"$log" 2>&1
    rc=$?
    warnings=$(grep -c 'warning:' "$log")
    line=$(grep -E '^credit: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    p=$(echo "$line" | sed -n 's/^credit: \([0-9]*\) passed.*/\1/p'); p=${p:-0}
    f=$(echo "$line" | sed -n 's/.*passed, \([0-9]*\) failed.*/\1/p'); f=${f:-1}
    [ $rc -eq 0 ] || [ "$f" -gt 0 ] || f=1
    total_p=$((total_p + p)); total_f=$((total_f + f))
    summary+=("$(printf '%-40s %3d warnings  %4d passed, %d failed' "$v" "$warnings" "$p" "$f")")
done
env -u MAKEFLAGS -u MAKELEVEL make -s clean >/dev/null 2>&1
echo
printf '%s\n' "${summary[@]}"
echo "test-matrix: $total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
