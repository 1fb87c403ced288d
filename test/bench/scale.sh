#!/usr/bin/env bash
# test/bench/scale.sh -- `make bench BENCH_SCALE=1`: the main jobs at two
# sizes a factor of ten apart, and how their cost grows (time at the large
# size / time at the small one; linear within noise is 10, the target is
# <= 11: a job that grows faster than linear is a bug to fix or a limit to
# document).
#
#   trigger_insert     INSERT ... SELECT of the size's records into a table
#                      with the publicity trigger (the records section's
#                      measurement, at scale)
#   public_count       SELECT province, count(*) FROM credit.public_record
#                      GROUP BY province
#   repair_candidates  SELECT count(*) FROM credit.repair_candidate
#   classify_period    the first run of a month (subjects scaled too: a fifth
#                      of the records, 5 indicator scores each), auditing on;
#                      and, reported, the re-run of the month
#   eligibility        repair_eligibility_many(NULL): every record (reported)
#
# The floor (count(*) of credit.record) and the insert without the trigger
# grow as PostgreSQL does on this machine: with shared_buffers smaller than
# the large size's data (make bench BENCH_SCALE=1 starts its server with 8GB,
# BENCH_SHARED_BUFFERS to change it), every job that reads the records pays
# the move from shared buffers to the kernel's page cache, and grows with it.
#
# Each size has its own database, loaded by scale_data.sql with the triggers
# off (10^7 records take about 7 minutes on two cores) and dropped after its
# measurements.  Times are taken inside the server (clock_timestamp() around
# the statement), the median of SCALE_REPS runs, all of a size in one session,
# after an untimed warm-up run (not the inserts, which come last: each run
# writes the whole size).  The insert without the trigger is reported beside
# the one with it: what grows in both is PostgreSQL's (the table and its
# indexes outgrowing shared_buffers and the CPU caches), not the trigger's.
#
# (The per-subject lookups at 10^7 records, and their plans, are in
# sanctions.sh.)
#
# Environment: SCALE_RECORDS (the small size, default 1000000), SCALE_FACTOR
# (10), SCALE_REPS (3), SCALE_JOBS (the jobs, default all), SCALE_RESULTS (Markdown output, default
# test/bench/results-scale.md), SCALE_KEEP (keep the last database).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
small=${SCALE_RECORDS:-1000000}
factor=${SCALE_FACTOR:-10}
reps=${SCALE_REPS:-3}
results=${SCALE_RESULTS:-$here/results-scale.md}
for v in small:1000 factor:2 reps:1; do
    name=${v%%:*} min=${v#*:}
    case ${!name} in
        ''|*[!0-9]*) echo "scale.sh: $name must be a positive integer, not '${!name}'" >&2; exit 2 ;;
    esac
    [ "${!name}" -ge "$min" ] || { echo "scale.sh: need $name >= $min" >&2; exit 2; }
done
log() { echo "bench: $*" >&2; }
work=$(mktemp -d /tmp/credit-bench-scale.XXXXXX)
trap 'rm -rf "$work"' EXIT
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

jobs=${SCALE_JOBS:-"floor_scan plain_join public_count repair_candidates eligibility plain_agg classify_first classify_rerun trigger_insert plain_insert"}
declare -A ms rows label
label[trigger_insert]="INSERT ... SELECT of the records through the publicity trigger"
label[plain_insert]="the same INSERT without the trigger (same table and indexes)"
label[floor_scan]="the floor: SELECT count(*) FROM credit.record (reading every record)"
label[plain_join]="plain PostgreSQL: records joined with their subjects, count by province (no window test)"
label[plain_agg]="plain PostgreSQL: the month's indicator scores grouped by subject (sum, count)"
label[public_count]="public_record: count by province"
label[repair_candidates]="repair_candidate: count"
label[classify_first]="classify_period, first run of the month (subjects: a fifth of the records)"
label[classify_rerun]="classify_period, re-run of the month, unchanged inputs"
label[eligibility]="repair_eligibility_many(NULL): every record"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

for size in "$small" $((small * factor)); do
    subjects=$((size / 5))
    db=credit_bench_scale
    q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
    psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    log "scale: loading $size records of $subjects subjects"
    t0=$SECONDS
    q -v records="$size" -v subjects="$subjects" -f "$here/scale_data.sql" >&2
    log "scale: data ready ($((SECONDS - t0)) s)"
    q >/dev/null <<'SQL'
CREATE FUNCTION bench.ms(sql text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN EXECUTE sql; RETURN extract(epoch FROM clock_timestamp() - t0) * 1000; END $$;
-- the insert's target: credit.record's columns, defaults, checks and indexes, and the trigger
CREATE TABLE bench.rec_trig (LIKE credit.record INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
CREATE TRIGGER rec_publicity BEFORE INSERT OR UPDATE ON bench.rec_trig
    FOR EACH ROW EXECUTE FUNCTION credit.publicity_trigger();
CREATE TABLE bench.rec_plain (LIKE credit.record INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
SQL
    rows[$size]=$(q -c "SELECT format('%s subjects, %s records (%s public today), %s indicator scores',
                                       (SELECT count(*) FROM credit.subject), (SELECT count(*) FROM credit.record),
                                       (SELECT count(*) FROM credit.public_record),
                                       (SELECT count(*) FROM credit.indicator_value))")
    declare -A sql=(
        [trigger_insert]="INSERT INTO bench.rec_trig (record_id, subject_id, category, severity, excluded_category, authority, decided_on, disclosed_on, corrected_on, ruleset) SELECT * FROM bench.stage"
        [plain_insert]="INSERT INTO bench.rec_plain SELECT * FROM bench.rec_trig"
        [floor_scan]="SELECT count(*) FROM credit.record"
        [plain_join]="SELECT left(s.region, 2) AS province, count(*) FROM credit.record r JOIN credit.subject s USING (subject_id) GROUP BY 1"
        [plain_agg]="SELECT count(*) FROM (SELECT subject_id, sum(score), count(*) FROM credit.indicator_value GROUP BY subject_id) x"
        [public_count]="SELECT left(region, 2) AS province, count(*) FROM credit.public_record GROUP BY 1"
        [repair_candidates]="SELECT count(*) FROM credit.repair_candidate"
        [classify_first]="SELECT credit.classify_period(current_date)"
        [classify_rerun]="SELECT credit.classify_period(current_date)"
        [eligibility]="SELECT count(*) FILTER (WHERE eligible) FROM credit.repair_eligibility_many(NULL)"
    )
    declare -A pre=(
        [trigger_insert]="TRUNCATE bench.rec_trig;CHECKPOINT"
        [plain_insert]="TRUNCATE bench.rec_plain;CHECKPOINT"
        [classify_first]="DELETE FROM credit.classification WHERE period = date_trunc('month', current_date);VACUUM credit.classification;CHECKPOINT"
        [classify_rerun]="VACUUM credit.classification;CHECKPOINT"
    )
    # every measurement of the size in one session (a new backend first maps
    # the shared buffers it touches: at 10^7 records seconds of page faults
    # that are no part of a job), each job after an untimed warm-up run but
    # the inserts, which come last: one run writes the whole size.  The
    # insert without the trigger copies what the one with it wrote.
    {
        echo "SET max_parallel_workers_per_gather = 0;"
        echo "SET jit = off;"
        for job in $jobs; do
            case $job in *_insert) from=1 ;; *) from=0 ;; esac
            [ "$job" = plain_insert ] && continue
            for rep in $(seq "$from" "$reps"); do
                for j in $job $([ "$job" = trigger_insert ] && echo plain_insert); do
                    IFS=';' read -ra stmts <<<"${pre[$j]:-}"
                    for st in "${stmts[@]}"; do echo "$st;"; done
                    echo "SELECT '$j $rep ' || bench.ms(\$q\$${sql[$j]}\$q\$);"
                done
            done
        done
    } >"$work/measure.sql"
    declare -A times=()
    while read -r job rep v; do
        log "scale: $size records, $job, run $rep: $v ms"
        [ "$rep" -gt 0 ] && times[$job]="${times[$job]:-} $v"
    done < <(q -f "$work/measure.sql")
    for job in $jobs; do ms[$job,$size]=$(echo "${times[$job]}" | median); done
    [ "$size" -gt "$small" ] && [ -n "${SCALE_KEEP:-}" ] || psql -X -q -c "DROP DATABASE $db" >/dev/null
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

large=$((small * factor))
version=$(psql -X -At -c "SELECT current_setting('server_version')")
table=$(for job in $jobs; do
    a=${ms[$job,$small]} b=${ms[$job,$large]}
    g=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')
    case $job in
        classify_rerun|eligibility|plain_*|floor_scan) target="-" verdict="report" ;;
        *) target="<= 11.00"; verdict=$(awk -v g="$g" 'BEGIN { print (g <= 11) ? "PASS" : "MISS" }') ;;
    esac
    printf '%s\t%.1f ms\t%.1f ms\t%s\t%s\t%s\n' "${label[$job]}" "$a" "$b" "$g" "$target" "$verdict"
done)
echo
echo "credit bench, growth: PostgreSQL $version; $small and $large records; median of $reps runs, times inside the server"
echo
{ printf 'job\tat %s\tat %s\tgrowth\ttarget\tresult\n' "$small" "$large"; printf '%s\n' "$table"; } | column -t -s $'\t' -o ' | '
{
    echo "## Growth from $small to $large records"
    echo
    echo "| job | at $small | at $large | growth | target | result |"
    echo "| --- | ---: | ---: | ---: | --- | --- |"
    printf '%s\n' "$table" | awk -F '\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
    echo
    echo "Data: $small records: ${rows[$small]}; $large records: ${rows[$large]}. Records from the generator of the records and repair sections, loaded with the triggers off and the trigger-kept columns computed in bulk; 4 % of the records past their minimum period under repair (three quarters of them repaired), evidence, repair commitments and objections as in the repair section."
    echo
    echo "Generated by \`make bench BENCH_SCALE=1\` (test/bench/scale.sh): PostgreSQL $version, median of $reps runs in one session per size after an untimed warm-up run (the inserts, last, without one), times inside the server; server settings: shared_buffers=$(psql -X -At -c 'SHOW shared_buffers'), work_mem=$(psql -X -At -c 'SHOW work_mem'), max_parallel_workers_per_gather=0, jit=off; load average (1/5/15 min) $load_start at the start, $load_end at the end (2 cores). The per-subject lookups at 10^7 records are in the credit check section (sanctions.sh)."
} >"$results"
log "Markdown table written to $results"
