#!/usr/bin/env bash
# test/bench/run.sh -- `make bench`: credit against plain PostgreSQL, side by
# side, on generated realistic data, in sections:
#
#   uscc      issue 2: credit.uscc vs text (COPY, sizes, sort, join, index)
#   records   issue 3: the publicity trigger on INSERT, working-day functions
#   repair    issues 4, 17: repair eligibility of every record, set-based and per record
#   classify  issue 5: risk_class / class_counts vs plain SQL, parallel vs serial
#   commitments issue 14: commitment_allowed for every subject vs hand-written SQL
#   quality   issue 15: code_quality vs the same figures in plain SQL
#
#   scripts/pgtmp.sh test/bench/run.sh      (make bench does this)
#
# Needs PGHOST/PGPORT/PGUSER of a superuser on a throwaway cluster with the
# extension installed (the repair section fills credit.subject/credit.record).
# Environment:
#   BENCH_ONLY       comma-separated sections to run (default uscc,records,repair,classify,commitments,quality)
#   BENCH_REPS       timed runs of each measurement (default 5)
#   BENCH_SLOW_REPS  timed runs of the COPY with the PL/pgSQL CHECK (default 3)
#   BENCH_ROWS       uscc: number of generated codes (default 2000000)
#   BENCH_REC_ROWS   records: records inserted per run (default 1000000)
#   BENCH_WD_ROWS    records: rows of the working-day table (default 1000000)
#   BENCH_REPAIR_RECORDS   repair: records in credit.record (default 1000000)
#   BENCH_REPAIR_SUBJECTS  repair: subjects in credit.subject (default 150000)
#   BENCH_IND_SUBJECTS     classify: subjects of the indicator table (default 500000)
#   BENCH_IND_PER_SUBJECT  classify: indicator rows per subject (default 10)
#   BENCH_CLS_ROWS   classify: rows of the class column (default 10000000)
#   BENCH_COM_SUBJECTS    commitments: subjects in credit.subject (default 1000000)
#   BENCH_COM_RECORDS     commitments: records added over them (default 1000000)
#   BENCH_COM_VIOLATIONS  commitments: commitment violations added (default 30000)
#   BENCH_QUALITY_ROWS  quality: rows of the generated register (default 10000000)
#   BENCH_RESULTS    Markdown output (default test/bench/results.md; it holds
#                    the sections of the last run only)
#
# Every time is taken inside the server (clock_timestamp() around EXECUTE,
# or the execution time of EXPLAIN (ANALYZE, TIMING OFF)), the median of the
# timed runs is reported, and the order of the sides alternates between runs.
# Exits 0 when a target is missed (this is a report), non-zero on any error.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
only=${BENCH_ONLY:-uscc,records,repair,classify,commitments,quality}
reps=${BENCH_REPS:-5}
slow_reps=${BENCH_SLOW_REPS:-3}
rows=${BENCH_ROWS:-2000000}
rec_rows=${BENCH_REC_ROWS:-1000000}
wd_rows=${BENCH_WD_ROWS:-1000000}
rep_records=${BENCH_REPAIR_RECORDS:-1000000}
rep_subjects=${BENCH_REPAIR_SUBJECTS:-150000}
ind_subjects=${BENCH_IND_SUBJECTS:-500000}
ind_per_subject=${BENCH_IND_PER_SUBJECT:-10}
cls_rows=${BENCH_CLS_ROWS:-10000000}
com_subjects=${BENCH_COM_SUBJECTS:-1000000}
com_records=${BENCH_COM_RECORDS:-1000000}
com_violations=${BENCH_COM_VIOLATIONS:-30000}
quality_rows=${BENCH_QUALITY_ROWS:-10000000}
results=${BENCH_RESULTS:-$here/results.md}

# minimum of each number
for v in reps:1 slow_reps:1 rows:1000 rec_rows:1000 wd_rows:1000 rep_records:1000 rep_subjects:100 \
         ind_subjects:100 ind_per_subject:1 cls_rows:1000 com_subjects:1000 com_records:1000 com_violations:100 \
         quality_rows:1000; do
    name=${v%%:*} min=${v#*:}
    case ${!name} in
        ''|*[!0-9]*) echo "run.sh: $name must be a positive integer, not '${!name}'" >&2; exit 2 ;;
    esac
    if [ "${!name}" -lt "$min" ]; then
        echo "run.sh: need $name >= $min" >&2
        exit 2
    fi
done
[ "$slow_reps" -le "$reps" ] || slow_reps=$reps
for s in ${only//,/ }; do
    case $s in
        uscc|records|repair|classify|commitments|quality) ;;
        *) echo "run.sh: unknown section '$s' in BENCH_ONLY (uscc, records, repair, classify, commitments, quality)" >&2; exit 2 ;;
    esac
done
enabled() { case ",$only," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

# the data file is written and read by the server (OS user postgres)
work=$(mktemp -d /tmp/credit-bench.XXXXXX)
chmod 777 "$work"
trap 'rm -rf "$work"' EXIT
datafile=$work/codes.txt

psql_run() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
log() { echo "bench: $*" >&2; }

# the statements bench.schedule() makes of a section's bench.cases, one by
# one in one session (autocommit, like the issue-2 script below)
run_section() {
    {
        printf '%s\n' "\\set ON_ERROR_STOP 1" \
            "SET client_min_messages = warning;" \
            "\\pset format unaligned" "\\pset tuples_only on" \
            "SELECT stmt FROM bench.schedule('$1', $reps) AS stmt \\gexec"
    } >"$work/measure_$1.sql"
    psql_run -f "$work/measure_$1.sql" >&2
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "sections: $only; $reps runs each (load average $load_start)"
psql_run -f "$here/common.sql" >&2

# ===========================================================================
# issue 2: credit.uscc
# ===========================================================================
if enabled uscc; then
    log "uscc: generating $rows codes"
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
    log "uscc: data ready ($((SECONDS - t0)) s): $data_desc"

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

    log "uscc: measuring: $reps runs each ($slow_reps for the COPY with the PL/pgSQL CHECK)"
    psql_run -f "$work/measure.sql" >&2

    # the report rows of issue 2
    psql_run -v rows="$rows" -v data="$data_desc" -f - <<'SQL'
INSERT INTO bench.sections VALUES
    ('uscc', 1, format('Issue 2: credit.uscc vs text, %s codes', :rows), :'data');
INSERT INTO bench.report_spec (section, ord, label, bench, side, base, target, unit)
SELECT 'uscc', ord, label, bench, side, base, target, unit FROM (VALUES
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
) AS spec(ord, label, bench, side, base, target, unit);
SQL
fi

# ===========================================================================
# issue 3: the publicity trigger and the working-day functions
# ===========================================================================
if enabled records; then
    log "records: generating $rec_rows records and $wd_rows working-day rows"
    t0=$SECONDS
    psql_run -v rec_rows="$rec_rows" -v wd_rows="$wd_rows" -f "$here/records.sql" >&2
    log "records: data ready ($((SECONDS - t0)) s), measuring"
    run_section records
    psql_run -c "DROP TABLE bench.rec_stage, bench.rec_trig, bench.rec_plain, bench.wd" >&2
fi

# ===========================================================================
# issue 4: repair eligibility
# ===========================================================================
if enabled repair; then
    log "repair: loading $rep_subjects subjects and $rep_records records into credit.subject/credit.record"
    t0=$SECONDS
    psql_run -v rep_records="$rep_records" -v rep_subjects="$rep_subjects" -f "$here/repair.sql" >&2
    log "repair: data ready ($((SECONDS - t0)) s), measuring"
    run_section repair
fi

# ===========================================================================
# issue 5: classification aggregates
# ===========================================================================
if enabled classify; then
    log "classify: generating $((ind_subjects * ind_per_subject)) indicator rows and $cls_rows class rows"
    t0=$SECONDS
    psql_run -v ind_subjects="$ind_subjects" -v ind_per_subject="$ind_per_subject" \
             -v cls_rows="$cls_rows" -f "$here/classify.sql" >&2
    log "classify: data ready and results checked ($((SECONDS - t0)) s), measuring"
    run_section classify
    psql_run -c "DROP TABLE bench.ind, bench.cls" >&2
fi

# ===========================================================================
# issue 14: commitment_allowed
# ===========================================================================
if enabled commitments; then
    log "commitments: loading subjects up to $com_subjects, $com_records records and $com_violations violations"
    t0=$SECONDS
    psql_run -v com_subjects="$com_subjects" -v com_records="$com_records" -v com_violations="$com_violations" \
             -f "$here/commitments.sql" >&2
    log "commitments: data ready and both sides checked equal ($((SECONDS - t0)) s), measuring"
    run_section commitments
fi

# ===========================================================================
# issue 15: code-quality reports
# ===========================================================================
if enabled quality; then
    log "quality: generating a register of $quality_rows codes and names, checking code_quality against the plain SQL"
    t0=$SECONDS
    psql_run -v quality_rows="$quality_rows" -f "$here/quality.sql" >&2
    log "quality: data ready and results checked ($((SECONDS - t0)) s), measuring"
    run_section quality
    psql_run -c "DROP TABLE bench.q_reg, bench.q_result" >&2
fi

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
log "plans measured:"
psql_run -At -F ' ' -c "SELECT DISTINCT format('  %s/%s: %s', bench, side, detail) FROM bench.runs WHERE detail IS NOT NULL ORDER BY 1" >&2

# ---------------------------------------------------------------------------
# the report: one table per section
# ---------------------------------------------------------------------------
psql_run -At -F $'\t' -f - >"$work/report.tsv" <<'SQL'
WITH med AS (
    SELECT bench, side, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS v
      FROM bench.runs WHERE rep > 0 GROUP BY bench, side
    UNION ALL
    SELECT bench, side, bytes FROM bench.sizes
)
SELECT s.section,
       s.label,
       CASE s.unit WHEN 'ms' THEN to_char(c.v, 'FM9999990.0') || ' ms' ELSE c.v::bigint || ' B' END,
       CASE s.unit WHEN 'ms' THEN to_char(b.v, 'FM9999990.0') || ' ms' ELSE b.v::bigint || ' B' END,
       to_char(c.v / b.v, 'FM990.000'),
       coalesce(s.op || ' ' || to_char(s.target, 'FM0.00'), '-'),
       CASE WHEN s.target IS NULL THEN 'report'
            WHEN s.op = '<=' AND c.v / b.v <= s.target THEN 'PASS'
            WHEN s.op = '<' AND c.v / b.v < s.target THEN 'PASS'
            ELSE 'MISS' END
  FROM bench.report_spec s
  JOIN bench.sections x ON x.section = s.section
  JOIN med c ON c.bench = s.bench AND c.side = s.side
  JOIN med b ON b.bench = s.bench AND b.side = s.base
 ORDER BY x.ord, s.ord;
SQL
psql_run -At -F $'\t' -c "SELECT section, title, coalesce(data, '') FROM bench.sections ORDER BY ord" >"$work/sections.tsv"

version=$(psql_run -At -c "SELECT current_setting('server_version')")
slow_note=
if enabled uscc; then slow_note=" ($slow_reps for the PL/pgSQL CHECK)"; fi
header="credit bench: PostgreSQL $version; median of $reps runs$slow_note, times inside the server"

# aligned text table of one section (TSV rows without the section column on stdin)
align() {
    { printf 'benchmark\tcredit\tbaseline\tratio\ttarget\tresult\n'; cat; } |
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
section_rows() { awk -F '\t' -v s="$1" 'BEGIN { OFS = FS } $1 == s { $1 = ""; print substr($0, 2) }' "$work/report.tsv"; }

# on stdout
{
    echo "$header"
    while IFS=$'\t' read -r section title data; do
        echo
        echo "$title"
        section_rows "$section" | align
    done <"$work/sections.tsv"
}

# the same in Markdown
{
    echo "$header."
    while IFS=$'\t' read -r section title data; do
        echo
        echo "## $title"
        echo
        echo "| benchmark | credit | baseline | ratio | target | result |"
        echo "| --- | ---: | ---: | ---: | --- | --- |"
        section_rows "$section" | awk -F '\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
        echo
        echo "Data: $data."
    done <"$work/sections.tsv"
    echo
    echo "Generated by \`make bench\` (test/bench/run.sh, sections $only); server settings: shared_buffers=$(psql_run -At -c 'SHOW shared_buffers'), work_mem=$(psql_run -At -c 'SHOW work_mem'), maintenance_work_mem=$(psql_run -At -c 'SHOW maintenance_work_mem'), max_parallel_workers_per_gather=0 (2 on the rows with workers), jit=off (on where a row says so); load average (1/5/15 min) $load_start at the start, $load_end at the end (2 cores)."
} >"$results"
log "Markdown table written to $results"
