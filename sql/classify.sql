--
-- Classification: aggregates, models, classify_period, report views, draws
--
CREATE EXTENSION IF NOT EXISTS credit;
\set SHOW_CONTEXT never
SET search_path = public, credit;
SET datestyle = ISO;

SELECT enum_range(NULL::credit.credit_class) AS classes, 'A'::credit.credit_class < 'D' AS a_better;

-- the aggregates on small inputs
SELECT credit.risk_score(s, w) AS score, credit.risk_class(s, w, c) AS class,
       credit.risk_class(s, w, c, '{95,80,70}') AS strict_model
FROM (VALUES (80.0, 1.0, NULL::credit.credit_class), (100, 3, NULL), (60, 1, NULL)) v(s, w, c);
-- a cap is a veto: no better than the worst cap seen
SELECT credit.risk_class(s, w, c) FROM (VALUES (99.0, 1.0, NULL::credit.credit_class), (NULL, NULL, 'C'), (NULL, NULL, 'B')) v(s, w, c);
SELECT credit.risk_class(s, w, c) FROM (VALUES (10.0, 1.0, 'B'::credit.credit_class)) v(s, w, c);
-- NULL handling: rows without score or weight only count for their cap; empty groups give NULL
SELECT credit.risk_score(s, w) AS score, credit.risk_class(s, w, c) AS class
FROM (VALUES (NULL::float8, 1.0::float8, NULL::credit.credit_class), (50, NULL, NULL)) v(s, w, c);
SELECT credit.risk_score(s, w) AS score, credit.risk_class(s, w, c) AS class, credit.class_counts(c) AS counts
FROM (VALUES (1.0::float8, 1.0::float8, NULL::credit.credit_class)) v(s, w, c) WHERE false;
SELECT credit.risk_class(NULL::float8, NULL, 'D') AS cap_only;
-- zero weights: nothing scored
SELECT credit.risk_score(s, w) FROM (VALUES (70.0, 0.0)) v(s, w);
-- thresholds: boundaries are minimum scores
SELECT s, credit.risk_class_of(s) AS default_model, credit.risk_class_of(s, '{95,80,70}') AS strict
FROM (VALUES (100.0), (90.0), (89.999), (75.0), (60.0), (59.9), (0.0)) v(s);
SELECT credit.risk_class_of(NULL) IS NULL AS null_in;

-- errors
SELECT credit.risk_score(s, 1) FROM (VALUES (101.0)) v(s);
SELECT credit.risk_score(50, w) FROM (VALUES (-1.0)) v(w);
SELECT credit.risk_class(50, 1, NULL, '{60,75,90}');
SELECT credit.risk_class(50, 1, NULL, '{90,75}');
SELECT credit.risk_class(s, 1, NULL, t) FROM (VALUES (50.0, '{90,75,60}'::float8[]), (60, '{95,75,60}')) v(s, t);
SELECT credit.risk_class_of('NaN');
-- sums past double precision, thresholds mixed with NULL in one group
SELECT credit.risk_score(50, 1e308);
SELECT credit.risk_class(s, 1, NULL, t) FROM (VALUES (50.0, '{90,75,60}'::float8[]), (60, NULL)) v(s, t);

-- counts and migration
SELECT credit.class_counts(c) FROM (VALUES ('A'::credit.credit_class), ('C'), ('C'), (NULL), ('D')) v(c);
SELECT credit.class_migration(f, t)
FROM (VALUES ('A'::credit.credit_class, 'A'::credit.credit_class), ('A', 'B'), ('D', 'A'), (NULL, 'B'), ('B', 'B')) v(f, t);
-- moving window (inverse transition)
SELECT n, credit.class_counts(c) OVER (ORDER BY n ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, 'A'::credit.credit_class), (2, 'B'), (3, 'B'), (4, NULL), (5, 'D')) v(n, c);
-- the states are real types with a text form (Citus ships them between nodes)
SELECT '(170,2,2,0,0,1,0,90,75,60)'::credit.risk_acc, '{1,2,3,4}'::credit.class_tally;
SELECT '(1,2,3)'::credit.risk_acc;
SELECT '{1,2,-3,4}'::credit.class_tally;
SELECT '(NaN,1,1,0,0,0,0,,,)'::credit.risk_acc;
SELECT '(500,1,1,0,0,0,0,,,)'::credit.risk_acc;

-- the planner splits them: partial aggregates below a Gather (not a temp
-- table: those are never scanned in parallel)
CREATE TABLE big AS
SELECT g AS id, (g % 101)::float8 AS s, 1 + (g % 3)::float8 AS w,
       (enum_range(NULL::credit.credit_class))[1 + g % 4] AS c
FROM generate_series(1, 100000) g;
ANALYZE big;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT credit.class_counts(c), credit.risk_class(s, w, c) FROM big;
SELECT credit.class_counts(c), credit.risk_class(s, w, c), round(credit.risk_score(s, w)::numeric, 6) FROM big;
RESET max_parallel_workers_per_gather;
SELECT credit.class_counts(c), credit.risk_class(s, w, c), round(credit.risk_score(s, w)::numeric, 6) FROM big;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
DROP TABLE big;

-- a month's classification
INSERT INTO credit.subject (subject_id, uscc, name, region)
SELECT 500 + g, (b || credit.uscc_check_char(b))::credit.uscc, 'co ' || g, r
FROM generate_series(1, 8) g,
     LATERAL (SELECT (ARRAY['110105', '110108', '310115', '440305'])[1 + g % 4] AS r) rr,
     LATERAL (SELECT '91' || rr.r || 'MA' || lpad(g::text, 7, '0') AS b) bb;
INSERT INTO credit.indicator_value (period, subject_id, indicator, score)
SELECT '2026-10-01', 500 + g, i.indicator, least(100, 40 + g * 8 + length(i.indicator))
FROM generate_series(1, 7) g, credit.risk_indicator i WHERE i.model = 'default';
INSERT INTO credit.indicator_value VALUES ('2026-11-01', 501, 'compliance', 95), ('2026-11-01', 502, 'compliance', 30);
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
VALUES (507, 'abnormal_operations', 'general', 'x', '2026-09-01'), (506, 'serious_dishonesty_list', 'serious', 'x', '2026-10-31');
SELECT credit.classify_period('2026-10-15') AS classified;
SELECT subject_id, round(score::numeric, 2) AS score, class, capped FROM credit.classification WHERE period = '2026-10-01' ORDER BY 1;
SELECT credit.classify_period('2026-10-01') AS again;
SELECT count(*) FROM credit.classification WHERE period = '2026-10-01';
SELECT credit.classify_period('2026-11-01');
SELECT credit.classify_period('2026-11-01', 'nope');
SELECT period, province, province_name, class, subjects, share
FROM credit.class_distribution WHERE period = '2026-10-01' AND province = '11' ORDER BY class;
SELECT from_class, to_class, subjects, share_of_from
FROM credit.class_migration_matrix WHERE period = '2026-11-01' AND subjects > 0 ORDER BY 1, 2;
SELECT count(*) AS cells FROM credit.class_migration_matrix WHERE period = '2026-11-01';

-- 双随机: reproducible draws
INSERT INTO credit.inspector (name) SELECT '检查员' || g FROM generate_series(1, 5) g;
SELECT d.subject_id, d.class, cardinality(d.inspector_ids) AS n_inspectors,
       cardinality(ARRAY(SELECT DISTINCT unnest(d.inspector_ids))) AS distinct_inspectors
FROM credit.draw_inspections('2026-10-01', '{0,0.5,1,1}', 42) d;
SELECT (SELECT array_agg(d ORDER BY d.subject_id) FROM credit.draw_inspections('2026-10-01', '{1,1,1,1}', 7, 3) d)
     = (SELECT array_agg(d ORDER BY d.subject_id) FROM credit.draw_inspections('2026-10-01', '{1,1,1,1}', 7, 3) d) AS reproducible;
SELECT * FROM credit.draw_inspections('2026-10-01', '{0.1,0.2}', 1);
SELECT * FROM credit.draw_inspections('2026-10-01', '{1,1,1,1}', 1, 9);
SELECT * FROM credit.draw_inspections('2025-01-01', '{1,1,1,1}', 1);
