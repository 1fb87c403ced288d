#!/usr/bin/env bash
# test/bench/sanctions.sh -- part of `make bench`: the credit check at scale.
#
#   CHK_SUBJECTS subjects (80 % organisations, 20 % persons), CHK_RECORDS
#   records (lists among them), CHK_RELATIONS relations of persons to
#   organisations, honours and open objections.  Single checks under pgbench
#   with CHK_CLIENTS clients for CHK_SECONDS seconds each:
#
#   check(uscc)   credit.check of a random organisation by its code vs the
#                 same answer written by hand as one SQL statement over the
#                 same tables and indexes (target <= 1.0), median and 99th
#                 percentile latency (target median <= 1 ms)
#   check(rid)    the same for persons (through their roles), reported
#
# Environment: CHK_SUBJECTS (default 2000000), CHK_RECORDS (10000000),
# CHK_RELATIONS (500000), CHK_CLIENTS (4), CHK_SECONDS (20).  The data is
# loaded with triggers off (session_replication_role = replica) and the
# trigger-maintained publicity columns computed by credit.publicity_window(),
# so loading 10^7 records takes minutes, not hours; nothing is audited.
# Appends its table to BENCH_RESULTS (default test/bench/results.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
subjects=${CHK_SUBJECTS:-2000000}
records=${CHK_RECORDS:-10000000}
relations=${CHK_RELATIONS:-500000}
clients=${CHK_CLIENTS:-4}
seconds=${CHK_SECONDS:-20}
results=${BENCH_RESULTS:-$here/results.md}
db=bench_check
log() { echo "bench: $*" >&2; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "PASS" : "MISS" }'; }
bindir=$(pg_config --bindir)
[ -n "${PG_CONFIG:-}" ] && bindir=$("$PG_CONFIG" --bindir)
pgbench=$bindir/pgbench
[ -x "$pgbench" ] || { echo "sanctions.sh: no pgbench in $bindir" >&2; exit 2; }

work=$(mktemp -d /tmp/credit-bench-check.XXXXXX)
chmod 777 "$work"
trap 'rm -rf "$work"' EXIT

orgs=$(( subjects * 4 / 5 ))
psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
log "check: loading $subjects subjects, $records records, $relations relations"
t0=$SECONDS
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v subjects="$subjects" -v orgs="$orgs" -v records="$records" \
     -v relations="$relations" <<'SQL'
CREATE EXTENSION credit;
\o /dev/null
SET session_replication_role = replica;   -- no triggers while loading (no audit either)
SET maintenance_work_mem = '1GB';
SELECT setseed(0.13);
CREATE SCHEMA bench;
-- the codes the clients ask for: organisations by uscc, persons by rid
CREATE TABLE bench.org (i int PRIMARY KEY, code credit.uscc NOT NULL);
CREATE TABLE bench.person (i int PRIMARY KEY, id credit.rid NOT NULL);
INSERT INTO bench.org
SELECT g, ('91350100' || lpad(g::text, 9, '0') || credit.uscc_check_char('91350100' || lpad(g::text, 9, '0')))::credit.uscc
FROM generate_series(1, :orgs) g;
INSERT INTO bench.person
SELECT g, (b || credit.rid_check_char(b))::credit.rid
FROM (SELECT g, '350102' || to_char(DATE '1950-01-01' + g / 1000, 'YYYYMMDD') || lpad((g % 1000)::text, 3, '0') AS b
      FROM generate_series(1, :subjects - :orgs) g) s;
INSERT INTO credit.subject (subject_id, uscc, name, region, registered_by)
SELECT i, code, '企业' || i, '350100', '福州市市场监督管理局' FROM bench.org;
INSERT INTO credit.subject (subject_id, rid, name, region, registered_by)
SELECT :orgs + i, id, '自然人' || i, '350102', '福州市市场监督管理局' FROM bench.person;
-- records: 90 % penalties, the rest on lists; decisions over four years, some repaired or expired
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, ruleset, state,
                           publicity_starts, publicity_min_end, publicity_max_end, repair_decided_on)
SELECT g, s, c, sev, '福州市市场监督管理局', d, rs, st, (w).starts, (w).min_end, (w).max_end,
       CASE WHEN st = 'repaired' THEN d + 200 END
FROM (SELECT g, s, c, sev, d, rs, st, credit.publicity_window(c, sev, d, NULL, rs) AS w
      FROM (SELECT g, s, c, d,
                   CASE c WHEN 'administrative_penalty' THEN CASE WHEN x < 0.3 THEN 'serious' ELSE 'general' END
                          WHEN 'abnormal_operations' THEN 'general' WHEN 'key_attention_list' THEN 'general'
                          ELSE 'serious' END AS sev,
                   CASE WHEN d >= DATE '2026-04-01' THEN 'national' ELSE 'national-2019' END AS rs,
                   CASE WHEN y < 0.05 AND d < DATE '2026-01-01' THEN 'repaired' ELSE 'published' END AS st
            FROM (SELECT g, 1 + floor(random() * :subjects)::bigint AS s, random() AS x, random() AS y,
                         DATE '2022-12-01' + floor(random() * 1430)::int AS d,
                         (ARRAY['administrative_penalty', 'serious_dishonesty_list', 'abnormal_operations',
                                'judgment_defaulter', 'key_attention_list'])[
                             CASE WHEN z < 0.90 THEN 1 WHEN z < 0.94 THEN 2 WHEN z < 0.97 THEN 3
                                  WHEN z < 0.99 THEN 4 ELSE 5 END] AS c
                  FROM (SELECT g, random() AS z FROM generate_series(1, :records) g) r0) r1) r2) r3;
-- relations: persons in roles of organisations since some day
INSERT INTO credit.subject_relation (subject_id, person_subject_id, role, valid_from, valid_to, authority)
SELECT DISTINCT ON (o, p, role) o, p, role, DATE '2015-01-01' + floor(random() * 2500)::int, NULL, '福州市市场监督管理局'
FROM (SELECT 1 + floor(random() * :orgs)::bigint AS o, :orgs + 1 + floor(random() * (:subjects - :orgs))::bigint AS p,
             (ARRAY['legal_representative', 'principal', 'actual_controller', 'responsible_person'])[1 + floor(random() * 4)::int] AS role
      FROM generate_series(1, :relations)) r;
INSERT INTO credit.honour (subject_id, kind, authority, granted_on, valid_until)
SELECT 1 + floor(random() * :orgs)::bigint, 'red_list', '福州市发展和改革委员会', d, d + 1095
FROM (SELECT DATE '2024-01-01' + floor(random() * 1000)::int AS d FROM generate_series(1, :orgs / 10)) h;
INSERT INTO credit.objection (subject_id, record_id, raised_on, raised_by, reason)   -- (no trigger fills subject_id here)
SELECT r.subject_id, r.record_id, DATE '2026-10-01', '申请人', '异议'
FROM (SELECT 1 + floor(random() * :records)::bigint AS id FROM generate_series(1, :records / 1000)) g
JOIN credit.record r ON r.record_id = g.id;
RESET session_replication_role;
SELECT setval('credit.record_record_id_seq', :records);
VACUUM ANALYZE;
SQL
log "check: data ready ($((SECONDS - t0)) s)"

# the hand-written baseline: the same answer as credit.check for a caller who
# sees every record, as one statement over the same tables and indexes
# (@CODE@: the organisation's code)
plain_sql=$(cat <<'SQL'
    WITH s AS (SELECT subject_id, CASE WHEN uscc IS NULL THEN 'person' ELSE 'organisation' END AS kind
               FROM credit.subject WHERE uscc OPERATOR(credit.=) @CODE@),
    src AS (SELECT r.*, NULL::bigint AS via, NULL::text AS via_role FROM s JOIN credit.record r ON r.subject_id = s.subject_id
            UNION ALL
            SELECT r.*, rel.subject_id, rel.role FROM s JOIN credit.subject_relation rel ON rel.person_subject_id = s.subject_id
            JOIN credit.record r ON r.subject_id = rel.subject_id AND rel.valid_from <= r.decided_on
                                AND (rel.valid_to IS NULL OR r.decided_on < rel.valid_to)),
    live AS (SELECT * FROM src WHERE decided_on <= current_date AND (publicity_max_end IS NULL OR current_date < publicity_max_end)
                AND (state IN ('published', 'under_repair') OR state = 'repaired' AND current_date < repair_decided_on
                     OR state = 'revoked' AND current_date < revoked_on))
    SELECT m.measure, l.record_id, NULL::bigint, l.via, l.via_role,
           EXISTS (SELECT 1 FROM credit.objection o WHERE o.record_id = l.record_id AND o.application_id IS NULL
                   AND o.raised_on <= current_date AND (o.resolved_on IS NULL OR current_date < o.resolved_on)),
           l.decided_on, least(l.publicity_max_end, (l.decided_on + t.duration)::date)
    FROM live l JOIN credit.measure_trigger t ON t.category = l.category
         AND (t.min_severity IS NULL OR array_position('{minor,general,serious}'::text[], l.severity)
                                        >= array_position('{minor,general,serious}'::text[], t.min_severity))
    JOIN credit.measure m ON m.measure = t.measure, s
    WHERE CASE WHEN l.via_role IS NULL THEN s.kind = ANY (m.subject_kinds) ELSE l.via_role = ANY (m.extends_to) END
    UNION ALL
    SELECT m.measure, NULL, h.honour_id, NULL, NULL, false, h.granted_on, least(h.valid_until, h.revoked_on)
    FROM s JOIN credit.honour h ON h.subject_id = s.subject_id
    JOIN credit.measure_trigger t ON t.honour_kind = h.kind JOIN credit.measure m ON m.measure = t.measure
    WHERE h.granted_on <= current_date AND (h.valid_until IS NULL OR current_date < h.valid_until)
      AND (h.revoked_on IS NULL OR current_date < h.revoked_on) AND s.kind = ANY (m.subject_kinds)
      AND NOT EXISTS (SELECT 1 FROM live l JOIN credit.record_category c ON c.category = l.category
                      WHERE c.list_kind = 'black' AND l.via_role IS NULL)
SQL
)
q "CREATE FUNCTION bench.plain_check(code credit.uscc)
   RETURNS TABLE (measure text, because_record_id bigint, because_honour_id bigint, via_subject_id bigint,
                  via_role text, suspended boolean, in_effect_from date, in_effect_until date)
   LANGUAGE sql STABLE AS \$\$ ${plain_sql//@CODE@/code} \$\$"

# the two answers agree on a sample (the baseline is the same job)
diff=$(q "SELECT count(*) FROM (SELECT code FROM bench.org WHERE i % 997 = 1 LIMIT 300) o,
          LATERAL (SELECT count(*) AS n, string_agg(measure || coalesce(because_record_id, because_honour_id)::text, ',' ORDER BY measure, coalesce(because_record_id, because_honour_id)) AS a
                   FROM credit.check(o.code)) c,
          LATERAL (SELECT count(*) AS n, string_agg(measure || coalesce(because_record_id, because_honour_id)::text, ',' ORDER BY measure, coalesce(because_record_id, because_honour_id)) AS a
                   FROM bench.plain_check(o.code)) p
          WHERE c.a IS DISTINCT FROM p.a")
[ "$diff" = 0 ] || { [ -n "${CHK_KEEP:-}" ] || psql -X -q -c "DROP DATABASE $db" >/dev/null; echo "sanctions.sh: credit.check and the baseline disagree on $diff of 300 subjects" >&2; exit 1; }
hits=$(q "SELECT round(avg(n), 2) FROM (SELECT (SELECT count(*) FROM credit.check(o.code)) AS n FROM bench.org o WHERE i % 997 = 1 LIMIT 300) z")

cat >"$work/check_uscc.sql" <<EOF
\\set i random(1, $orgs)
SELECT count(*) FROM credit.check((SELECT code FROM bench.org WHERE i = :i));
EOF
{ echo "\\set i random(1, $orgs)"
  echo "SELECT count(*) FROM (${plain_sql//@CODE@/(SELECT code FROM bench.org WHERE i = :i)}) z;"
} >"$work/plain_uscc.sql"
cat >"$work/check_rid.sql" <<EOF
\\set i random(1, $((subjects - orgs)))
SELECT count(*) FROM credit.check((SELECT id FROM bench.person WHERE i = :i));
EOF
# median and 99th percentile (ms) of the per-transaction latencies of a run
latency() {	# script
    local prefix=$work/log_$1
    rm -f "$prefix".*
    (cd "$work" && "$pgbench" -n -M prepared -c "$clients" -j "$clients" -T "$seconds" -f "$work/$1.sql" \
        -l --log-prefix="$prefix" "$db" >/dev/null)
    cat "$prefix".* | awk '{print $3 / 1000}' | sort -g |
        awk '{a[NR] = $1} END {printf "%.3f %.3f %d\n", a[int((NR + 1) / 2)], a[int(NR * 0.99 + 0.5)], NR}'
}
declare -A med p99 n
for s in plain_uscc check_uscc check_rid plain_uscc check_uscc; do   # warm, then measured
    read -r med[$s] p99[$s] n[$s] < <(latency "$s")
    log "check: $s median ${med[$s]} ms, p99 ${p99[$s]} ms (${n[$s]} checks)"
done
# credit_report of one organisation with 50 records (through the triggers), median of 31 runs
report_ms=$(q "INSERT INTO credit.record (subject_id, category, severity, authority, decided_on, corrected_on)
               SELECT 1, CASE WHEN g % 10 = 0 THEN 'serious_dishonesty_list' ELSE 'administrative_penalty' END,
                      'serious', '福州市市场监督管理局', current_date - 30 * g, current_date - 30 * g + 10
               FROM generate_series(1, 50) g;
               CREATE FUNCTION pg_temp.report_ms() RETURNS SETOF float8 LANGUAGE plpgsql AS \$\$
               DECLARE t0 timestamptz;
               BEGIN
                   FOR i IN 1..31 LOOP
                       t0 := clock_timestamp();
                       PERFORM credit.credit_report(1);
                       RETURN NEXT extract(epoch FROM clock_timestamp() - t0) * 1000;
                   END LOOP;
               END \$\$;
               SELECT round(percentile_disc(0.5) WITHIN GROUP (ORDER BY x)::numeric, 3) FROM pg_temp.report_ms() x")
report_n=$(q "SELECT count(*) FROM credit.record WHERE subject_id = 1")
log "check: credit_report of a subject with $report_n records: median $report_ms ms"
# the per-subject lookups use indexes at this size: the plans (auto_explain
# prints the statements the functions run; a server built from source needs
# contrib/auto_explain installed)
plans=$work/plans.txt
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >"$plans" 2>&1 <<'SQL'
\echo '-- public_record for one subject'
EXPLAIN (COSTS OFF) SELECT * FROM credit.public_record WHERE subject_id = 12345;
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_level = notice;
SET client_min_messages = notice;
\echo '-- credit.check(uscc): the statements inside'
SELECT count(*) FROM credit.check((SELECT code FROM bench.org WHERE i = 12345));
\echo '-- public_record_at(as_of, subject_id): the statement inside'
SELECT count(*) FROM credit.public_record_at(current_date, 12345);
\echo '-- credit_report(subject_id): the statements inside'
SELECT length(credit.credit_report(12345)::text);
SQL
scans=$(grep -o 'Index [A-Za-z ]*Scan using [a-z_]*\|Bitmap Index Scan on [a-z_]*\|Seq Scan on [a-z_]*' "$plans" | sed 's/ using / on /' | sort | uniq -c | sort -rn | awk '{c=$1; $1=""; printf "%s%s x%s", sep, substr($0, 2), c; sep=", "}')
log "check: plans of the per-subject lookups at $records records:"
grep -v '^NOTICE:  duration' "$plans" | sed 's/^/    /' >&2
log "check: scans in them: $scans"
# (on small test data a scan of a few hundred objections is the cheaper plan)
if [ "$records" -ge 1000000 ] && grep -q 'Seq Scan on \(record\|subject\|subject_relation\|honour\|objection\) ' "$plans"; then
    echo "sanctions.sh: a per-subject lookup scans a whole data table:" >&2; cat "$plans" >&2; exit 1
fi
r=$(ratio "${med[check_uscc]}" "${med[plain_uscc]}")
rows="credit.check(uscc) vs hand-written SQL, median latency, $clients clients	${med[check_uscc]} ms	${med[plain_uscc]} ms	$r	<= 1.00	$(verdict "$r" 1.0)
credit.check(uscc) median latency	${med[check_uscc]} ms	-	-	<= 1 ms	$(verdict "${med[check_uscc]}" 1.0)
credit.check(uscc) 99th percentile	${p99[check_uscc]} ms	${p99[plain_uscc]} ms	$(ratio "${p99[check_uscc]}" "${p99[plain_uscc]}")	(reported)	-
credit.check(rid) (persons, through roles) median / p99	${med[check_rid]} ms / ${p99[check_rid]} ms	-	-	(reported)	-
credit_report, one organisation with $report_n records, median of 31	$report_ms ms	-	-	(reported)	-"
echo
echo "credit bench, credit check: $subjects subjects, $records records, $relations relations; $clients pgbench clients x ${seconds} s; $hits measures per organisation on average"
echo
{ printf 'benchmark\tcredit\tbaseline\tratio\ttarget\tresult\n'; printf '%s\n' "$rows"; } | column -t -s $'\t' -o ' | '
{
    echo
    echo "Credit check at scale: $subjects subjects, $records records, $relations relations, $hits measures per organisation on average; single checks under pgbench ($clients clients, ${seconds} s each, prepared), latency per check in ms."
    echo
    echo "| benchmark | credit | baseline | ratio | target | result |"
    echo "| --- | ---: | ---: | ---: | --- | --- |"
    printf '%s\n' "$rows" | awk -F '\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
    echo
    echo "Scans in the plans of public_record for one subject and of the statements credit.check, public_record_at(as_of, subject_id) and credit_report run (auto_explain): $scans."
} >>"$results"
[ -n "${CHK_KEEP:-}" ] || psql -X -q -c "DROP DATABASE $db" >/dev/null
