#!/usr/bin/env bash
# test/bench/run.sh -- `make bench`: credit.uscc against plain PostgreSQL,
# side by side, on generated realistic codes.
#
#   scripts/pgtmp.sh test/bench/run.sh      (make bench does this)
#
# Needs PGHOST/PGPORT/PGUSER of a superuser on a throwaway cluster with the
# extension installed.  Environment:
#   BENCH_ROWS       number of generated codes (default 2000000)
#   BENCH_REPS       timed runs of each measurement (default 5)
#   BENCH_SLOW_REPS  timed runs of the COPY with the PL/pgSQL CHECK (default 3)
#   BENCH_RESULTS    Markdown output (default test/bench/results.md)
#
# Every time is taken inside the server (clock_timestamp() around EXECUTE,
# or the execution time of EXPLAIN (ANALYZE, TIMING OFF)), the median of the
# timed runs is reported, and the order of the sides alternates between runs.
# Exits 0 when a target is missed (this is a report), non-zero on any error.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
rows=${BENCH_ROWS:-2000000}
reps=${BENCH_REPS:-5}
slow_reps=${BENCH_SLOW_REPS:-3}
results=${BENCH_RESULTS:-$here/results.md}

for v in rows reps slow_reps; do
    case ${!v} in
        ''|*[!0-9]*) echo "run.sh: $v must be a positive integer, not '${!v}'" >&2; exit 2 ;;
    esac
done
if [ "$rows" -lt 1000 ] || [ "$reps" -lt 1 ] || [ "$slow_reps" -lt 1 ]; then
    echo "run.sh: need BENCH_ROWS >= 1000 and at least one run" >&2
    exit 2
fi
[ "$slow_reps" -le "$reps" ] || slow_reps=$reps

# the data file is written and read by the server (OS user postgres)
work=$(mktemp -d /tmp/credit-bench.XXXXXX)
chmod 777 "$work"
trap 'rm -rf "$work"' EXIT
datafile=$work/codes.txt

psql_run() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
log() { echo "bench: $*" >&2; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "generating $rows codes (load average $load_start)"
t0=$SECONDS
psql_run -v rows="$rows" -v datafile="$datafile" -f "$here/setup.sql" >&2
data_desc=$(psql_run -At -c "
    SELECT format('%s distinct codes, %s distinct regions, %s%% department 9 (%s%% 91, %s%% 92, %s%% 93), %s%% MA-style organisation codes, shuffled',
                  count(DISTINCT code), count(DISTINCT substr(code, 3, 6)),
                  round(100.0 * count(*) FILTER (WHERE code LIKE '9%') / count(*)),
                  round(100.0 * count(*) FILTER (WHERE code LIKE '91%') / count(*)),
                  round(100.0 * count(*) FILTER (WHERE code LIKE '92%') / count(*)),
                  round(100.0 * count(*) FILTER (WHERE code LIKE '93%') / count(*)),
                  round(100.0 * count(*) FILTER (WHERE substr(code, 9, 2) = 'MA') / count(*)))
      FROM bench.codes")
log "data ready ($((SECONDS - t0)) s): $data_desc"

# ---------------------------------------------------------------------------
# the measurement script, one session: every statement on its own
# (autocommit), so TRUNCATE, CHECKPOINT and VACUUM run between the timings
# ---------------------------------------------------------------------------
q() { printf '%s\n' "$@"; }
side_order() {		# alternate the order of the sides from run to run
    if [ $(( $1 % 2 )) -eq 1 ]; then echo "$2"; else echo "$2" | tr ' ' '\n' | tac | tr '\n' ' '; fi
}
copy_sql() { echo "COPY bench.t_$1 FROM '$datafile'"; }

# credit's operators live in schema credit: "a.code = b.code" on two
# credit.uscc columns needs it on the search_path (as an application would
# have it); ORDER BY and CREATE INDEX use the default operator class anyway
{
    q "\\set ON_ERROR_STOP 1" \
      "SET client_min_messages = warning;" \
      "SET max_parallel_workers_per_gather = 0;" \
      "SET jit = off;" \
      "SET search_path = public, credit;" \
      "\\pset format unaligned" "\\pset tuples_only on"

    # 1, 2: COPY FROM.  An untimed warm-up load of each fast side first.
    for side in uscc text; do
        q "SELECT format('copy %-8s warm-up: %s ms', '$side', round((bench.measure('copy', '$side', 0, \$q\$$(copy_sql $side)\$q\$))::numeric, 1));" \
          "TRUNCATE bench.t_$side;"
    done
    for rep in $(seq 1 "$reps"); do
        for side in $(side_order "$rep" "uscc text plpgsql"); do
            if [ "$side" = plpgsql ] && [ "$rep" -gt "$slow_reps" ]; then continue; fi
            q "TRUNCATE bench.t_$side;" "CHECKPOINT;" \
              "SELECT format('copy %-8s run %s: %s ms', '$side', $rep, round((bench.measure('copy', '$side', $rep, \$q\$$(copy_sql "$side")\$q\$))::numeric, 1));"
        done
    done
    q "TRUNCATE bench.t_plpgsql;"

    # 3: sizes of the loaded tables, then (4) the sorts, before any index
    # exists (the plan check makes sure a Sort is measured)
    q "VACUUM (ANALYZE) bench.t_uscc, bench.t_text;" "CHECKPOINT;" \
      "INSERT INTO bench.sizes VALUES ('table_size', 'uscc', pg_table_size('bench.t_uscc')), ('table_size', 'text', pg_table_size('bench.t_text'));"
    sort_q() {
        case $1 in
            uscc)    echo "SELECT code FROM bench.t_uscc ORDER BY code" ;;
            text_c)  echo "SELECT code FROM bench.t_text ORDER BY code COLLATE \"C\"" ;;
            text_db) echo "SELECT code FROM bench.t_text ORDER BY code" ;;
        esac
    }
    for rep in $(seq 0 "$reps"); do
        for side in $(side_order "$rep" "uscc text_c text_db"); do
            q "SELECT format('sort %-8s run %s: %s ms', '$side', $rep, round((bench.measure_plan('sort', '$side', $rep, \$q\$$(sort_q $side)\$q\$, '{Sort,\"sort: quicksort\",\"sort space: Memory\"}'))::numeric, 1));"
        done
    done

    # CREATE INDEX (reported), the last build of each stays for the sizes
    for rep in $(seq 1 "$reps"); do
        for side in $(side_order "$rep" "uscc text"); do
            q "DROP INDEX IF EXISTS bench.i_$side;" "CHECKPOINT;" \
              "SELECT format('create index %-8s run %s: %s ms', '$side', $rep, round((bench.measure('create_index', '$side', $rep, 'CREATE INDEX i_$side ON bench.t_$side (code)'))::numeric, 1));"
        done
    done
    q "INSERT INTO bench.sizes VALUES ('index_size', 'uscc', pg_relation_size('bench.i_uscc')), ('index_size', 'text', pg_relation_size('bench.i_text'));"

    # 5: hash join of two rows/2 tables, half of the codes in common
    q "VACUUM (ANALYZE) bench.ja_uscc, bench.jb_uscc, bench.ja_text, bench.jb_text;" "CHECKPOINT;"
    for rep in $(seq 0 "$reps"); do
        for side in $(side_order "$rep" "uscc text"); do
            q "SELECT format('hash join %-8s run %s: %s ms', '$side', $rep, round((bench.measure_plan('hash_join', '$side', $rep, 'SELECT count(*) FROM bench.ja_$side a JOIN bench.jb_$side b ON a.code = b.code', '{\"Hash Join\"}'))::numeric, 1));"
        done
    done
} >"$work/measure.sql"

log "measuring: $reps runs each ($slow_reps for the COPY with the PL/pgSQL CHECK)"
psql_run -f "$work/measure.sql" >&2
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
log "plans measured:"
psql_run -At -F ' ' -c "SELECT DISTINCT format('  %s/%s: %s', bench, side, detail) FROM bench.runs WHERE detail IS NOT NULL ORDER BY 1" >&2

# ---------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------
psql_run -At -F $'\t' -f - >"$work/report.tsv" <<'SQL'
WITH med AS (
    SELECT bench, side, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS v
      FROM bench.runs WHERE rep > 0 GROUP BY bench, side
    UNION ALL
    SELECT bench, side, bytes FROM bench.sizes
), spec(ord, label, bench, side, base, target, unit) AS (VALUES
    (1, 'COPY FROM: uscc vs text', 'copy', 'uscc', 'text', 1.15, 'ms'),
    (2, 'COPY FROM: uscc vs text + PL/pgSQL CHECK', 'copy', 'uscc', 'plpgsql', 0.10, 'ms'),
    (3, 'btree index size: uscc vs text', 'index_size', 'uscc', 'text', 0.80, 'B'),
    (4, 'table size: uscc vs text', 'table_size', 'uscc', 'text', 0.90, 'B'),
    (5, 'ORDER BY: uscc vs text COLLATE "C"', 'sort', 'uscc', 'text_c', 0.60, 'ms'),
    (6, 'ORDER BY: uscc vs text COLLATE default (' ||
        (SELECT datcollate FROM pg_database WHERE datname = current_database()) || ')',
        'sort', 'uscc', 'text_db', NULL, 'ms'),
    (7, 'hash join ' || (SELECT reltuples::bigint FROM pg_class WHERE oid = 'bench.ja_text'::regclass)
        || ' x ' || (SELECT reltuples::bigint FROM pg_class WHERE oid = 'bench.jb_text'::regclass)
        || ': uscc vs text', 'hash_join', 'uscc', 'text', NULL, 'ms'),
    (8, 'CREATE INDEX: uscc vs text (default collation)', 'create_index', 'uscc', 'text', NULL, 'ms')
)
SELECT s.label,
       CASE s.unit WHEN 'ms' THEN to_char(c.v, 'FM9999990.0') || ' ms' ELSE c.v::bigint || ' B' END,
       CASE s.unit WHEN 'ms' THEN to_char(b.v, 'FM9999990.0') || ' ms' ELSE b.v::bigint || ' B' END,
       to_char(c.v / b.v, 'FM990.000'),
       coalesce('<= ' || to_char(s.target, 'FM0.00'), '-'),
       CASE WHEN s.target IS NULL THEN 'report'
            WHEN c.v / b.v <= s.target THEN 'PASS' ELSE 'MISS' END
  FROM spec s
  JOIN med c ON c.bench = s.bench AND c.side = s.side
  JOIN med b ON b.bench = s.bench AND b.side = s.base
 ORDER BY s.ord;
SQL

version=$(psql_run -At -c "SELECT current_setting('server_version')")
header="credit bench: $rows rows (codes), PostgreSQL $version; median of $reps runs ($slow_reps for the PL/pgSQL CHECK), times inside the server"

# aligned text table on stdout
{
    echo "$header"
    echo
    { printf 'benchmark\tcredit\tbaseline\tratio\ttarget\tresult\n'; cat "$work/report.tsv"; } |
    awk -F '\t' '
        { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR }
        END {
            for (r = 1; r <= n; r++) {
                line = ""
                for (i = 1; i <= 6; i++) {
                    # numbers right-aligned, text left-aligned
                    fmt = (i >= 2 && i <= 4) ? "%" w[i] "s" : "%-" w[i] "s"
                    line = line (i > 1 ? " | " : "") sprintf(fmt, cell[r, i])
                }
                sub(/ +$/, "", line); print line
                if (r == 1) {
                    sep = ""
                    for (i = 1; i <= 6; i++) { s = sprintf("%" w[i] "s", ""); gsub(/ /, "-", s); sep = sep (i > 1 ? "-+-" : "") s }
                    print sep
                }
            }
        }'
}

# the same in Markdown
{
    echo "$header."
    echo
    echo "| benchmark | credit | baseline | ratio | target | result |"
    echo "| --- | ---: | ---: | ---: | --- | --- |"
    awk -F '\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$work/report.tsv"
    echo
    echo "Data: $data_desc."
    echo
    echo "Generated by \`make bench\` (test/bench/run.sh); server settings: shared_buffers=$(psql_run -At -c 'SHOW shared_buffers'), work_mem=$(psql_run -At -c 'SHOW work_mem'), maintenance_work_mem=$(psql_run -At -c 'SHOW maintenance_work_mem'), max_parallel_workers_per_gather=0, jit=off; load average (1/5/15 min) $load_start at the start, $load_end at the end (2 cores)."
} >"$results"
log "Markdown table written to $results"
