-- pgTAP: credit.code_quality and credit.code_quality_detail on a register
-- built with known counts of every fault (SPEC §9, 重错码)
BEGIN;
SELECT plan(25);
SET LOCAL search_path = public;

-- GB 11714 check character of 8 characters, and a code that passes every
-- strict check: department/category dc, region, organisation code from n
CREATE FUNCTION pg_temp.org_check(o text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END
    FROM (SELECT 11 - sum(CASE WHEN substr(o, i::int, 1) ~ '[0-9]' THEN substr(o, i::int, 1)::int
                               ELSE ascii(substr(o, i::int, 1)) - 55 END * w) % 11 AS c
          FROM unnest(ARRAY[3, 7, 9, 10, 5, 8, 4, 2]) WITH ORDINALITY AS t(w, i)) s $$;
CREATE FUNCTION pg_temp.body(dc text, region text, n int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT dc || region || o || pg_temp.org_check(o) FROM (SELECT lpad(n::text, 8, '0') AS o) s $$;
CREATE FUNCTION pg_temp.code(dc text, region text, n int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT b || credit.uscc_check_char(b) FROM (SELECT pg_temp.body(dc, region, n) AS b) s $$;
-- the full-width form of ASCII text
CREATE FUNCTION pg_temp.fw(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(chr(ascii(c) + 65248), '' ORDER BY i) FROM regexp_split_to_table(t, '') WITH ORDINALITY AS s(c, i) $$;
-- a check character that is not the computed one
CREATE FUNCTION pg_temp.wrong(b text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN credit.uscc_check_char(b) = '0' THEN '1' ELSE '0' END $$;

CREATE TABLE reg (code text, name text);
-- valid, one code one name: 1000 rows, 50 of them full-width, 50 spaced, hyphenated, lower case
INSERT INTO reg SELECT pg_temp.code('91', (ARRAY['350100', '110000', '440300', '210600'])[1 + g % 4], g), 'valid ' || g
FROM generate_series(1, 900) g;
INSERT INTO reg SELECT pg_temp.fw(pg_temp.code('92', '350200', g)), 'full-width ' || g FROM generate_series(901, 950) g;
INSERT INTO reg SELECT lower(regexp_replace(pg_temp.code('93', '440300', g), '(....)', '\1 -', 'g')), 'spaced ' || g
FROM generate_series(951, 1000) g;
-- one subject entered twice (the same code and name, written differently): no duplicate
INSERT INTO reg SELECT pg_temp.code('91', '350100', g), n
FROM generate_series(1001, 1010) g, LATERAL (VALUES ('厦门某（有限合伙）' || g), (' 厦门某(有限合伙)' || g || ' ')) v(n);
-- 重码: 30 codes held by 2 names, 10 by 3 (one of the rows full-width)
INSERT INTO reg SELECT pg_temp.code('91', '350100', 2000 + g), 'dup2 ' || g || k FROM generate_series(1, 30) g, generate_series(1, 2) k;
INSERT INTO reg SELECT CASE k WHEN 3 THEN pg_temp.fw(c) ELSE c END, 'dup3 ' || g || k
FROM generate_series(1, 10) g, generate_series(1, 3) k, LATERAL (SELECT pg_temp.code('91', '110000', 3000 + g) AS c) s;
-- names with several codes: 15 names with 2 codes, 5 with 3
INSERT INTO reg SELECT pg_temp.code('91', '440300', 4000 + 10 * g + k), 'several2 ' || g FROM generate_series(1, 15) g, generate_series(1, 2) k;
INSERT INTO reg SELECT pg_temp.code('91', '440300', 5000 + 10 * g + k), 'several3 ' || g FROM generate_series(1, 5) g, generate_series(1, 3) k;
-- valid codes without a name (NULL or blank): no part in the name comparisons
INSERT INTO reg SELECT pg_temp.code('91', '350100', 6000 + g), CASE WHEN g % 2 = 0 THEN NULL ELSE ' ' END FROM generate_series(1, 10) g;
-- legacy pilot codes: the five published ones and 20 more Fujian bodies with a wrong check character
INSERT INTO reg VALUES ('91350203M0001QKT19', '厦门 pilot 1'), ('91350211M0000XUF46', '厦门 pilot 2'), ('91350100M0001TGQXM', '福建 pilot 3'),
                       ('91350203M0001FUE2P', '厦门 pilot 4'), ('91350211M00013FA1N', '厦门 pilot 5');
INSERT INTO reg SELECT b || pg_temp.wrong(b), 'legacy ' || g FROM generate_series(1, 20) g, LATERAL (SELECT pg_temp.body('91', '350203', 7000 + g) AS b) s;
-- invalid, one problem each
INSERT INTO reg SELECT left(pg_temp.code('91', '110000', 8000 + g), 17), 'length ' || g FROM generate_series(1, 7) g;
INSERT INTO reg SELECT left(pg_temp.code('91', '110000', 8100 + g), 17) || 'I', 'character ' || g FROM generate_series(1, 6) g;
INSERT INTO reg SELECT b || credit.uscc_check_char(b), 'region ' || g FROM generate_series(1, 5) g,
    LATERAL (SELECT overlay(pg_temp.body('91', '110000', 8200 + g) PLACING 'A' FROM 5) AS b) s;
INSERT INTO reg SELECT b || pg_temp.wrong(b), 'check ' || g FROM generate_series(1, 8) g, LATERAL (SELECT pg_temp.body('91', '440300', 8300 + g) AS b) s;
INSERT INTO reg SELECT b || credit.uscc_check_char(b), 'department ' || g FROM generate_series(1, 4) g, LATERAL (SELECT pg_temp.body('B1', '110000', 8400 + g) AS b) s;
INSERT INTO reg SELECT b || credit.uscc_check_char(b), 'category ' || g FROM generate_series(1, 3) g, LATERAL (SELECT pg_temp.body('94', '110000', 8500 + g) AS b) s;
INSERT INTO reg SELECT b || credit.uscc_check_char(b), 'org ' || g FROM generate_series(1, 9) g,
    LATERAL (SELECT overlay(pg_temp.body('91', '110000', 8600 + g) PLACING CASE WHEN pg_temp.org_check(lpad((8600 + g)::text, 8, '0')) = '1' THEN '2' ELSE '1' END FROM 17) AS b) s;
INSERT INTO reg SELECT pg_temp.code('91', '990000', 8700 + g), 'province ' || g FROM generate_series(1, 2) g;
INSERT INTO reg SELECT pg_temp.code('91', '110000', 8800 + g) || '(legacy)', 'marker ' || g FROM generate_series(1, 2) g;
INSERT INTO reg SELECT c, 'missing ' || g FROM generate_series(1, 7) g, LATERAL (SELECT CASE WHEN g <= 4 THEN NULL ELSE repeat(' ', g) END AS c) s;

-- the known counts
CREATE TEMP TABLE want AS SELECT
    1000 + 20 + 90 + 45 + 10 AS valid,                    -- 1165
    25 AS legacy,
    7 + 6 + 5 + 8 + 4 + 3 + 9 + 2 + 2 + 7 AS invalid,    -- 53
    40 AS duplicate_codes, 90 AS duplicate_rows, 20 AS names_with_several_codes;
CREATE TEMP TABLE got AS SELECT * FROM credit.code_quality('reg', 'code', 'name');

SELECT is((SELECT total FROM got), (SELECT count(*) FROM reg), 'total: every row');
SELECT is((SELECT total FROM got), (SELECT valid + legacy + invalid FROM want)::bigint, 'total = valid + legacy + invalid');
SELECT is((SELECT valid FROM got), (SELECT valid FROM want)::bigint, 'valid: 1165 (full-width, spaced and lower-case codes normalised)');
SELECT is((SELECT legacy FROM got), 25::bigint, 'legacy: the 5 published pilot codes and 20 more');
SELECT is((SELECT invalid FROM got), (SELECT invalid FROM want)::bigint, 'invalid: 53, NULL and blank codes included');
SELECT is((SELECT invalid_by_problem FROM got),
          '{"length": 7, "character": 6, "region_digits": 5, "check_char": 8, "department": 4, "category": 3,
            "org_code_check": 9, "province": 2, "legacy_marker": 2, "missing": 7}'::jsonb,
          'invalid_by_problem: every problem counted exactly');
SELECT is((SELECT duplicate_codes FROM got), 40::bigint, 'duplicate_codes (重码): 40 codes held by two or more names');
SELECT is((SELECT duplicate_rows FROM got), 90::bigint, 'duplicate_rows: their 90 rows');
SELECT is((SELECT names_with_several_codes FROM got), 20::bigint, 'names_with_several_codes: 20');
SELECT is((SELECT error_rate_per_10000 FROM got), round((53 + 90) * 10000.0 / (SELECT count(*) FROM reg), 4),
          'error_rate_per_10000 = (invalid + duplicate_rows) * 10000 / total');

-- the correction list: one row per problem found
CREATE TEMP TABLE detail AS SELECT * FROM credit.code_quality_detail('reg', 'code', 'name');
SELECT is((SELECT jsonb_object_agg(problem, n) FROM (SELECT problem, count(*) AS n FROM detail GROUP BY problem) s),
          '{"length": 7, "character": 6, "region_digits": 5, "check_char": 8, "department": 4, "category": 3,
            "org_code_check": 9, "province": 2, "legacy_marker": 2, "missing": 7,
            "legacy_check_char": 25, "duplicate_code": 90, "several_codes": 45}'::jsonb,
          'detail rows per problem: invalid ones, legacy ones, each name of a duplicate code, each code of a name');
SELECT is((SELECT count(DISTINCT code) FROM detail WHERE problem = 'duplicate_code'), 40::bigint, '... 40 different duplicate codes');
SELECT is((SELECT count(DISTINCT name) FROM detail WHERE problem = 'several_codes'), 20::bigint, '... 20 names with several codes');
SELECT is((SELECT count(*) FROM detail WHERE problem = 'duplicate_code' AND code !~ '^[0-9A-Y]{18}$'), 0::bigint,
          'valid codes are listed in canonical form (the full-width ones too)');
SELECT ok((SELECT bool_and(code = left(pg_temp.code('91', '110000', 8000 + substr(name, 8)::int), 17)) FROM detail WHERE problem = 'length'),
          'invalid codes are listed as stored');
SELECT is((SELECT count(*) FROM detail WHERE problem = 'missing' AND code IS NULL), 4::bigint, 'NULL codes: missing, code NULL');
SELECT is((SELECT count(*) FROM detail WHERE name LIKE '厦门某%' OR name IS NULL OR btrim(name) = ''), 0::bigint,
          'one subject entered twice, and rows without a name, are not listed');

-- without a name column every row is a holder of its own
SELECT is((SELECT row(duplicate_codes, duplicate_rows, names_with_several_codes) FROM credit.code_quality('reg', 'code'))::text,
          row(40 + 10, 90 + 20, NULL::bigint)::text, 'without names: a code on two or more rows is a duplicate; no names_with_several_codes');

-- beyond work_mem the sorts spill to disk, with the same results
CREATE TABLE big AS SELECT code, name || ' #' || r AS name FROM reg, generate_series(1, 20) r;
INSERT INTO big SELECT code, name FROM reg;
SET LOCAL work_mem = '64kB';
CREATE TEMP TABLE small_mem AS SELECT * FROM credit.code_quality('big', 'code', 'name');
CREATE TEMP TABLE small_mem_detail AS SELECT problem, count(*) AS n FROM credit.code_quality_detail('big', 'code', 'name') GROUP BY problem;
SET LOCAL work_mem = '1GB';
SELECT is((SELECT small_mem::text FROM small_mem), (SELECT q::text FROM credit.code_quality('big', 'code', 'name') q),
          'work_mem 64kB (sorts on disk) = work_mem 1GB');
SELECT is((SELECT array_agg(problem || n ORDER BY problem) FROM small_mem_detail),
          (SELECT array_agg(problem || n ORDER BY problem) FROM (SELECT problem, count(*) AS n FROM credit.code_quality_detail('big', 'code', 'name') GROUP BY problem) s),
          '... and the same correction list');

-- rights and errors
SELECT is((SELECT prosecdef FROM pg_proc WHERE oid = 'credit.code_quality(regclass, name, name)'::regprocedure), false,
          'code_quality runs with the caller''s rights (not SECURITY DEFINER)');
SELECT throws_ok($$SELECT credit.code_quality('no_such_register', 'code')$$, '42P01', NULL, 'unknown table: 42P01');
SELECT throws_ok($$SELECT credit.code_quality('reg', 'kode')$$, '42703', NULL, 'unknown column: 42703');
SELECT throws_ok($$SELECT credit.code_quality('big', 'code', 'nonesuch')$$, '42703', NULL, 'unknown name column: 42703');
CREATE TABLE numbers (code bigint, name text);
SELECT throws_ok($$SELECT credit.code_quality('numbers', 'code', 'name')$$, '42804', NULL, 'a non-text code column: 42804');

SELECT * FROM finish();
ROLLBACK;
