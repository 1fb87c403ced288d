-- pgTAP: classification aggregates against plain SQL on random data, the
-- monthly classification, the report views and 双随机 draws
BEGIN;
SELECT plan(29);
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
BEGIN RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q; END $f$;
SET LOCAL search_path = public, credit;

-- random rows: 400 groups (some empty of scores, some with only caps, NULLs everywhere)
SELECT setseed(0.5);
CREATE TEMP TABLE r AS
SELECT g % 400 AS grp,
       CASE WHEN random() < 0.1 THEN NULL ELSE round((random() * 100)::numeric, 2)::float8 END AS s,
       CASE WHEN random() < 0.1 THEN NULL WHEN random() < 0.05 THEN 0 ELSE round((random() * 5)::numeric, 2)::float8 END AS w,
       CASE WHEN random() < 0.9 THEN NULL ELSE (enum_range(NULL::credit.credit_class))[1 + floor(random() * 4)::int] END AS c,
       CASE WHEN random() < 0.2 THEN NULL ELSE (enum_range(NULL::credit.credit_class))[1 + floor(random() * 4)::int] END AS c2
FROM generate_series(1, 20000) g
WHERE (g % 400) NOT BETWEEN 390 AND 394 OR random() < 0.001;
INSERT INTO r SELECT 1000 + g, NULL, NULL, NULL, NULL FROM generate_series(1, 5) g;   -- groups of NULLs only

-- the plain-SQL formulation
CREATE TEMP TABLE plain AS
SELECT grp,
       sum(s * w) FILTER (WHERE s IS NOT NULL AND w IS NOT NULL)
         / nullif(sum(w) FILTER (WHERE s IS NOT NULL AND w IS NOT NULL), 0) AS score,
       max(c) AS worst_cap,
       ARRAY[count(*) FILTER (WHERE c2 = 'A'), count(*) FILTER (WHERE c2 = 'B'),
             count(*) FILTER (WHERE c2 = 'C'), count(*) FILTER (WHERE c2 = 'D')] AS counts
FROM r GROUP BY grp;
ALTER TABLE plain ADD COLUMN class credit.credit_class;
UPDATE plain SET class = (SELECT max(x) FROM (VALUES (worst_cap),
    (CASE WHEN score IS NULL THEN NULL WHEN score >= 80 THEN 'A' WHEN score >= 65 THEN 'B'
          WHEN score >= 50 THEN 'C' ELSE 'D' END::credit.credit_class)) v(x));

CREATE TEMP TABLE agg AS
SELECT grp, credit.risk_score(s, w) AS score, credit.risk_class(s, w, c, '{80,65,50}') AS class,
       credit.class_counts(c2) AS counts
FROM r GROUP BY grp;

SELECT is((SELECT count(*)::int FROM plain p JOIN agg a USING (grp)
           WHERE NOT (a.score IS NULL AND p.score IS NULL) AND NOT abs(a.score - p.score) < 1e-9), 0,
          'risk_score equals sum(s*w)/sum(w) over rows with both (400 groups)');
SELECT is((SELECT count(*)::int FROM plain p JOIN agg a USING (grp) WHERE a.class IS DISTINCT FROM p.class), 0,
          'risk_class equals thresholds + worst cap in plain SQL, NULLs and empty groups included');
SELECT is((SELECT count(*)::int FROM plain p JOIN agg a USING (grp) WHERE a.counts <> p.counts), 0,
          'class_counts equals count(*) FILTER x4');
SELECT ok((SELECT count(*) FROM agg WHERE score IS NULL) > 0 AND (SELECT count(*) FROM agg WHERE class IS NULL) > 0,
          'the data has groups without scores and groups with no class at all');
SELECT is((SELECT credit.class_migration(c, c2) FROM r),
          (SELECT array_agg(row_n ORDER BY f) FROM (
              SELECT f, array_agg((SELECT count(*) FROM r WHERE r.c = f AND r.c2 = t) ORDER BY t) AS row_n
              FROM unnest(enum_range(NULL::credit.credit_class)) f, unnest(enum_range(NULL::credit.credit_class)) t
              GROUP BY f) m),
          'class_migration equals a 4x4 count in plain SQL');
-- moving windows use the inverse transition and agree with plain window counts
SELECT is((SELECT count(*)::int FROM (
              SELECT credit.class_counts(c2) OVER w AS fast,
                     ARRAY[count(*) FILTER (WHERE c2 = 'A') OVER w, count(*) FILTER (WHERE c2 = 'B') OVER w,
                           count(*) FILTER (WHERE c2 = 'C') OVER w, count(*) FILTER (WHERE c2 = 'D') OVER w] AS plain
              FROM r WINDOW w AS (PARTITION BY grp ORDER BY s, w, c, c2 ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING)) q
           WHERE fast <> plain), 0,
          'class_counts over a moving window (inverse transition) equals count(*) FILTER x4 over it');
-- parallel and serial plans give the same results (a regular table: temp
-- tables are never scanned in parallel)
CREATE TABLE public.credit_tap_big AS SELECT * FROM r, generate_series(1, 10) k;
ANALYZE public.credit_tap_big;
SELECT set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0', true),
       set_config('min_parallel_table_scan_size', '0', true), set_config('max_parallel_workers_per_gather', '2', true);
SELECT ok((SELECT string_agg(l, E'\n') FROM pg_temp.plan_of(
              'SELECT credit.risk_class(s, w, c), credit.class_counts(c2), credit.class_migration(c, c2), '
              'credit.risk_score(s, w) FROM public.credit_tap_big') l) ~ 'Partial Aggregate',
          'the aggregates run as partial aggregates in parallel workers');
CREATE TEMP TABLE par AS SELECT credit.risk_class(s, w, c) AS cls, credit.class_counts(c2) AS cnt,
                                credit.class_migration(c, c2) AS mig, credit.risk_score(s, w) AS sc FROM public.credit_tap_big;
SELECT set_config('max_parallel_workers_per_gather', '0', true);
CREATE TEMP TABLE ser AS SELECT credit.risk_class(s, w, c) AS cls, credit.class_counts(c2) AS cnt,
                                credit.class_migration(c, c2) AS mig, credit.risk_score(s, w) AS sc FROM public.credit_tap_big;
SELECT ok((SELECT p.cls = s.cls AND p.cnt = s.cnt AND p.mig = s.mig AND abs(p.sc - s.sc) < 1e-9 FROM par p, ser s),
          'parallel (combine) and serial aggregation agree');

-- classify_period on random subjects: every subject, idempotent, equal to plain SQL
INSERT INTO credit.subject (subject_id, uscc, name, region)
SELECT 800000 + g, (b || credit.uscc_check_char(b))::credit.uscc, 's' || g, '3501' || lpad((g % 100)::text, 2, '0')
FROM generate_series(1, 300) g, LATERAL (SELECT '913501' || lpad((g % 100)::text, 2, '0') || 'MA' || lpad(g::text, 7, '0') AS b) x;
INSERT INTO credit.indicator_value (period, subject_id, indicator, score)
SELECT m, 800000 + g, i.indicator, round((random() * 100)::numeric)
FROM generate_series(1, 300) g, credit.risk_indicator i, (VALUES (DATE '2026-09-01'), (DATE '2026-10-01')) p(m)
WHERE i.model = 'default' AND random() < 0.8 AND g % 17 <> 0;
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
SELECT 800000 + g, CASE WHEN g % 2 = 0 THEN 'abnormal_operations' ELSE 'serious_dishonesty_list' END,
       CASE WHEN g % 2 = 0 THEN 'general' ELSE 'serious' END, 'x', '2026-08-01'
FROM generate_series(1, 300) g WHERE g % 11 = 0;
SELECT is(credit.classify_period('2026-10-01'), (SELECT count(*) FROM credit.subject), 'every subject is classified');
CREATE TEMP TABLE first_run AS SELECT subject_id, class, score, ctid::text AS at FROM credit.classification WHERE period = '2026-10-01';
SELECT is(credit.classify_period('2026-10-01'), (SELECT count(*) FROM credit.subject), 're-running a month replaces it');
SELECT is((SELECT count(*)::int FROM credit.classification c JOIN first_run f USING (subject_id)
           WHERE c.period = '2026-10-01' AND c.ctid::text <> f.at), 0,
          're-running with unchanged inputs writes no row (every row where it was)');
SELECT min(subject_id) AS changed FROM credit.indicator_value WHERE period = '2026-10-01' AND subject_id > 800000 \gset
UPDATE credit.indicator_value SET score = 100 - score WHERE period = '2026-10-01' AND subject_id = :changed;
SELECT is(credit.classify_period('2026-10-01'), (SELECT count(*) FROM credit.subject), 're-running after a change');
SELECT is((SELECT array_agg(c.subject_id ORDER BY c.subject_id) FROM credit.classification c JOIN first_run f USING (subject_id)
           WHERE c.period = '2026-10-01' AND c.ctid::text <> f.at), ARRAY[:changed::bigint],
          '... rewrites only the changed subject''s row');
SELECT is((SELECT count(*)::int FROM credit.classification c
           JOIN (SELECT v.subject_id, sum(v.score * i.weight) / sum(i.weight) AS score
                 FROM credit.indicator_value v JOIN credit.risk_indicator i ON i.model = 'default' AND i.indicator = v.indicator
                 WHERE v.period = '2026-10-01' GROUP BY 1) p USING (subject_id)
           WHERE c.period = '2026-10-01' AND NOT abs(c.score - p.score) < 1e-9), 0,
          'classification scores equal the weighted mean in plain SQL');
SELECT is((SELECT count(*)::int FROM credit.classification c
           WHERE c.period = '2026-10-01' AND c.subject_id > 800000 AND (c.subject_id - 800000) % 11 = 0
             AND c.class < CASE WHEN (c.subject_id - 800000) % 2 = 0 THEN 'C' ELSE 'D' END::credit.credit_class), 0,
          'caps: abnormal operations => at least C, serious dishonesty list => D');
SELECT is((SELECT count(*)::int FROM credit.classification c
           WHERE c.period = '2026-10-01' AND c.subject_id > 800000 AND (c.subject_id - 800000) % 17 = 0
             AND (c.subject_id - 800000) % 11 <> 0 AND (c.score IS NOT NULL OR c.class <> 'B')), 0,
          'subjects without scores or caps get the model''s default class');
SELECT is((SELECT sum(subjects)::int FROM credit.class_distribution WHERE period = '2026-10-01'),
          (SELECT count(*)::int FROM credit.classification WHERE period = '2026-10-01'), 'class_distribution adds up');

-- the digest a run logs: the month's rows sorted, whatever extra_float_digits says
SELECT is((SELECT d.sha256 FROM credit.classification_month('2026-10-01') d),
          (SELECT encode(sha256(convert_to(string_agg(c.subject_id || ',' || c.model || ',' || coalesce(c.score::text, '') || ','
                                                      || c.class || ',' || c.capped, E'\n' ORDER BY c.subject_id), 'UTF8')), 'hex')
           FROM credit.classification c WHERE c.period = '2026-10-01'),
          'classification_month: the SHA-256 of the sorted rows (subject_id, model, score, class, capped)');
SELECT is((SELECT d.rows FROM credit.classification_month('2026-10-01') d),
          (SELECT count(*) FROM credit.classification WHERE period = '2026-10-01'), '... and their count');
SET LOCAL extra_float_digits = 0;
SELECT is(credit.classification_digest('2026-10-01'), (SELECT d.sha256 FROM credit.classification_month('2026-10-01') d),
          '... the same with extra_float_digits = 0 (scores written as float8out writes them by default)');
RESET extra_float_digits;
SELECT is((SELECT d.sha256 FROM credit.classification_month('2026-07-01') d), encode(sha256(''), 'hex'),
          '... and for a month with no rows, the digest of nothing');

-- no foreign keys, but what they did on the other side
SELECT throws_ok($$DELETE FROM credit.subject WHERE subject_id = 800001$$, '23503', NULL,
                 'a classified subject cannot be deleted');
SELECT throws_ok($$UPDATE credit.subject SET subject_id = 899999 WHERE subject_id = 800001$$, '23503', NULL,
                 '... nor renumbered');
INSERT INTO credit.risk_model (model, name) VALUES ('local', 'local model');
INSERT INTO credit.risk_indicator (model, indicator, name, weight) SELECT 'local', indicator, name, weight FROM credit.risk_indicator WHERE model = 'default';
SELECT credit.classify_period('2026-09-01', 'local');
UPDATE credit.risk_model SET model = 'local2' WHERE model = 'local';
SELECT is((SELECT array_agg(DISTINCT model) FROM credit.classification WHERE period = '2026-09-01'), '{local2}',
          'renaming a model renames it in the classifications');
SELECT throws_ok($$DELETE FROM credit.risk_model WHERE model = 'local2'$$, '23503', NULL,
                 'a model that classified subjects cannot be deleted');

-- 双随机: reproducible, ratios honoured, independent of physical order, distinct inspectors
INSERT INTO credit.inspector (name) SELECT 'i' || g FROM generate_series(1, 12) g;
CREATE TEMP TABLE d1 AS SELECT * FROM credit.draw_inspections('2026-10-01', '{0.1,0.2,0.5,1}', 2026, 3);
-- rewrite the classification in another physical order, then draw again
CREATE TEMP TABLE keep AS SELECT * FROM credit.classification WHERE period = '2026-10-01' ORDER BY random();
DELETE FROM credit.classification WHERE period = '2026-10-01';
INSERT INTO credit.classification SELECT * FROM keep ORDER BY subject_id DESC;
CREATE TEMP TABLE d2 AS SELECT * FROM credit.draw_inspections('2026-10-01', '{0.1,0.2,0.5,1}', 2026, 3);
SELECT ok((SELECT array_agg(d1 ORDER BY subject_id)::text FROM d1) = (SELECT array_agg(d2 ORDER BY subject_id)::text FROM d2),
          'the same seed and data give the same draw, whatever the physical order');
SELECT is((SELECT count(*)::int FROM (
              SELECT c.class, count(*) AS n, (SELECT count(*) FROM d1 WHERE d1.class = c.class) AS drawn
              FROM credit.classification c WHERE c.period = '2026-10-01' GROUP BY c.class) x
           WHERE drawn <> round(n * (ARRAY[0.1, 0.2, 0.5, 1])[array_position(enum_range(NULL::credit.credit_class), class)])), 0,
          'each class''s share is honoured within rounding');
SELECT ok((SELECT bool_and(cardinality(inspector_ids) = 3
                           AND cardinality(ARRAY(SELECT DISTINCT unnest(inspector_ids))) = 3) FROM d1)
          AND (SELECT count(DISTINCT inspector_ids) > 1 FROM d1)
          AND (SELECT array_agg(subject_id ORDER BY subject_id) FROM credit.draw_inspections('2026-10-01', '{0.1,0.2,0.5,1}', 7, 3))
              <> (SELECT array_agg(subject_id ORDER BY subject_id) FROM d1),
          'three distinct inspectors per inspection, varied, and another seed draws differently');

-- memory: a hash aggregate keeps one risk_acc (88 bytes, a 128-byte chunk)
-- per group, not two -- the state made for a group's first row is copied
-- into the aggregate's context by the executor, so it must not be allocated
-- there too (it was, and stayed there: 335 bytes a group instead of 168)
CREATE FUNCTION pg_temp.hash_kb(q text) RETURNS numeric LANGUAGE plpgsql AS $f$
DECLARE p json;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, FORMAT JSON) ' || q INTO p;
    RETURN (p -> 0 -> 'Plan' ->> 'Peak Memory Usage')::numeric;
END $f$;
SET LOCAL work_mem = '64MB';
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT cmp_ok((pg_temp.hash_kb('SELECT g, credit.risk_class(50, 1, NULL) FROM generate_series(1, 50000) g GROUP BY g')
               - pg_temp.hash_kb('SELECT g, count(*) FROM generate_series(1, 50000) g GROUP BY g')) * 1024 / 50000,
              '<', 250::numeric, 'risk_class: one transition state per group in a hash aggregate (bytes a group over count(*))');

SELECT * FROM finish();
ROLLBACK;
