#!/usr/bin/env bash
# test/bench/audit_v2.sh -- part of `make bench`: the audit log at scale.
#
#   seal      sealing 1 000 new rows on a BIG-row log vs on a SMALL-row log
#             (target <= 2.0: the cost grows with the rows sealed, not the log)
#   storage   block membership bytes per million sealed rows (target <= 1 MB)
#   verify    audit_verify(since_digest) after 10 000 new rows on the BIG log
#             vs a full verify of the SMALL log (target <= 2.0); full verify
#             rows/s
#   classify  classify_period for CLS_SUBJECTS subjects (5 indicator scores
#             each, records with caps for one in twenty), audited (one RUN
#             row with the digest of the result): the first run of a month
#             vs its own aggregation, the SELECT ... GROUP BY it writes from
#             (target <= 2.0); a re-run with unchanged inputs vs the first
#             run (target <= 1.1); a re-run vs the same with auditing paused
#             (target <= 1.2)
#
# Environment: AUDIT_BIG_ROWS (default 10000000), AUDIT_SMALL_ROWS (10000),
# AUDIT_REPS (5), CLS_SUBJECTS (500000), AUDIT_V2_ONLY (sections to run:
# default "log,classify"; "log" is seal, storage and verify).  Times are taken inside the server
# (clock_timestamp() around the statement), medians of the runs; the two sides
# alternate.  Appends its table to BENCH_RESULTS (default test/bench/results.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
big=${AUDIT_BIG_ROWS:-10000000}
small=${AUDIT_SMALL_ROWS:-10000}
reps=${AUDIT_REPS:-5}
cls_subjects=${CLS_SUBJECTS:-500000}
results=${BENCH_RESULTS:-$here/results.md}
work=$(mktemp -d /tmp/credit-bench-v2.XXXXXX)
trap 'rm -rf "$work"' EXIT
log() { echo "bench: $*" >&2; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v r="$1" -v t="$2" -v d="$3" 'BEGIN { print ((d == "le" && r <= t) || (d == "ge" && r >= t)) ? "PASS" : "MISS" }'; }

# a database whose log holds N sealed rows (loaded directly, hashed like the
# trigger's rows, sealed in blocks of a million), plus an audited table
make_log() {	# db rows
    local db=$1 n=$2 done_rows=0 chunk
    psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    q "$db" "CREATE EXTENSION credit; CREATE TABLE public.t (id bigserial PRIMARY KEY, v text);
             SELECT credit.audit_enable('public.t');
             CREATE FUNCTION public.ms(sql text) RETURNS float8 LANGUAGE plpgsql AS \$\$
             DECLARE t0 timestamptz := clock_timestamp();
             BEGIN EXECUTE sql; RETURN extract(epoch FROM clock_timestamp() - t0) * 1000; END \$\$" >/dev/null
    while [ $done_rows -lt "$n" ]; do
        chunk=$(( n - done_rows < 1000000 ? n - done_rows : 1000000 ))
        q "$db" "INSERT INTO credit.audit_log (log_id, schema_name, table_name, operation, new_row, session_user_name,
                     current_user_name, txid, statement_ts, row_hash)
                 SELECT v.id, 'public', 't', 'INSERT', v.r, 'loader', 'loader', '1', v.ts,
                        credit.audit_row_hash(v.id, 'public', 't', 'INSERT', NULL, v.r, NULL, 'loader', 'loader', NULL, NULL, '1', v.ts)
                 FROM (SELECT nextval('credit.audit_log_log_id_seq') AS id, jsonb_build_object('id', -g, 'v', 'load ' || g) AS r,
                              timestamptz '2026-01-01' + g * interval '1 ms' AS ts
                       FROM generate_series($done_rows + 1, $done_rows + $chunk) g) v" >/dev/null
        q "$db" "SELECT count(*) FROM credit.audit_seal()" >/dev/null
        done_rows=$((done_rows + chunk))
    done
    q "$db" "VACUUM ANALYZE credit.audit_log, credit.audit_block" >/dev/null
}

only=${AUDIT_V2_ONLY:-log,classify}
rows=""
declare -A t
if [[ ",$only," == *,log,* ]]; then
log "audit v2: a $big-row log and a $small-row log"
make_log credit_bench_big "$big"
make_log credit_bench_small "$small"

# ---- seal 1 000 new rows
for rep in $(seq 1 "$reps"); do
    for side in big small; do
        db=credit_bench_$side
        q "$db" "INSERT INTO public.t (v) SELECT 'new ' || g FROM generate_series(1, 1000) g" >/dev/null
        v=$(q "$db" "SELECT public.ms('SELECT count(*) FROM credit.audit_seal()')")
        log "seal 1000 rows, $side log, run $rep: $v ms"
        t[seal_$side]="${t[seal_$side]:-} $v"
    done
done
seal_big=$(echo "${t[seal_big]}" | median); seal_small=$(echo "${t[seal_small]}" | median)
seal_r=$(ratio "$seal_big" "$seal_small")

# ---- storage of the membership
bytes=$(q credit_bench_big "SELECT pg_total_relation_size('credit.audit_block')")
sealed=$(q credit_bench_big "SELECT sum(row_count) FROM credit.audit_block")
mb_per_m=$(awk -v b="$bytes" -v n="$sealed" 'BEGIN { printf "%.3f", b / 1048576 / (n / 1000000) }')

# ---- verify since a digest vs a full verify
digest=$(q credit_bench_big "SELECT credit.audit_digest()")
q credit_bench_big "INSERT INTO public.t (v) SELECT 'since ' || g FROM generate_series(1, 10000) g" >/dev/null
q credit_bench_big "SELECT count(*) FROM credit.audit_seal()" >/dev/null
for rep in $(seq 1 "$reps"); do
    v=$(q credit_bench_big "SELECT public.ms('SELECT * FROM credit.audit_verify(since_digest => ''$digest'')')")
    w=$(q credit_bench_small "SELECT public.ms('SELECT * FROM credit.audit_verify()')")
    log "verify since (big) $v ms, full (small) $w ms"
    t[since]="${t[since]:-} $v"; t[full]="${t[full]:-} $w"
done
[ "$(q credit_bench_big "SELECT ok FROM credit.audit_verify(since_digest => '$digest')")" = t ]
since_ms=$(echo "${t[since]}" | median); full_ms=$(echo "${t[full]}" | median)
verify_r=$(ratio "$since_ms" "$full_ms")
small_rows=$(q credit_bench_small "SELECT count(*) FROM credit.audit_log")
full_rps=$(awk -v n="$small_rows" -v ms="$full_ms" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
# full verify of a million-row log for the rate at size
q credit_bench_small "INSERT INTO public.t (v) SELECT 'mass ' || g FROM generate_series(1, 1000000) g" >/dev/null
q credit_bench_small "SELECT count(*) FROM credit.audit_seal()" >/dev/null
m_rows=$(q credit_bench_small "SELECT count(*) FROM credit.audit_log")
m_ms=$(q credit_bench_small "SELECT public.ms('SELECT * FROM credit.audit_verify()')")
m_rps=$(awk -v n="$m_rows" -v ms="$m_ms" 'BEGIN { printf "%.0f", n / (ms / 1000) }')

rows=$(printf '%s\n' \
  "seal 1 000 new rows: $big-row log vs $small-row log	$seal_big ms	$seal_small ms	$seal_r	<= 2.00	$(verdict "$seal_r" 2 le)" \
  "block membership storage per million sealed rows	$mb_per_m MB	(0.2.0: 95 MB)	-	<= 1.00 MB	$(verdict "$mb_per_m" 1 le)" \
  "audit_verify(since_digest) after 10 000 rows on the $big-row log vs full verify of a $small_rows-row log	$since_ms ms	$full_ms ms	$verify_r	<= 2.00	$(verdict "$verify_r" 2 le)" \
  "full verify rate ($small_rows rows / $m_rows rows)	$full_rps rows/s	$m_rps rows/s	-	report	-")
fi

# ---- classify_period: against its own aggregation, re-run against first
# run, audited per run against auditing paused
if [[ ",$only," == *,classify,* ]]; then
db=credit_bench_cls
psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
q "$db" "CREATE EXTENSION credit; CREATE FUNCTION public.ms(sql text) RETURNS float8 LANGUAGE plpgsql AS \$\$
         DECLARE t0 timestamptz := clock_timestamp();
         BEGIN EXECUTE sql; RETURN extract(epoch FROM clock_timestamp() - t0) * 1000; END \$\$;
         CREATE FUNCTION public.exec_ms(sql text) RETURNS float8 LANGUAGE plpgsql AS \$\$
         DECLARE p json;
         BEGIN EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ' || sql INTO p; RETURN (p -> 0 ->> 'Execution Time')::float8; END \$\$" >/dev/null
digest=""
q "$db" "INSERT INTO credit.subject (uscc, name)
         SELECT (b || credit.uscc_check_char(b))::credit.uscc, 'org ' || g
         FROM generate_series(1, $cls_subjects) g,
              LATERAL (SELECT '913501' || lpad((g % 100)::text, 2, '0') || 'MA' || lpad(g::text, 7, '0') AS b) s" >/dev/null
q "$db" "SET credit.audit_pause = on;
         INSERT INTO credit.indicator_value (subject_id, period, indicator, score)
         SELECT s.subject_id, date_trunc('month', current_date), i.indicator, 40 + (s.subject_id * 7 + length(i.indicator)) % 60
         FROM credit.subject s CROSS JOIN credit.risk_indicator i
         WHERE i.model = (SELECT model FROM credit.risk_model WHERE is_default)" >/dev/null
# records in force for one subject in twenty: caps (serious dishonesty list => D, abnormal operations => C)
q "$db" "INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
         SELECT s.subject_id, (ARRAY['serious_dishonesty_list', 'abnormal_operations', 'administrative_penalty'])[1 + s.subject_id % 3],
                (ARRAY['serious', 'general', 'general'])[1 + s.subject_id % 3], '市场监督管理局', current_date - (s.subject_id % 300)::int
         FROM credit.subject s WHERE s.subject_id % 20 = 0" >/dev/null
q "$db" "VACUUM ANALYZE credit.subject, credit.indicator_value, credit.record" >/dev/null
# classify_period's own aggregation: the SELECT ... GROUP BY it writes from
# (its MERGE's source, the month and the default model put in), the rows
# produced and dropped
read -r month last_day model thresholds default_class < <(q "$db" "
    SELECT date_trunc('month', current_date)::date, (date_trunc('month', current_date) + interval '1 month - 1 day')::date,
           model, thresholds, default_class FROM credit.risk_model WHERE is_default" | tr '|' ' ')
agg_sql=$(sed -e "s/@MONTH@/$month/g" -e "s/@LAST@/$last_day/g" -e "s/@MODEL@/$model/g" \
              -e "s/@THR@/$thresholds/g" -e "s/@DEFAULT@/$default_class/g" <<'SQL'
SELECT DATE '@MONTH@' AS period, s.subject_id, '@MODEL@' AS model, x.score,
       coalesce(x.class, '@DEFAULT@'::credit.credit_class) AS class,
       x.class IS NOT NULL AND x.class IS DISTINCT FROM x.uncapped AS capped
FROM credit.subject s
LEFT JOIN (
    SELECT f.subject_id,
           credit.risk_score(f.score, f.weight) AS score,
           credit.risk_class(f.score, f.weight, f.cap, '@THR@'::float8[]) AS class,
           credit.risk_class(f.score, f.weight, NULL::credit.credit_class, '@THR@'::float8[]) AS uncapped
    FROM (
        SELECT v.subject_id, v.score, i.weight, NULL::credit.credit_class AS cap
        FROM credit.indicator_value v
        JOIN credit.risk_indicator i ON i.model = '@MODEL@' AND i.indicator = v.indicator
        WHERE v.period = DATE '@MONTH@'
        UNION ALL
        SELECT r.subject_id, NULL, NULL, c.cap
        FROM credit.record r
        JOIN credit.risk_cap c ON c.model = '@MODEL@' AND c.category = r.category
        WHERE r.publicity_starts <= DATE '@LAST@'
          AND (r.publicity_max_end IS NULL OR DATE '@LAST@' < r.publicity_max_end)
          AND NOT r.under_verification
          AND (r.state IN ('published', 'under_repair', 'expired')
               OR (r.state = 'repaired' AND r.repair_decided_on > DATE '@LAST@'))
    ) f
    GROUP BY f.subject_id
) x ON x.subject_id = s.subject_id
SQL
)
q "$db" "SELECT credit.classify_period(current_date)" >/dev/null      # warm up, first run
# the aggregation computes what classify_period writes
differ=$(q "$db" "SELECT count(*) FROM ($agg_sql) a FULL JOIN credit.classification c
                  ON c.period = a.period AND c.subject_id = a.subject_id
                  WHERE (c.model, c.class, c.capped) IS DISTINCT FROM (a.model, a.class, a.capped)
                     OR (c.score IS NULL) <> (a.score IS NULL) OR abs(c.score - a.score) > 1e-9")
[ "$differ" = 0 ] || { echo "audit_v2.sh: the aggregation and classify_period differ on $differ subjects" >&2; exit 1; }
capped=$(q "$db" "SELECT count(*) FILTER (WHERE capped) FROM credit.classification")
# every run in one session (one backend: no side pays for a new one), the
# order of the sides reversed in even runs
sides="agg first on off"
cls_sql=$work/classify.sql
{
    echo "SET max_parallel_workers_per_gather = 0;"
    for rep in $(seq 1 "$reps"); do
        if [ $((rep % 2)) -eq 1 ]; then order=$sides; else order=$(echo "$sides" | tr ' ' '\n' | tac | tr '\n' ' '); fi
        for a in $order; do
            # the same start for every side: last run's dead rows vacuumed, dirty pages written
            [ $a = first ] && echo "DELETE FROM credit.classification WHERE period = date_trunc('month', current_date);"
            echo "VACUUM credit.classification;"
            echo "CHECKPOINT;"
            case $a in
                agg) echo "SELECT '$a $rep ' || public.exec_ms(\$agg\$$agg_sql\$agg\$);" ;;
                first|on) echo "SELECT '$a $rep ' || public.ms('SELECT credit.classify_period(current_date)');" ;;
                off) echo "SET credit.audit_pause = on;"
                     echo "SELECT '$a $rep ' || public.ms('SELECT credit.classify_period(current_date)');"
                     echo "RESET credit.audit_pause;" ;;
            esac
        done
    done
} >"$cls_sql"
while read -r a rep v; do
    log "classify_period $cls_subjects subjects, $a, run $rep: $v ms"
    t[cls_$a]="${t[cls_$a]:-} $v"
done < <(psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -f "$cls_sql")
cls_agg=$(echo "${t[cls_agg]}" | median); cls_first=$(echo "${t[cls_first]}" | median)
cls_on=$(echo "${t[cls_on]}" | median); cls_off=$(echo "${t[cls_off]}" | median)
cls_r=$(ratio "$cls_on" "$cls_off"); first_r=$(ratio "$cls_first" "$cls_agg"); rerun_r=$(ratio "$cls_on" "$cls_first")
runs=$(q "$db" "SELECT count(*) FROM credit.audit_log WHERE table_name = 'classification' AND operation = 'RUN'")
# (the indicator values were loaded with auditing paused, so check_tables would
# rightly report them; the log itself must verify)
q "$db" "SELECT count(*) FROM credit.audit_seal()" >/dev/null
[ "$(q "$db" "SELECT ok FROM credit.audit_verify()")" = t ]
rows="${rows:+$rows
}classify_period, $cls_subjects subjects, first run of the month (audited) vs its aggregation (the SELECT ... GROUP BY it writes)	$cls_first ms	$cls_agg ms	$first_r	<= 2.00	$(verdict "$first_r" 2 le)
classify_period: re-run of the month with unchanged inputs vs the first run	$cls_on ms	$cls_first ms	$rerun_r	<= 1.10	$(verdict "$rerun_r" 1.1 le)
classify_period, re-run: audited per run vs auditing paused	$cls_on ms	$cls_off ms	$cls_r	<= 1.20	$(verdict "$cls_r" 1.2 le)"
cls_note=" classify_period: $cls_subjects subjects with 5 indicator scores each, $capped of them capped by a record in force; serial; before every run its month's dead rows vacuumed and a checkpoint, before a first run the month deleted; the aggregation is EXPLAIN (ANALYZE, TIMING OFF) of the SELECT ... GROUP BY classify_period writes from (checked equal to what it writes)."
psql -X -q -c "DROP DATABASE $db" >/dev/null
fi
echo
echo "credit bench, audit v2: medians of $reps runs${runs:+ ($runs classify_period runs logged, the chain verified)}"
echo
{ printf 'benchmark\tcredit\tbaseline\tratio\ttarget\tresult\n'; printf '%s\n' "$rows"; } | column -t -s $'\t' -o ' | '
{
    echo
    echo "Audit log v2 at scale: medians of $reps runs, times inside the server; the logs are loaded directly and sealed in blocks of a million rows, new rows come through the audit trigger.${cls_note:-}"
    echo
    echo "| benchmark | credit | baseline | ratio | target | result |"
    echo "| --- | ---: | ---: | ---: | --- | --- |"
    printf '%s\n' "$rows" | awk -F '\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
} >>"$results"
