#!/usr/bin/env bash
# test/bench/audit.sh -- part of `make bench`: single-row INSERT and UPDATE
# throughput (pgbench) on a table with the audit trigger vs the same table
# without it, measured side by side with alternating order; the median of
# AUDIT_BENCH_REPS runs of AUDIT_BENCH_SECONDS each.  Target: audited / plain
# >= 0.6.  When the server preloads credit (make bench starts it so), the
# background sealer seals every 10 s during the runs.  Appends its table to
# BENCH_RESULTS (default test/bench/results.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BIN=${CREDIT_PGBIN:-/usr/lib/postgresql/15/bin}
secs=${AUDIT_BENCH_SECONDS:-10}
reps=${AUDIT_BENCH_REPS:-3}
clients=${AUDIT_BENCH_CLIENTS:-4}
results=${BENCH_RESULTS:-$here/results.md}
db=credit_bench_audit
work=$(mktemp -d /tmp/credit-bench-audit.XXXXXX)
trap 'rm -rf "$work"' EXIT
log() { echo "bench: $*" >&2; }

psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
CREATE EXTENSION credit;
CREATE TABLE t_plain (id serial PRIMARY KEY, amount int NOT NULL, note text, at timestamptz NOT NULL);
CREATE TABLE t_audit (LIKE t_plain INCLUDING ALL);
SELECT credit.audit_enable('t_audit');
INSERT INTO t_plain (amount, note, at) SELECT g, 'row ' || g, now() FROM generate_series(1, 100000) g;
SET credit.audit_pause = on;   -- the initial load is not what is measured
INSERT INTO t_audit (amount, note, at) SELECT g, 'row ' || g, now() FROM generate_series(1, 100000) g;
VACUUM ANALYZE t_plain, t_audit;
SQL

for t in plain audit; do
    cat >"$work/insert_$t.sql" <<SQL
\\set amount random(1, 1000000)
INSERT INTO t_$t (amount, note, at) VALUES (:amount, 'note ' || :amount, now());
SQL
    cat >"$work/update_$t.sql" <<SQL
\\set id random(1, 100000)
UPDATE t_$t SET amount = amount + 1 WHERE id = :id;
SQL
done

# the background sealer, every 10 s, while the load runs (when preloaded)
sealer=$(psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'credit audit sealer'")
if [ "$sealer" -gt 0 ]; then
    "$here/sealer.sh" 10s
    trap '"$here/sealer.sh" off; rm -rf "$work"' EXIT
    log "audit: the background sealer seals every 10 s during the runs"
fi
declare -A tps
run() {		# kind side rep
    local out
    out=$("$BIN/pgbench" -n -c "$clients" -j 2 -T "$secs" -d $db -f "$work/$1_$2.sql" 2>&1) || { echo "$out" >&2; exit 1; }
    local v
    v=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) .*/\1/p')
    log "$1 $2 run $3: $v tps"
    tps[$1_$2]="${tps[$1_$2]:-} $v"
}
log "audit: $reps runs of ${secs}s, $clients clients, each side alternately"
for rep in $(seq 1 "$reps"); do
    for kind in insert update; do
        if [ $((rep % 2)) -eq 1 ]; then run $kind plain $rep; run $kind audit $rep
        else run $kind audit $rep; run $kind plain $rep; fi
    done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

rows=""
for kind in insert update; do
    p=$(echo "${tps[${kind}_plain]}" | median)
    a=$(echo "${tps[${kind}_audit]}" | median)
    r=$(awk -v a="$a" -v p="$p" 'BEGIN { printf "%.3f", a / p }')
    res=$(awk -v r="$r" 'BEGIN { print (r >= 0.6) ? "PASS" : "MISS" }')
    rows="$rows$(printf '%s\t%s tps\t%s tps\t%s\t>= 0.60\t%s' "single-row $(echo $kind | tr a-z A-Z): audited vs no trigger (pgbench, $clients clients)" "$a" "$p" "$r" "$res")"$'\n'
done
log_rows=$(psql -X -At -d $db -c "SELECT count(*) FROM credit.audit_log")
verify=$(psql -X -At -d $db -c "SELECT count(*) FROM credit.audit_seal()" -c "SELECT ok FROM credit.audit_verify()" | tail -1)

echo
blocks=$(psql -X -At -d $db -c "SELECT count(*) FROM credit.audit_block")
echo "credit bench, audit: median of $reps pgbench runs of ${secs}s per side ($log_rows log rows written, $blocks blocks sealed$( [ "$sealer" -gt 0 ] && echo " by the background sealer every 10 s"), verified: $verify)"
echo
{ printf 'benchmark\taudited\tno trigger\tratio\ttarget\tresult\n'; printf '%s' "$rows"; } | column -t -s $'\t' -o ' | '
{
    echo
    echo "Audit trigger overhead: median of $reps pgbench runs of ${secs}s per side, $clients clients, alternating ($log_rows log rows written, $blocks blocks$( [ "$sealer" -gt 0 ] && echo ", the background sealer sealing every 10 s"); verified: $verify)."
    echo
    echo "| benchmark | audited | no trigger | ratio | target | result |"
    echo "| --- | ---: | ---: | ---: | --- | --- |"
    printf '%s' "$rows" | awk -F '\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
} >>"$results"
psql -X -q -c "DROP DATABASE $db" >/dev/null
[ "$verify" = t ]
