#!/usr/bin/env bash
# test/bench/citus.sh -- `make bench-citus`: the extension's jobs on a Citus
# cluster (a coordinator and two workers on this machine, 127.0.0.1) against
# one node, on the same data: CITUS_BENCH_SUBJECTS organisations (default
# 10^6), five indicator scores each for a month, and one record for every
# fifth subject (the caps), in a database of the coordinator's instance
# without Citus ("one node") and in the cluster's database, distributed by
# credit.distribute().
#
#   classify_period   the month's first run: every subject classified
#   class_counts      SELECT credit.class_counts(class) of the month
#   check             one credit.check(subject_id) (pgbench, random
#                     subjects, CITUS_BENCH_SECONDS each, one client):
#                     mean latency; beside it the floor, one subject's
#                     records by its key (a query Citus routes to one shard)
#
# Prints each time on one node and on the cluster and their ratio, and the
# plans that show where the work runs (Citus's Task Count and the workers).
# On a 2-core machine three nodes share the cores that one node has to
# itself: the point is that nothing falls back to pulling every row to the
# coordinator, not a speed-up.  Needs Citus in the PostgreSQL of PG_CONFIG
# (prints a SKIP line otherwise).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export PG_CONFIG
if [ ! -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ]; then
    echo "SKIP citus is not installed: no $("$PG_CONFIG" --pkglibdir)/citus.so"; exit 0
fi
N=${CITUS_BENCH_SUBJECTS:-1000000}
SECS=${CITUS_BENCH_SECONDS:-15}
SHARDS=${CITUS_BENCH_SHARDS:-8}
. scripts/cluster-lib.sh
unset PGHOST PGPORT PGDATABASE PGUSER PGSERVICE PGOPTIONS
db=credit_bench
nodes=(coordinator worker1 worker2)
fails=0
CITUS_NODE_CONF="shared_buffers = ${CITUS_BENCH_SHARED_BUFFERS:-2GB}
work_mem = 256MB
max_connections = 100"
. scripts/citus-lib.sh
for i in 0 1 2; do start_node $i; done
for i in 0 1 2; do
    q $i "CREATE DATABASE $db" postgres >/dev/null && q $i "CREATE EXTENSION citus; CREATE EXTENSION credit" >/dev/null ||
        { echo "Bail out! no extensions on the ${nodes[$i]}"; exit 1; }
done
q 0 "SELECT citus_set_coordinator_host('127.0.0.1', ${ports[0]});
     SELECT citus_add_node('127.0.0.1', ${ports[1]}); SELECT citus_add_node('127.0.0.1', ${ports[2]})" >/dev/null
q 0 "CREATE DATABASE credit_single" postgres >/dev/null && q 0 "CREATE EXTENSION credit" credit_single >/dev/null

# the data, the same in both databases (the audit of the load is paused: it
# is not what is measured)
gen="
SET credit.audit_pause = on;
INSERT INTO credit.subject (subject_id, uscc, name, registered_by)
SELECT g, (b || credit.uscc_check_char(b))::credit.uscc, 'org ' || g, 'SAMR'
FROM generate_series(1, $N) g,
     LATERAL (SELECT '91' || (ARRAY['1101', '3501', '2106', '5101', '4403'])[1 + g % 5] || '00' || lpad(g::text, 9, '0') AS b) s;
INSERT INTO credit.indicator_value (period, subject_id, indicator, score)
SELECT DATE '2026-10-01', g, i.indicator, ((g * 37 + length(i.indicator) * 11) % 100)::float8
FROM generate_series(1, $N) g, credit.risk_indicator i
WHERE i.model = (SELECT m.model FROM credit.risk_model m WHERE m.is_default);
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
SELECT g * 5, (ARRAY['administrative_penalty', 'serious_dishonesty_list', 'abnormal_operations'])[1 + g % 3],
       CASE g % 3 WHEN 0 THEN 'general' WHEN 1 THEN 'serious' ELSE 'general' END, 'SAMR',
       DATE '2025-06-01' + g % 400
FROM generate_series(1, $N / 5) g;
SELECT setval('credit.subject_subject_id_seq', $N + 1);
ANALYZE;"
t0=$(date +%s)
q 0 "$gen" credit_single >/dev/null && q 0 "$gen" >/dev/null || { echo "Bail out! loading failed"; exit 1; }
q 0 "SET client_min_messages = warning; SELECT count(*) FROM credit.distribute($SHARDS)" >/dev/null ||
    { echo "Bail out! credit.distribute failed"; exit 1; }
q 0 "ANALYZE" >/dev/null
echo "# $N subjects, $(q 0 "SELECT count(*) FROM credit.indicator_value") scores, $(q 0 "SELECT count(*) FROM credit.record") records;" \
     "loaded twice and distributed ($SHARDS shards) in $(( $(date +%s) - t0 )) s"

# time of one statement in the server, ms
timed() {   # timed DB SQL
    q 0 "DO \$\$ DECLARE t timestamptz := clock_timestamp(); BEGIN PERFORM ($2); RAISE NOTICE 'ms=%',
         round(extract(epoch FROM clock_timestamp() - t)::numeric * 1000, 1); END \$\$" "$1" 2>&1 |
        sed -n 's/.*ms=//p'
}
row() { printf '| %-28s | %10s | %10s | %5s |\n' "$1" "$2" "$3" "$(awk -v a="$2" -v b="$3" 'BEGIN { if (a > 0) printf "%.2f", b / a }')"; }

echo
echo "| job                          | one node   | cluster    | ratio |"
echo "| ---------------------------- | ---------- | ---------- | ----- |"
s1=$(timed credit_single "SELECT credit.classify_period(DATE '2026-10-15')")
c1=$(timed $db "SELECT credit.classify_period(DATE '2026-10-15')")
row "classify_period" "$s1 ms" "$c1 ms"
[ "$(q 0 "SELECT credit.class_counts(class)::text FROM credit.classification WHERE period = '2026-10-01'" credit_single)" = \
  "$(q 0 "SELECT credit.class_counts(class)::text FROM credit.classification WHERE period = '2026-10-01'")" ] ||
    { echo "# the classes differ between one node and the cluster"; fails=1; }
best() {    # the best of three runs
    local a b c; a=$(timed "$1" "$2"); b=$(timed "$1" "$2"); c=$(timed "$1" "$2")
    printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -n | head -1
}
s2=$(best credit_single "SELECT credit.class_counts(class) FROM credit.classification WHERE period = '2026-10-01'")
c2=$(best $db "SELECT credit.class_counts(class) FROM credit.classification WHERE period = '2026-10-01'")
row "class_counts" "$s2 ms" "$c2 ms"

# the check, one subject at a time, random subjects
echo "\\set s random(1, $N)
SELECT count(*) FROM credit.check(:s::bigint, NULL, DATE '2026-11-30');" > "${dirs[0]}/check.sql"
# the floor: one subject's records by its key, a plain query Citus routes to one shard
echo "\\set s random(1, $N)
SELECT count(*) FROM credit.record WHERE subject_id = :s::bigint;" > "${dirs[0]}/lookup.sql"
lat() {     # lat DB FILE: mean latency, ms
    "$BINDIR/pgbench" -n -h 127.0.0.1 -p "${ports[0]}" -U postgres -T "$SECS" -M prepared -f "${dirs[0]}/$2" "$1" 2>&1 |
        sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p'
}
s3=$(lat credit_single check.sql); c3=$(lat $db check.sql)
row "check (mean)" "$s3 ms" "$c3 ms"
s4=$(lat credit_single lookup.sql); c4=$(lat $db lookup.sql)
row "records of a subject (floor)" "$s4 ms" "$c4 ms"

echo
echo "# where the work runs on the cluster:"
q 0 "EXPLAIN (COSTS OFF) SELECT credit.class_counts(class) FROM credit.classification WHERE period = '2026-10-01'" |
    grep -E "Custom Scan|Task Count|Node: host|Aggregate" | head -6 | sed 's/^/#   /'
q 0 "EXPLAIN (COSTS OFF) SELECT v.subject_id, credit.risk_class(v.score, i.weight, NULL::credit.credit_class)
     FROM credit.indicator_value v JOIN credit.risk_indicator i ON i.indicator = v.indicator
     WHERE v.period = '2026-10-01' GROUP BY v.subject_id" | grep -E "Custom Scan|Task Count|Node: host|HashAggregate|GroupAggregate" | head -6 | sed 's/^/#   /'
q 0 "EXPLAIN (COSTS OFF) SELECT * FROM credit.record WHERE subject_id = 5" | grep -E "Custom Scan|Task Count" | sed 's/^/#   /'
[ $fails = 0 ]
