-- test/bench/quality.sql -- issue 15: credit.code_quality over a register of
-- generated codes with realistic faults against the same figures computed
-- with plain SQL (credit.uscc_problems, GROUP BY, count(DISTINCT)); run by
-- test/bench/run.sh after common.sql.
--
-- psql variables: quality_rows (rows of the register).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\o /dev/null
SET max_parallel_workers_per_gather = 0;	-- random() must be deterministic

-- ---------------------------------------------------------------------------
-- The register: one row per subject, realistic codes (bench.code_bodies) and
-- Chinese company names, in registration order, with the faults of a county
-- import (shares of the rows):
--   0.05% 重码: the row has the previous subject's code
--   0.05% a name with several codes: the row has the previous subject's name
--   0.02% one subject entered twice (the previous row's code and name, the
--         name with a trailing space): neither
--   0.03% NULL code, 0.01% blank code (missing)
--   0.04% a mistyped character (check_char, mostly also org_code_check;
--         in a Fujian code sometimes taken for a legacy code)
--   0.02% one character short (length), 0.01% the letter O for a 0 (character)
--   0.005% legacy pilot codes (Fujian 350203, the check character not GB 32100's)
--   0.3% lower case, 0.2% spaces and hyphens, 0.1% full width (valid once normalised)
-- ---------------------------------------------------------------------------
SELECT setseed(0.2016);
CREATE TABLE bench.q_reg (id bigint, code text, name text);
INSERT INTO bench.q_reg
SELECT i,
       CASE WHEN r < 0.0005 THEN prev_code
            WHEN r < 0.0010 THEN code
            WHEN r < 0.0012 THEN prev_code
            WHEN r < 0.0015 THEN NULL
            WHEN r < 0.0016 THEN '   '
            WHEN r < 0.0020 THEN overlay(code PLACING substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + floor(r2 * 31)::int, 1)
                                         FROM (ARRAY[1, 2, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18])[1 + floor(r3 * 12)::int] FOR 1)
            WHEN r < 0.0022 THEN left(code, 17)
            WHEN r < 0.0023 THEN overlay(code PLACING 'O' FROM 8 FOR 1)
            WHEN r < 0.00235 THEN legacy_body || substr(replace('0123456789ABCDEFGHJKLMNPQRTUWXY', credit.uscc_check_char(legacy_body), ''),
                                                        1 + floor(r2 * 30)::int, 1)
            WHEN r < 0.00535 THEN lower(code)
            WHEN r < 0.00735 THEN regexp_replace(code, '^(.{6})(.{6})', '\1 \2-')
            WHEN r < 0.00835 THEN translate(code, '0123456789ABCDEFGHJKLMNPQRTUWXY',
                                            '０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ')
            ELSE code END,
       CASE WHEN r >= 0.0005 AND r < 0.0010 THEN prev_name
            WHEN r >= 0.0010 AND r < 0.0012 THEN prev_name || ' '
            ELSE name END
  FROM (SELECT i, code, name, r, r2, r3,
               lag(code) OVER w AS prev_code, lag(name) OVER w AS prev_name,
               overlay(left(code, 17) PLACING '350203' FROM 3) AS legacy_body
          FROM (SELECT i, body17 || credit.uscc_check_char(body17) AS code,
                       (ARRAY['厦门', '福州', '泉州', '丹东', '沈阳', '北京', '上海', '深圳', '成都', '杭州'])[1 + floor(random() * 10)::int]
                       || (ARRAY['恒跃', '云上', '黑脉', '象屿', '中骏', '百度', '锤子', '华丰', '兴业', '海天',
                                 '长城', '东方', '新华', '宏达', '金源', '瑞祥'])[1 + floor(random() * 16)::int]
                       || i
                       || (ARRAY['科技有限公司', '贸易有限公司', '网络科技有限公司', '建筑工程有限公司', '食品有限公司',
                                 '农民专业合作社', '商行', '物流有限公司'])[1 + floor(random() * 8)::int] AS name,
                       random() AS r, random() AS r2, random() AS r3
                  FROM bench.code_bodies(:quality_rows)) b
        WINDOW w AS (ORDER BY i)) f;
VACUUM (ANALYZE) bench.q_reg;

-- ---------------------------------------------------------------------------
-- The plain SQL: the same figures with the extension's row functions
-- (uscc_problems, try_uscc and uscc_legacy normalise and classify a code)
-- and GROUP BY / count(DISTINCT).  Names are compared as code_quality
-- compares them; for the generated names (no inner runs of white space)
-- upper(btrim(translate(full width -> ASCII))) is that key.
-- ---------------------------------------------------------------------------
SELECT set_config('bench.quality_plain', format($q$
WITH c AS MATERIALIZED (
    SELECT CASE WHEN code IS NULL OR translate(code, E' \t-\u3000', '') = '' THEN '{missing}'::text[]
                ELSE credit.uscc_problems(code, true) END AS p,
           code,
           nullif(upper(btrim(translate(name, %L, %L))), '') AS nk
      FROM bench.q_reg
), k AS MATERIALIZED (
    SELECT p, nk,
           CASE WHEN p = '{}' THEN credit.try_uscc(code)
                WHEN p = '{legacy_check_char}' THEN credit.uscc_legacy(code) END AS k
      FROM c
), dup AS (
    SELECT count(*) AS codes, coalesce(sum(n), 0) AS n
      FROM (SELECT count(*) AS n FROM k WHERE k IS NOT NULL AND nk IS NOT NULL
             GROUP BY k HAVING count(DISTINCT nk) > 1) d
), several AS (
    SELECT count(*) AS names
      FROM (SELECT 1 FROM k WHERE k IS NOT NULL AND nk IS NOT NULL
             GROUP BY nk HAVING count(DISTINCT k) > 1) s
), by_problem AS (
    SELECT coalesce(jsonb_object_agg(problem, n), '{}') AS j
      FROM (SELECT problem, count(*) AS n FROM k, unnest(p) problem
             WHERE k IS NULL GROUP BY problem) x
), counts AS (
    SELECT count(*) AS total, count(*) FILTER (WHERE p = '{}') AS valid,
           count(*) FILTER (WHERE k IS NULL) AS invalid,
           count(*) FILTER (WHERE p = '{legacy_check_char}') AS legacy
      FROM k
)
SELECT total, valid, invalid, by_problem.j AS invalid_by_problem, legacy,
       dup.codes AS duplicate_codes, dup.n AS duplicate_rows, several.names AS names_with_several_codes,
       round((invalid + dup.n) * 10000.0 / total, 4) AS error_rate_per_10000
  FROM counts, dup, several, by_problem
$q$,
    -- U+3000 and the full-width forms U+FF01..U+FF5E, and what they become
    (SELECT chr(12288) || string_agg(chr(c), '' ORDER BY c) FROM generate_series(65281, 65374) c),
    (SELECT ' ' || string_agg(chr(c - 65248), '' ORDER BY c) FROM generate_series(65281, 65374) c)), false);
SELECT set_config('bench.quality_credit', $q$SELECT * FROM credit.code_quality('bench.q_reg', 'code', 'name')$q$, false);

-- both give the same figures (checked once, untimed), and they describe the data
CREATE TABLE bench.q_result AS
SELECT * FROM credit.code_quality('bench.q_reg', 'code', 'name');
DO $do$
DECLARE
    c text := (SELECT q::text FROM bench.q_result q);
    p text;
BEGIN
    EXECUTE 'SELECT q::text FROM (' || current_setting('bench.quality_plain') || ') q' INTO p;
    IF c IS DISTINCT FROM p THEN
        RAISE EXCEPTION 'code_quality and the plain SQL differ: % vs %', c, p;
    END IF;
END
$do$;

INSERT INTO bench.cases (section, bench, side, ord, sql, must, settings) VALUES
    ('quality', 'code_quality', 'credit', 1, current_setting('bench.quality_credit'), NULL, '{}'),
    ('quality', 'code_quality', 'plain', 2, current_setting('bench.quality_plain'), NULL, '{}'),
    ('quality', 'code_quality', 'credit_16MB', 3, current_setting('bench.quality_credit'), NULL, '{"SET work_mem = ''16MB''"}'),
    ('quality', 'code_quality', 'detail', 4,
     $q$SELECT count(*) FROM credit.code_quality_detail('bench.q_reg', 'code', 'name')$q$, NULL, '{}');

INSERT INTO bench.sections VALUES
    ('quality', 6, 'Issue 15: code-quality report (重错码)',
     (SELECT format('%s rows of generated codes and Chinese company names, faults as a county import has them '
                    '(test/bench/quality.sql): valid %s, invalid %s %s, legacy %s, %s duplicate codes on %s rows, '
                    '%s names with several codes, error rate %s per 10 000; '
                    'code_quality and the plain SQL give the same row',
                    total, valid, invalid, invalid_by_problem, legacy, duplicate_codes, duplicate_rows,
                    names_with_several_codes, error_rate_per_10000)
        FROM bench.q_result));

INSERT INTO bench.report_spec (section, ord, label, bench, side, base, target, op) VALUES
    ('quality', 1, format('code_quality, %s rows with names vs plain SQL (uscc_problems + GROUP BY, count(DISTINCT))', :quality_rows),
     'code_quality', 'credit', 'plain', 0.5, '<='),
    ('quality', 2, 'code_quality with work_mem = 16MB (both sorts on disk) vs work_mem = 1GB',
     'code_quality', 'credit_16MB', 'credit', NULL, '<='),
    ('quality', 3, 'code_quality_detail (the correction list, counted) vs code_quality',
     'code_quality', 'detail', 'credit', NULL, '<=');
