-- test/bench/classify.sql -- issue 5: the classification aggregates
-- credit.risk_class and credit.class_counts against the best plain SQL,
-- serial, and parallel against serial (run by test/bench/run.sh after
-- common.sql).
--
-- psql variables: ind_subjects, ind_per_subject (indicator rows per
-- subject), cls_rows (rows of the class column).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\o /dev/null
SET max_parallel_workers_per_gather = 0;	-- random() must be deterministic

-- ---------------------------------------------------------------------------
-- Indicator rows: ind_subjects subjects x ind_per_subject indicators, in
-- subject order (as a monthly load writes them).  Each subject has a base
-- level (40..100, from a hash of its id) and its scores scatter +-20 around
-- it (clamped to 0..100); 3% of the scores are NULL; the weights are the
-- indicator's; 2% of the rows carry a cap (B, C or D).
-- ---------------------------------------------------------------------------
SELECT setseed(0.2025);
CREATE TABLE bench.ind (subject_id bigint, score float8, weight float8, cap credit.credit_class);
INSERT INTO bench.ind
SELECT s,
       CASE WHEN r_null < 0.03 THEN NULL
            ELSE greatest(0, least(100, base + (r_score - 0.5) * 40)) END,
       ('{0.15,0.20,0.35,0.15,0.15,0.10,0.05,0.10,0.20,0.05}'::float8[])[1 + (k - 1) % 10],
       CASE WHEN r_cap < 0.008 THEN 'D'::credit.credit_class
            WHEN r_cap < 0.014 THEN 'C'::credit.credit_class
            WHEN r_cap < 0.020 THEN 'B'::credit.credit_class END
  FROM (SELECT s, k, random() AS r_null, random() AS r_score, random() AS r_cap,
               40 + 60 * ((hashint8(s) & 65535) / 65535.0::float8) AS base
          FROM generate_series(1, :ind_subjects) s
               CROSS JOIN LATERAL generate_series(1, :ind_per_subject + 0 * s) k   -- s outside
        OFFSET 0) g;
VACUUM (ANALYZE) bench.ind;

-- ---------------------------------------------------------------------------
-- A class column of cls_rows rows: A 30%, B 45%, C 18%, D 6%, NULL 1%
-- ---------------------------------------------------------------------------
SELECT setseed(0.2026);
CREATE TABLE bench.cls (c credit.credit_class);
INSERT INTO bench.cls
SELECT CASE WHEN r < 0.01 THEN NULL
            WHEN r < 0.31 THEN 'A'::credit.credit_class
            WHEN r < 0.76 THEN 'B'::credit.credit_class
            WHEN r < 0.94 THEN 'C'::credit.credit_class
            ELSE 'D'::credit.credit_class END
  FROM (SELECT random() AS r FROM generate_series(1, :cls_rows) OFFSET 0) g;
VACUUM (ANALYZE) bench.cls;

-- ---------------------------------------------------------------------------
-- what is measured.  Times are EXPLAIN (ANALYZE, TIMING OFF) execution
-- times: the rows are produced and dropped in the server.  (A wrapper
-- SELECT count(*) FROM (...) s would not do: the planner drops the unused
-- aggregate columns of the subquery and never computes them.)
--
-- The plain-SQL risk class: the weighted mean of the rows that have both a
-- score and a weight (sum() skips the NULL products; the FILTER keeps the
-- weights of scored rows), NULL when there is none or the weights sum to
-- 0, classed by the default thresholds, made no better than the worst cap.
-- ---------------------------------------------------------------------------
\set risk_credit 'SELECT subject_id, credit.risk_class(score, weight, cap, ''{90,75,60}'') FROM bench.ind GROUP BY subject_id'
\set risk_plain 'SELECT subject_id, greatest(CASE WHEN sum(score * weight) / nullif(sum(weight) FILTER (WHERE score IS NOT NULL), 0) >= 90 THEN ''A''::credit.credit_class WHEN sum(score * weight) / nullif(sum(weight) FILTER (WHERE score IS NOT NULL), 0) >= 75 THEN ''B''::credit.credit_class WHEN sum(score * weight) / nullif(sum(weight) FILTER (WHERE score IS NOT NULL), 0) >= 60 THEN ''C''::credit.credit_class WHEN sum(score * weight) / nullif(sum(weight) FILTER (WHERE score IS NOT NULL), 0) < 60 THEN ''D''::credit.credit_class END, max(cap)) FROM bench.ind GROUP BY subject_id'
\set counts_credit 'SELECT credit.class_counts(c) FROM bench.cls'
\set counts_plain 'SELECT count(*) FILTER (WHERE c = ''A''), count(*) FILTER (WHERE c = ''B''), count(*) FILTER (WHERE c = ''C''), count(*) FILTER (WHERE c = ''D'') FROM bench.cls'

-- the floors: what the same plan costs with the cheapest aggregate there is
-- in place of credit's, so that the report shows how low any aggregate could
-- go.  risk_class: count(*) per subject (the scan and the hash aggregation
-- alone, no argument evaluated); class_counts: count(c) (the scan, the
-- column's deforming and one built-in C transition call a row, the least an
-- aggregate over the column costs).
\set risk_floor 'SELECT subject_id, count(*) FROM bench.ind GROUP BY subject_id'
\set counts_floor 'SELECT count(c) FROM bench.cls'

-- the parallel sides: two workers per Gather.  Costs decide only whether
-- the planner picks the parallel plan, not how fast it runs, and the
-- parallel sides lower them so that the plan measured is the parallel one
-- at any size: min_parallel_table_scan_size = 0 and parallel_setup_cost = 0
-- matter only for small test tables (at the default sizes class_counts goes
-- parallel with the default costs); the GROUP BY also needs
-- parallel_tuple_cost = 0.01, since with the default 0.1 the planner keeps
-- it serial (it expects every worker to return every group: 1M partial rows
-- for 500k subjects).  What the planner picks with the default costs is
-- recorded in the data line.
\set parallel '"SET max_parallel_workers_per_gather = 2","SET min_parallel_table_scan_size = 0","SET parallel_setup_cost = 0"'
INSERT INTO bench.cases (section, bench, side, ord, sql, must, settings) VALUES
    ('classify', 'risk_class', 'credit', 1, :'risk_credit', '{"strategy: Hashed"}', '{}'),
    ('classify', 'risk_class', 'plain', 2, :'risk_plain', '{"strategy: Hashed"}', '{}'),
    ('classify', 'risk_class', 'plain_jit', 3, :'risk_plain', '{"strategy: Hashed"}', '{"SET jit = on"}'),
    ('classify', 'risk_class', 'floor', 4, :'risk_floor', '{"strategy: Hashed"}', '{}'),
    ('classify', 'class_counts', 'credit', 5, :'counts_credit', '{"Seq Scan"}', '{}'),
    ('classify', 'class_counts', 'plain', 6, :'counts_plain', '{"Seq Scan"}', '{}'),
    ('classify', 'class_counts', 'plain_jit', 7, :'counts_plain', '{"Seq Scan"}', '{"SET jit = on"}'),
    ('classify', 'class_counts', 'floor', 8, :'counts_floor', '{"Seq Scan"}', '{}'),
    ('classify', 'class_counts_parallel', 'parallel', 9, :'counts_credit',
     '{Gather,Partial,"workers launched: 2"}', ('{' || :'parallel' || '}')::text[]),
    ('classify', 'class_counts_parallel', 'serial', 10, :'counts_credit', '{"Seq Scan"}', '{}'),
    ('classify', 'risk_class_parallel', 'parallel', 11, :'risk_credit',
     '{Gather,Partial,"workers launched: 2"}', ('{' || :'parallel' || ',"SET parallel_tuple_cost = 0.01"}')::text[]),
    ('classify', 'risk_class_parallel', 'serial', 12, :'risk_credit', '{"strategy: Hashed"}', '{}');

-- sanity: the sides compared give identical results, and the parallel plans
-- the same as the serial ones (a risk_class difference there could only come
-- from another order of the floating-point sums: it is counted and shown)
DO $do$
DECLARE
    risk_credit text := (SELECT sql FROM bench.cases WHERE bench = 'risk_class' AND side = 'credit');
    risk_plain text := (SELECT sql FROM bench.cases WHERE bench = 'risk_class' AND side = 'plain');
    counts_credit text := (SELECT sql FROM bench.cases WHERE bench = 'class_counts' AND side = 'credit');
    counts_plain text := (SELECT sql FROM bench.cases WHERE bench = 'class_counts' AND side = 'plain');
    subjects bigint;
    differ bigint;
    classes text;
    a bigint[];
    b bigint[];
    na bigint; nb bigint; nc bigint; nd bigint;
    p bigint[];
    plan jsonb;
    default_plans text;
BEGIN
    -- risk_class: one row per subject on both sides, the same class
    EXECUTE format('CREATE TEMP TABLE risk_serial ON COMMIT DROP AS %s', risk_credit);
    EXECUTE format('SELECT count(*), count(*) FILTER (WHERE c.risk_class IS DISTINCT FROM p.greatest
                                                        OR c.subject_id IS NULL OR p.subject_id IS NULL)
                      FROM risk_serial c FULL JOIN (%s) p USING (subject_id)', risk_plain)
        INTO subjects, differ;
    IF differ <> 0 OR subjects <> (SELECT count(DISTINCT subject_id) FROM bench.ind) THEN
        RAISE EXCEPTION 'risk_class: % of % subjects differ from the plain-SQL class', differ, subjects;
    END IF;
    SELECT string_agg(format('%s %s', coalesce(cls::text, 'NULL'), n), ', ' ORDER BY cls)
      INTO classes
      FROM (SELECT risk_class AS cls, count(*) AS n FROM risk_serial GROUP BY 1) x;
    -- class_counts: the same four counts, and they count every non-NULL row
    EXECUTE counts_credit INTO a;
    EXECUTE counts_plain INTO na, nb, nc, nd;
    b := ARRAY[na, nb, nc, nd];
    IF a IS DISTINCT FROM b OR (SELECT count(c) FROM bench.cls) <> a[1] + a[2] + a[3] + a[4] THEN
        RAISE EXCEPTION 'class_counts % differs from the plain counts %', a, b;
    END IF;
    -- the plans the planner picks with the default costs, two workers allowed
    SET LOCAL max_parallel_workers_per_gather = 2;
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || counts_credit INTO plan;
    default_plans := 'class_counts: ' || bench.plan_summary(plan -> 0 -> 'Plan');
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || risk_credit INTO plan;
    default_plans := default_plans || '; risk_class: ' || bench.plan_summary(plan -> 0 -> 'Plan');
    -- parallel plans
    SET LOCAL min_parallel_table_scan_size = 0;
    SET LOCAL parallel_setup_cost = 0;
    SET LOCAL parallel_tuple_cost = 0.01;
    EXECUTE counts_credit INTO p;
    IF p IS DISTINCT FROM a THEN
        RAISE EXCEPTION 'class_counts in parallel % differs from serial %', p, a;
    END IF;
    EXECUTE format('SELECT count(*) FROM risk_serial s FULL JOIN (%s) c USING (subject_id)
                     WHERE c.risk_class IS DISTINCT FROM s.risk_class', risk_credit)
        INTO differ;
    PERFORM set_config('bench.classes', classes, false);
    PERFORM set_config('bench.counts', a::text, false);
    PERFORM set_config('bench.parallel_differ', differ::text, false);
    PERFORM set_config('bench.default_plans', default_plans, false);
END
$do$;

INSERT INTO bench.sections VALUES
    ('classify', 4, 'Issue 5: classification aggregates',
     (SELECT format('risk_class: %s indicator rows of %s subjects (%s%% NULL scores, %s%% with a cap), classes %s; '
                    'class_counts: %s rows, counts %s and %s NULL; parallel = serial except for %s subjects; '
                    'plans with the default costs and 2 workers allowed: %s',
                    count(*), count(DISTINCT subject_id),
                    round(100.0 * count(*) FILTER (WHERE score IS NULL) / count(*), 1),
                    round(100.0 * count(cap) / count(*), 1),
                    current_setting('bench.classes'),
                    (SELECT count(*) FROM bench.cls), current_setting('bench.counts'),
                    (SELECT count(*) FILTER (WHERE c IS NULL) FROM bench.cls),
                    current_setting('bench.parallel_differ'), current_setting('bench.default_plans'))
        FROM bench.ind));

INSERT INTO bench.report_spec (section, ord, label, bench, side, base, target, op) VALUES
    ('classify', 1, format('risk_class GROUP BY subject, %s rows vs plain SQL', :ind_subjects * :ind_per_subject),
     'risk_class', 'credit', 'plain', 0.5, '<='),
    ('classify', 2, 'risk_class GROUP BY subject vs plain SQL with jit = on (default JIT costs)',
     'risk_class', 'credit', 'plain_jit', NULL, '<='),
    ('classify', 3, 'floor: count(*) GROUP BY subject (no aggregate costs less) vs plain SQL',
     'risk_class', 'floor', 'plain', NULL, '<='),
    ('classify', 4, 'risk_class GROUP BY subject vs its floor, count(*) GROUP BY subject',
     'risk_class', 'credit', 'floor', 1.1, '<='),
    ('classify', 5, format('class_counts, %s rows vs count(*) FILTER x4', :cls_rows),
     'class_counts', 'credit', 'plain', 0.6, '<='),
    ('classify', 6, 'class_counts vs count(*) FILTER x4 with jit = on (default JIT costs)',
     'class_counts', 'credit', 'plain_jit', NULL, '<='),
    ('classify', 7, 'floor: count(c) (the cheapest aggregate over the column) vs count(*) FILTER x4',
     'class_counts', 'floor', 'plain', NULL, '<='),
    ('classify', 8, 'class_counts vs its floor, count(c)',
     'class_counts', 'credit', 'floor', 1.05, '<='),
    ('classify', 9, 'class_counts: 2 workers vs serial',
     'class_counts_parallel', 'parallel', 'serial', 1.0, '<'),
    ('classify', 10, 'risk_class GROUP BY subject: 2 workers (parallel_tuple_cost 0.01) vs serial',
     'risk_class_parallel', 'parallel', 'serial', 1.0, '<');
