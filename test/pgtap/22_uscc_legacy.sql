-- pgTAP: legacy pilot codes in credit.uscc (SPEC §1).  The five published
-- codes: 91350203M0001QKT19 from hutool issue #4119 (reported as a real
-- company); 91350211M0000XUF46, 91350100M0001TGQXM, 91350203M0001FUE2P from
-- the README of bluesky335/IDCheck (with the companies' names);
-- 91350211M00013FA1N from hutool's CreditCodeUtilTest.isCreditCode2.
BEGIN;
SELECT plan(28);
SET LOCAL search_path = public;

CREATE TEMP TABLE pilot (t text PRIMARY KEY);
INSERT INTO pilot VALUES ('91350203M0001QKT19'), ('91350211M0000XUF46'), ('91350100M0001TGQXM'),
                         ('91350203M0001FUE2P'), ('91350211M00013FA1N');

-- the contract
SELECT is((SELECT typlen::int FROM pg_type WHERE oid = 'credit.uscc'::regtype), 10, 'still fixed length, 10 bytes');
SELECT is((SELECT string_agg(provolatile::text || proparallel::text, ',') FROM pg_proc
           WHERE oid IN ('credit.uscc_legacy(text)'::regprocedure, 'credit.uscc_is_legacy(credit.uscc)'::regprocedure)),
          'is,is', 'uscc_legacy and uscc_is_legacy are IMMUTABLE and PARALLEL SAFE');

-- ordinary input keeps rejecting every one of them
SELECT is((SELECT count(*)::int FROM pilot WHERE credit.uscc_is_valid(t) OR credit.try_uscc(t) IS NOT NULL), 0,
          'uscc_is_valid and try_uscc reject the five pilot codes');
SELECT throws_ok($$SELECT '91350203M0001QKT19'::credit.uscc$$, '22P02', NULL, 'uscc_in rejects a pilot code: 22P02');
SELECT throws_ok($$SELECT credit.uscc('91350211M0000XUF46'::text)$$, '22P02', NULL, 'so does the cast from text');
SELECT is((SELECT array_agg(DISTINCT credit.uscc_problems(t)::text) || array_agg(DISTINCT credit.uscc_problems(t, true)::text) FROM pilot),
          ARRAY['{check_char}', '{legacy_check_char}'], 'problems: check_char; strict: legacy_check_char');

-- stored on purpose: the 18 characters round-trip exactly, flagged
SELECT is((SELECT count(*)::int FROM pilot WHERE credit.uscc_legacy(t)::text = t AND credit.uscc_is_legacy(credit.uscc_legacy(t))), 5,
          'uscc_legacy stores each, ::text gives its 18 characters, uscc_is_legacy is true');
SELECT is((SELECT count(*)::int FROM pilot WHERE credit.uscc_legacy(t)::text::text || '(legacy)' = credit.uscc_out(credit.uscc_legacy(t))::text), 5,
          'the output adds "(legacy)"');
SELECT is((SELECT count(*)::int FROM pilot WHERE (t || '(legacy)')::credit.uscc OPERATOR(credit.=) credit.uscc_legacy(t)), 5,
          'input accepts the output form back, to the same value');
SELECT is(credit.uscc_is_legacy('91350100M000100Y43'), false, 'an ordinary code is not legacy');
SELECT is(credit.uscc_is_legacy(credit.uscc_legacy('91350100M000100Y43')), false, 'uscc_legacy stores a right code as an ordinary one');
SELECT throws_ok($$SELECT '91350100M000100Y43(legacy)'::credit.uscc$$, '22P02',
                 'invalid input syntax for type uscc: "91350100M000100Y43(legacy)"', 'the marker on a right code is refused');
SELECT throws_ok($$SELECT credit.uscc_legacy('91110203M0001QKT1X')$$, '22P02', NULL,
                 'outside the pilot province uscc_legacy refuses');
SELECT throws_ok($$SELECT credit.uscc_legacy('91350203M0001QKT29')$$, '22P02', NULL,
                 'a failing GB 11714 check: refused');
SELECT is((SELECT (credit.uscc_info(credit.uscc_legacy('91350203M0001QKT19'))).org_code), 'M0001QKT1', 'uscc_info reads a legacy code');

-- order, equality and hashing: 31 check characters of each body (1 ordinary, 30 legacy)
CREATE TEMP TABLE all31 AS
SELECT credit.uscc_legacy(left(p.t, 17) || c) AS code
FROM pilot p, regexp_split_to_table('0123456789ABCDEFGHJKLMNPQRTUWXY', '') c;
INSERT INTO all31 SELECT credit.try_uscc(b || credit.uscc_check_char(b))
FROM (VALUES ('91350100M000100Y4'), ('91350203M0001QKT2'), ('91350211M0000XUF5'), ('91110000100010433')) v(b);
SELECT is((SELECT count(*)::int FROM all31 WHERE credit.uscc_is_legacy(code)), 150, '150 legacy values, 9 ordinary ones');
SELECT ok((SELECT array_agg(code::text ORDER BY code) FROM all31) = (SELECT array_agg(code::text ORDER BY code::text COLLATE "C") FROM all31),
          'ORDER BY code = ORDER BY code::text COLLATE "C", legacy codes included');
SELECT is((SELECT count(DISTINCT code)::int FROM all31), 159, 'equality tells all 159 apart (sort)');
SET LOCAL enable_sort = off;
SELECT is((SELECT count(*)::int FROM (SELECT code FROM all31 GROUP BY code) g), 159, '... and so does hashing (hash aggregate)');
RESET enable_sort;
CREATE INDEX ON all31 (code);
ANALYZE all31;
SET LOCAL enable_seqscan = off;
SELECT is((SELECT count(*)::int FROM all31 a WHERE EXISTS (SELECT 1 FROM all31 b WHERE b.code OPERATOR(credit.=) a.code)), 159,
          'the btree index finds each value');
RESET enable_seqscan;

-- binary COPY keeps the flag; recv refuses a legacy value with a wrong flag
CREATE TEMP TABLE bin (code credit.uscc);
CREATE FUNCTION pg_temp.copy_file() RETURNS text LANGUAGE sql AS $$ SELECT '/tmp/credit_tap_legacy_' || pg_backend_pid() $$;
CREATE FUNCTION pg_temp.write_file(data bytea) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('COPY (SELECT %L) TO PROGRAM %L', translate(encode(data, 'base64'), E'\n', ''),
                   'base64 -d > ' || pg_temp.copy_file());
END $$;
CREATE FUNCTION pg_temp.copy_in(data bytea) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_temp.write_file(data);
    TRUNCATE bin;
    EXECUTE format('COPY bin FROM %L (FORMAT binary)', pg_temp.copy_file());
    RETURN (SELECT count(*) FROM bin);
END $$;
DO $$ BEGIN
    EXECUTE format('COPY (SELECT code FROM all31 ORDER BY code) TO %L (FORMAT binary)', pg_temp.copy_file());
END $$;
CREATE TEMP TABLE good AS SELECT pg_read_binary_file(pg_temp.copy_file()) AS f;
SELECT is(pg_temp.copy_in((SELECT f FROM good)), 159::bigint, 'COPY ... (FORMAT binary) out and in: every row');
SELECT ok((SELECT array_agg(code::text || credit.uscc_is_legacy(code)::text ORDER BY code) FROM bin)
          = (SELECT array_agg(code::text || credit.uscc_is_legacy(code)::text ORDER BY code) FROM all31),
          '... the same values, legacy flags kept');
-- one row files: header (19 bytes), field count, length, the bytes, trailer
CREATE FUNCTION pg_temp.one_row(payload bytea) RETURNS bytea LANGUAGE sql AS $$
    SELECT decode('5047434f50590aff0d0a00' || '00000000' || '00000000', 'hex')
        || decode('0001', 'hex') || int4send(length(payload)) || payload || decode('ffff', 'hex') $$;
SELECT is(pg_temp.copy_in(pg_temp.one_row(convert_to('91350203M0001QKT19(legacy)', 'UTF8'))), 1::bigint,
          'recv: a legacy code with its flag is read');
SELECT throws_ok($$SELECT pg_temp.copy_in(pg_temp.one_row(convert_to('91350203M0001QKT19', 'UTF8')))$$, '22P03', NULL,
                 'recv: a legacy code without the flag is refused');
SELECT throws_ok($$SELECT pg_temp.copy_in(pg_temp.one_row(convert_to('91350203M0001QKT1F(legacy)', 'UTF8')))$$, '22P03', NULL,
                 'recv: the flag on a code whose check character is right is refused');
SELECT throws_ok($$SELECT pg_temp.copy_in(pg_temp.one_row(convert_to('91350203M0001QKT29(legacy)', 'UTF8')))$$, '22P03', NULL,
                 'recv: the flag on a code that cannot be legacy (GB 11714 fails) is refused');
SELECT throws_ok($$SELECT pg_temp.copy_in(pg_temp.one_row(convert_to('91350203m0001qkt19(legacy)', 'UTF8')))$$, '22P03', NULL,
                 'recv: only the canonical form (upper case)');
SELECT lives_ok(format('COPY (SELECT 1) TO PROGRAM %L', 'rm -f ' || pg_temp.copy_file()), 'the scratch file is removed');

SELECT * FROM finish();
ROLLBACK;
