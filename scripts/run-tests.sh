#!/usr/bin/env bash
# Run every suite against the cluster given by PGHOST/PGPORT (see
# scripts/pgtmp.sh): C unit tests, pg_regress (sql/ + expected/), then pgTAP
# (test/pgtap/ via pg_prove) last, so the run ends with pg_prove's summary,
# followed by one plain total line "credit: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
broken=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# run a TAP producer, show failures, add its counts to the totals
run_tap() {
    local name=$1; shift
    "$@" >"$out" 2>&1; local rc=$?
    grep -E '^not ok|^# ' "$out" | head -n 40
    local p f
    p=$(grep -c '^ok' "$out"); f=$(grep -c '^not ok' "$out")
    # a whole-file skip ("1..0 # SKIP reason") is said as such, with its reason
    local skip; skip=$(sed -n 's/^1\.\.0 *# *[Ss][Kk][Ii][Pp] *//p' "$out" | head -n 1)
    if [ -n "$skip" ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then echo "$name: skipped ($skip)"
    else echo "$name: $p passed, $f failed"; fi
    passed=$((passed + p)); failed=$((failed + f))
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then broken=1; echo "$name exited $rc"; tail -n 20 "$out"; fi
}

echo "== C unit tests (test/unit)"
for t in test/unit/test_*; do
    [ -x "$t" ] && [ "${t%.c}" = "$t" ] && [ "${t%.h}" = "$t" ] && run_tap "$t" "$t"
done

echo "== integration (test/*.sh)"
for t in test/*.sh; do
    run_tap "$t" "$t"
done

echo "== pg_regress (sql/, expected/)"
make --no-print-directory -s installcheck >"$out" 2>&1; rc=$?
grep -E '^(test| *[a-z_]+ +\.\.\.|ok|not ok|#)' "$out" || cat "$out"
p=$(grep -cE '\.\.\. ok' "$out"); f=$(grep -cE '\.\.\. FAILED|\.\.\. failed' "$out")
passed=$((passed + p)); failed=$((failed + f))
if [ $rc -ne 0 ]; then
    [ -f regression.diffs ] && head -n 200 regression.diffs
    [ "$f" -gt 0 ] || { broken=1; echo "pg_regress exited $rc"; }
fi

echo "== pgTAP (test/pgtap) via pg_prove"
psql -X -q -c 'DROP DATABASE IF EXISTS credit_tap' -c 'CREATE DATABASE credit_tap' >/dev/null
psql -X -q -d credit_tap -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION credit' >/dev/null || broken=1
pg_prove -d credit_tap --failures test/pgtap/*.sql 2>&1 | tee "$out"; rc=${PIPESTATUS[0]}
t=$(sed -n 's/.*Tests=\([0-9]*\),.*/\1/p' "$out" | tail -n 1)
f=$(sed -n 's/.*Failed \([0-9]*\)\/[0-9]* subtests.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
t=${t:-0}
passed=$((passed + t - f)); failed=$((failed + f))
if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then broken=1; fi

[ $broken -eq 0 ] || failed=$((failed + 1))
echo "credit: $passed passed, $failed failed"
[ $failed -eq 0 ]
