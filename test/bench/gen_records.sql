-- test/bench/gen_records.sql -- a generator of realistic dishonesty/penalty
-- records with the columns of credit.record, shared by records.sql
-- (issue 3) and repair.sql (issue 4).  Deterministic after setseed() in a
-- serial plan.
--
-- Mix: administrative penalties (minor/general/serious), the serious
-- dishonesty list (serious), abnormal operations (general), judgment
-- defaulters (serious); rulesets national, national-2019, dandong and NULL
-- (the default ruleset); decisions over 2022-01-01 .. 2026-10-31, disclosed
-- a few days later or NULL (= the decision date), ~45% corrected within
-- half a year, a few Dandong records in one of the never-repairable
-- categories.  Subjects 1..subjects, skewed: some subjects have many records.

CREATE OR REPLACE FUNCTION bench.gen_records(n bigint, subjects bigint)
RETURNS TABLE (record_id bigint, subject_id bigint, category text, severity text,
               excluded_category smallint, authority text, decided_on date,
               disclosed_on date, corrected_on date, ruleset text)
LANGUAGE sql VOLATILE AS $fn$
    SELECT i,
           1 + floor(subjects * r_subj ^ 1.5)::bigint,
           CASE WHEN r_cat < 0.55 THEN 'administrative_penalty'
                WHEN r_cat < 0.65 THEN 'serious_dishonesty_list'
                WHEN r_cat < 0.90 THEN 'abnormal_operations'
                ELSE 'judgment_defaulter' END,
           CASE WHEN r_cat < 0.11 THEN 'minor'
                WHEN r_cat < 0.36 THEN 'general'
                WHEN r_cat < 0.55 THEN 'serious'
                WHEN r_cat < 0.65 THEN 'serious'
                WHEN r_cat < 0.90 THEN 'general'
                ELSE 'serious' END,
           CASE WHEN r_rs >= 0.70 AND r_rs < 0.85 AND r_excl < 0.03
                THEN (1 + floor(r_excl * 200))::smallint END,          -- 1..6
           CASE WHEN r_cat >= 0.90 THEN '人民法院'
                ELSE (ARRAY['市场监督管理局', '税务局', '生态环境局', '应急管理局',
                            '住房和城乡建设局', '人力资源和社会保障局'])[1 + floor(r_auth * 6)::int] END,
           decided,
           CASE WHEN r_disc < 0.4 THEN NULL ELSE least(decided + floor(r_disc * 100)::int % 10, current_date) END,
           CASE WHEN r_corr < 0.45 THEN least(decided + floor(r_corr * 400)::int, current_date) END,   -- 0..179 days, never after today
           CASE WHEN r_rs < 0.45 THEN 'national'
                WHEN r_rs < 0.70 THEN 'national-2019'
                WHEN r_rs < 0.85 THEN 'dandong' END
      FROM (SELECT i, random() AS r_subj, random() AS r_cat, random() AS r_rs,
                   random() AS r_excl, random() AS r_auth, random() AS r_disc, random() AS r_corr,
                   date '2022-01-01' + floor(random() * (date '2026-11-01' - date '2022-01-01'))::int AS decided
              FROM generate_series(1, n) i
            OFFSET 0) g
$fn$;

-- one line about a table of such records
CREATE OR REPLACE FUNCTION bench.describe_records(tab regclass) RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
    d text;
BEGIN
    EXECUTE format($q$
        WITH t AS (SELECT * FROM %s), n AS (SELECT count(*)::numeric AS n FROM t)
        SELECT format('%%s records of %%s subjects; %%s; rulesets %%s; decided %%s .. %%s, %%s%%%% with disclosed_on, %%s%%%% corrected',
                      (SELECT n FROM n), (SELECT count(DISTINCT subject_id) FROM t),
                      (SELECT string_agg(format('%%s %%s %%s%%%%', category, severity, round(100 * c / (SELECT n FROM n))), ', ' ORDER BY c DESC)
                         FROM (SELECT category, severity, count(*) AS c FROM t GROUP BY 1, 2) x),
                      (SELECT string_agg(format('%%s %%s%%%%', coalesce(ruleset, 'NULL'), round(100 * c / (SELECT n FROM n))), ', ' ORDER BY c DESC)
                         FROM (SELECT ruleset, count(*) AS c FROM t GROUP BY 1) x),
                      min(decided_on), max(decided_on),
                      round(100 * count(disclosed_on) / (SELECT n FROM n)),
                      round(100 * count(corrected_on) / (SELECT n FROM n)))
          FROM t$q$, tab) INTO d;
    RETURN d;
END
$fn$;
