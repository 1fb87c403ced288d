-- Part 4: risk classification (分类监管) and 双随机 inspections
\echo
\echo '== 10. Monthly risk classification (A low risk ... D high risk)'
-- three months of indicator scores; subjects drift a little from month to month
SELECT setseed(0.23) \g /dev/null
CREATE TEMP TABLE base AS
SELECT subject_id, 62 + random() * 36 AS level FROM credit.subject;
INSERT INTO credit.indicator_value (period, subject_id, indicator, score)
SELECT m.period, b.subject_id, i.indicator,
       greatest(0, least(100, round((b.level + m.k * (random() - 0.45) * 12 + (random() - 0.5) * 20)::numeric, 1)))
FROM base b
CROSS JOIN credit.risk_indicator i
CROSS JOIN (VALUES (DATE '2026-08-01', 0), (DATE '2026-09-01', 1), (DATE '2026-10-01', 2)) m(period, k)
WHERE i.model = 'default' AND random() < 0.95;
SELECT p AS period, credit.classify_period(p) AS subjects_classified
FROM (VALUES (DATE '2026-08-01'), (DATE '2026-09-01'), (DATE '2026-10-01')) v(p);

\echo '-- class counts per month in one pass (credit.class_counts, a parallel-safe C aggregate):'
SELECT period, credit.class_counts(class) AS "{A,B,C,D}", count(*) FILTER (WHERE capped) AS vetoed_by_a_record
FROM credit.classification GROUP BY period ORDER BY period;

\echo '-- distribution by province, October (credit.class_distribution, for BI tools):'
SELECT province_name, class, subjects, share
FROM credit.class_distribution
WHERE period = '2026-10-01' AND province IN ('11', '31', '44')
ORDER BY province, class;

\echo '-- migration September -> October (credit.class_migration_matrix):'
SELECT from_class, sum(subjects) FILTER (WHERE to_class = 'A') AS "to A", sum(subjects) FILTER (WHERE to_class = 'B') AS "to B",
       sum(subjects) FILTER (WHERE to_class = 'C') AS "to C", sum(subjects) FILTER (WHERE to_class = 'D') AS "to D"
FROM credit.class_migration_matrix WHERE period = '2026-10-01' GROUP BY from_class ORDER BY from_class;

\echo
\echo '== 11. 双随机一公开: a reproducible random draw of subjects and inspectors'
INSERT INTO credit.inspector (name, authority)
SELECT (ARRAY['王','李','张','刘','陈','杨'])[1 + g % 6] || (ARRAY['明','华','军','丽','强','芳','伟'])[1 + g % 7] || '（执法证 ' || lpad(g::text, 4, '0') || '）',
       '市场监督管理局'
FROM generate_series(1, 40) g;
CREATE TEMP TABLE draw AS SELECT * FROM credit.draw_inspections('2026-10-01', '{0.01,0.03,0.10,0.50}', 20261121, 2);
SELECT c.class, count(*) AS subjects, count(d.subject_id) AS drawn,
       round(100.0 * count(d.subject_id) / count(*), 1) AS "drawn %"
FROM credit.classification c LEFT JOIN draw d USING (subject_id)
WHERE c.period = '2026-10-01' GROUP BY c.class ORDER BY c.class;
SELECT d.class, s.name, array_to_string(ARRAY(SELECT i.name FROM credit.inspector i WHERE i.inspector_id = ANY (d.inspector_ids) ORDER BY i.inspector_id), '、') AS inspectors
FROM draw d JOIN credit.subject s USING (subject_id) ORDER BY d.class DESC, d.subject_id LIMIT 4;
SELECT (SELECT array_agg(subject_id ORDER BY subject_id) FROM draw)
     = (SELECT array_agg(subject_id ORDER BY subject_id) FROM credit.draw_inspections('2026-10-01', '{0.01,0.03,0.10,0.50}', 20261121, 2))
       AS same_seed_same_draw;
