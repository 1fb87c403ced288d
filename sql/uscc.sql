--
-- credit.uscc: input normalisation, exact errors, functions, operators,
-- indexes and joins
--
CREATE EXTENSION IF NOT EXISTS credit;
\set SHOW_CONTEXT never
-- bare operators on credit types resolve through search_path (see README)
SET search_path = public, credit;

-- valid codes, canonical output
SELECT '91350100M000100Y43'::credit.uscc AS code;
SELECT '91110000100010433L'::credit.uscc AS cnpc;
-- normalisation: full width, lower case, spaces (incl. U+3000), hyphens, dashes
SELECT '９１３５０１００Ｍ０００１００Ｙ４３'::credit.uscc AS full_width;
SELECT ' 9135-0100-m000-100y43 '::credit.uscc AS spaced;
SELECT E'9135\u30000100\u2014M000\t100Y43'::credit.uscc AS ideographic_space_em_dash;
-- storage: fixed 10 bytes
SELECT pg_column_size('91350100M000100Y43'::credit.uscc) AS bytes,
       typlen, typbyval, typalign FROM pg_type WHERE oid = 'credit.uscc'::regtype;

-- a check character of 0 is valid
SELECT credit.uscc_check_char('91440300MA5G2121') IS NULL AS wrong_length_is_null;
SELECT body || credit.uscc_check_char(body) AS code_with_check_0
FROM (VALUES ('91110108MA01C2120'), ('91310000MA1FL2120')) v(body)
WHERE credit.uscc_check_char(body) = '0';

-- errors: every message names the input, the detail says exactly what is wrong
SELECT '9135010'::credit.uscc;
SELECT '91350100M000100Y433'::credit.uscc;
SELECT ''::credit.uscc;
SELECT ' - '::credit.uscc;
SELECT '91350100M000100YO3'::credit.uscc;
SELECT 'I1350100M000100Y43'::credit.uscc;
SELECT '91350100M000100Y4V'::credit.uscc;
SELECT '91350100M0001中0Y43'::credit.uscc;
SELECT E'91350100M000100Y4\u200B3'::credit.uscc;
SELECT '913501A0M000100Y43'::credit.uscc;
SELECT '91350100M000100Y44'::credit.uscc;
-- the cast from text raises the same errors
SELECT credit.uscc('91350100M000100Y44'::text);

-- never-raising helpers; NULL in gives NULL out
SELECT credit.uscc_is_valid('91350100M000100Y43') AS ok,
       credit.uscc_is_valid('91350100M000100Y44') AS bad_check,
       credit.uscc_is_valid('') AS empty,
       credit.uscc_is_valid(NULL) AS null_in;
SELECT credit.try_uscc('９１３５０１００ｍ０００１００ｙ４３') AS fixed,
       credit.try_uscc('nonsense') AS bad,
       credit.try_uscc(NULL) AS null_in;
SELECT credit.uscc_check_char('91350100M000100Y4') AS c,
       credit.uscc_check_char('９１３５０１００Ｍ０００１００Ｙ４') AS fw,
       credit.uscc_check_char('91350100M000100YO') AS bad_char,
       credit.uscc_check_char('91350100M000100Y43') AS too_long,
       credit.uscc_check_char(NULL) AS null_in;

-- problem codes, stable and complete
SELECT input, credit.uscc_problems(input) AS basic, credit.uscc_problems(input, true) AS strict
FROM (VALUES ('91350100M000100Y43'),
             ('91110000100010433L'),
             ('9135010'),
             ('91350100M000100YO3'),
             ('913501A0M000100Y43'),
             ('91350100M000100Y44'),
             ('B1350100M000100Y4'),
             ('94350100M000100Y4'),
             ('91990000MA0000000'),
             ('O1AB')) v(input);
SELECT credit.uscc_problems(NULL) AS null_code, credit.uscc_problems('91350100M000100Y43', NULL) AS null_strict;
-- oversize input is refused before normalisation (at most 256 bytes; NFKC
-- would expand U+FDFA 18-fold)
SELECT credit.try_uscc(repeat(U&'\FDFA', 10000000)) IS NULL AS try_null,
       credit.uscc_is_valid(repeat(U&'\FDFA', 10000000)) AS valid,
       credit.uscc_problems(repeat(U&'\FDFA', 10000000)) AS problems,
       credit.uscc_check_char(repeat(U&'\FDFA', 1000)) AS check_char;
SELECT credit.uscc_is_valid(rpad('91350100M000100Y43', 256)) AS padded_256,
       credit.uscc_is_valid(rpad('91350100M000100Y43', 257)) AS padded_257,
       credit.uscc_problems(rpad('91350100M000100Y43', 257)) AS problems_257;
SELECT repeat(U&'\FDFA', 100)::credit.uscc;
SELECT rpad('91350100M000100Y43', 300, '-')::credit.uscc;
-- strict problems on otherwise valid codes
SELECT code, credit.uscc_problems(code, true)
FROM (SELECT body || credit.uscc_check_char(body) AS code
      FROM (VALUES ('B1350100MA0000001'), ('94350100MA0000001'),
                   ('91990000MA0000001'), ('91350100MA0000001')) v(body)) s;

-- parts of a code, names from the reference data
SELECT * FROM credit.uscc_info('91350100M000100Y43');
SELECT * FROM credit.uscc_info('91110000100010433L');
SELECT (credit.uscc_info(credit.try_uscc(body || credit.uscc_check_char(body)))).*
FROM (VALUES ('51440300MJ0000001'), ('N2330100MA0000001'), ('Y1810000MA0000001')) v(body);
SELECT count(*) AS departments FROM credit.uscc_department;
SELECT department, string_agg(code, ',' ORDER BY code) FROM credit.uscc_category GROUP BY 1 ORDER BY 1;
SELECT count(*) FILTER (WHERE in_uscc) AS uscc_provinces, count(*) FILTER (WHERE in_rid) AS rid_provinces
FROM credit.province;

-- operators and ordering: byte order = canonical text order
CREATE TEMP TABLE codes AS
SELECT body || credit.uscc_check_char(body) AS t
FROM (VALUES ('91350100M000100Y4'), ('91110000100010433'), ('11100000000013127'),
             ('Y1810000MA0000001'), ('A1100000MA0000001'), ('92440300MA5G2L3N'),
             ('91440300MA5G2L3NA'), ('93330100MA2CB1234'), ('52110000500000123')) v(body)
WHERE credit.uscc_check_char(body) IS NOT NULL;
SELECT t::credit.uscc AS code FROM codes ORDER BY t::credit.uscc;
SELECT (SELECT array_agg(t ORDER BY t::credit.uscc) FROM codes)
     = (SELECT array_agg(t ORDER BY t COLLATE "C") FROM codes) AS same_order;
SELECT a.t < b.t COLLATE "C" AS text_lt, a.t::credit.uscc < b.t::credit.uscc AS uscc_lt,
       a.t::credit.uscc <= b.t::credit.uscc AS le, a.t::credit.uscc = b.t::credit.uscc AS eq,
       a.t::credit.uscc <> b.t::credit.uscc AS ne, a.t::credit.uscc >= b.t::credit.uscc AS ge,
       a.t::credit.uscc > b.t::credit.uscc AS gt
FROM codes a, codes b WHERE a.t IN ('91350100M000100Y43', '91110000100010433L') AND b.t IN ('91350100M000100Y43', '91110000100010433L')
ORDER BY a.t, b.t;
SELECT credit.uscc_cmp('91110000100010433L', '91350100M000100Y43') AS lt,
       credit.uscc_cmp('91350100M000100Y43', '91350100M000100Y43') AS eq,
       credit.uscc_cmp('91350100M000100Y43', '91110000100010433L') AS gt;
SELECT credit.uscc_hash('91350100M000100Y43') = credit.uscc_hash('９１３５０１００ｍ０００１００ｙ４３') AS hash_stable,
       credit.uscc_hash_extended('91350100M000100Y43', 0) = credit.uscc_hash_extended('91350100M000100Y43', 0) AS hash_ext_stable,
       credit.uscc_hash_extended('91350100M000100Y43', 0) <> credit.uscc_hash_extended('91350100M000100Y43', 1) AS seeded;

-- casts
SELECT '91350100M000100Y43'::credit.uscc::text AS to_text,
       length('91350100M000100Y43'::credit.uscc::text) AS len;
CREATE TEMP TABLE assign_test (code credit.uscc, t text);
INSERT INTO assign_test VALUES ('９１３５０１００Ｍ０００１００Ｙ４３'::text, '91350100M000100Y43'::credit.uscc);
SELECT * FROM assign_test;

-- binary send/recv: the 18 canonical characters
SELECT credit.uscc_send('91350100M000100Y43') AS send;

-- operator classes, indexes, joins
SELECT opcname, amname, opcdefault FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
WHERE opcintype = 'credit.uscc'::regtype ORDER BY amname;
SELECT oprname, oprcanhash, oprcanmerge FROM pg_operator
WHERE oprleft = 'credit.uscc'::regtype AND oprname = '=';
CREATE TEMP TABLE a AS SELECT t::credit.uscc AS code, row_number() OVER (ORDER BY t) AS n FROM codes;
CREATE TEMP TABLE b AS SELECT code FROM a WHERE n % 2 = 0;
CREATE INDEX a_code ON a (code);
CREATE INDEX a_code_hash ON a USING hash (code);
ANALYZE a; ANALYZE b;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM a WHERE code = '91350100M000100Y43';
SELECT n FROM a WHERE code = '９１３５０１００Ｍ０００１００Ｙ４３';
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT code FROM a WHERE code > '91350100M000100Y43' ORDER BY code;
SELECT code FROM a WHERE code > '91350100M000100Y43' ORDER BY code;
RESET enable_seqscan; RESET enable_bitmapscan;
SET enable_mergejoin = off; SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM a JOIN b USING (code);
SELECT count(*) FROM a JOIN b USING (code);
RESET enable_mergejoin; SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM a JOIN b USING (code);
SELECT count(*) FROM a JOIN b USING (code);
RESET enable_hashjoin; RESET enable_nestloop;
-- a unique index rejects the same code written differently
CREATE TEMP TABLE u (code credit.uscc PRIMARY KEY);
INSERT INTO u VALUES ('91350100M000100Y43');
INSERT INTO u VALUES ('９１３５ ０１００ ｍ０００ １００ ｙ４３');

-- an import keeps every row: bad ones go to a side column
CREATE TEMP TABLE staging (raw text);
INSERT INTO staging VALUES ('91350100M000100Y43'), ('９１１１００００１０００１０４３３ｌ'), ('91350100M000100Y44'), (NULL), ('');
SELECT raw, credit.try_uscc(raw) AS code, credit.uscc_problems(raw) AS problems FROM staging;

-- legacy pilot codes (SPEC §1): real codes issued before 2016 in the Fujian
-- pilot whose check character fails GB 32100.  Where the five come from:
-- 91350203M0001QKT19 hutool issue #4119 (a real company, looked up on
-- qixin.com and aiqicha); 91350211M0000XUF46, 91350100M0001TGQXM and
-- 91350203M0001FUE2P the README of bluesky335/IDCheck (with the companies'
-- names); 91350211M00013FA1N hutool's CreditCodeUtilTest.isCreditCode2
CREATE TEMP TABLE pilot (t text);
INSERT INTO pilot VALUES ('91350203M0001QKT19'), ('91350211M0000XUF46'), ('91350100M0001TGQXM'),
                         ('91350203M0001FUE2P'), ('91350211M00013FA1N');
-- ordinary input keeps rejecting them (the hint says what to do)
SELECT t, credit.uscc_is_valid(t) AS valid, credit.try_uscc(t) AS try, credit.uscc_check_char(left(t, 17)) AS computed,
       credit.uscc_problems(t) AS problems, credit.uscc_problems(t, true) AS strict
FROM pilot;
SELECT '91350203M0001QKT19'::credit.uscc;
SELECT credit.uscc('91350211M0000XUF46'::text);
-- stored on purpose: fixed length, its 18 characters exactly, flagged; the
-- output adds "(legacy)", the cast to text does not
SELECT c AS code, c::text AS text, credit.uscc_is_legacy(c) AS legacy, pg_column_size(c) AS bytes
FROM (SELECT credit.uscc_legacy(t) AS c FROM pilot) s;
SELECT credit.uscc_legacy(' ９１３５-０２０３ ｍ０００１ｑｋｔ１９ ') AS normalised;
-- input accepts the output form back (pg_dump, COPY), in any spelling
SELECT '91350203M0001QKT19(legacy)'::credit.uscc OPERATOR(credit.=) credit.uscc_legacy('91350203M0001QKT19') AS same,
       credit.uscc_is_valid('９１３５０２０３Ｍ０００１ＱＫＴ１９ （ＬＥＧＡＣＹ）') AS full_width_marked,
       credit.try_uscc('91350203M0001QKT19 (Legacy)') AS try_marked;
-- but the bare 18 characters are ordinary input again
SELECT credit.uscc_legacy('91350203M0001QKT19')::text::credit.uscc;
-- a code with the right check character: stored as usual; the marker on it is refused
SELECT c AS code, credit.uscc_is_legacy(c) AS legacy FROM (SELECT credit.uscc_legacy('91350100M000100Y43') AS c) s;
SELECT '91350100M000100Y43(legacy)'::credit.uscc;
-- uscc_legacy says what fails
SELECT credit.uscc_legacy('B1350203M0001QKT1X');
SELECT credit.uscc_legacy('94350203M0001QKT1X');
SELECT credit.uscc_legacy('91350203M0001QKT29');
SELECT credit.uscc_legacy('91110203M0001QKT1X');
SELECT credit.uscc_legacy('B4110203M0001QKT2X');
SELECT credit.uscc_legacy('9135020AM0001QKT19');
SELECT credit.uscc_legacy('91350203M0001QKT1');
SELECT '91350203M0001QKT29(legacy)'::credit.uscc;
SELECT credit.uscc_legacy(NULL) IS NULL AS null_in, credit.uscc_is_legacy(NULL) IS NULL AS null_in_2;
SELECT credit.uscc_problems('91350100M000100Y43(legacy)') AS marker_on_valid,
       credit.uscc_problems('91350203M0001QKT19(legacy)') AS marked,
       credit.uscc_problems('91350203M0001QKT19(legacy)', true) AS marked_strict,
       credit.uscc_problems('91110203M0001QKT1X', true) AS outside_fujian;
SELECT * FROM credit.uscc_info(credit.uscc_legacy('91350211M0000XUF46'));
-- order = order of the 18 characters, legacy codes included, also next to
-- the ordinary code with the same first 17 characters; equality and hashing
-- tell them apart
CREATE TEMP TABLE mixed AS
SELECT credit.uscc_legacy(left(t, 17) || c) AS code
FROM pilot, unnest(ARRAY[right(t, 1), '0', 'Y', credit.uscc_check_char(left(t, 17))]) c
UNION ALL SELECT '91350100M000100Y43';
SELECT code, credit.uscc_is_legacy(code) AS legacy FROM mixed WHERE code::text LIKE '91350203M0001QKT1%' ORDER BY code;
SELECT (SELECT array_agg(code::text ORDER BY code) FROM mixed)
     = (SELECT array_agg(code::text ORDER BY code::text COLLATE "C") FROM mixed) AS same_order,
       (SELECT count(*) FROM mixed) AS n,
       (SELECT count(DISTINCT code) FROM mixed) AS distinct_codes,
       (SELECT count(DISTINCT credit.uscc_hash(code)) FROM mixed) AS distinct_hashes;
SELECT a.code::text AS a, b.code::text AS b, a.code OPERATOR(credit.<) b.code AS lt,
       credit.uscc_cmp(a.code, b.code) AS cmp, a.code OPERATOR(credit.=) b.code AS eq
FROM mixed a, mixed b
WHERE a.code::text IN ('91350203M0001QKT19', '91350203M0001QKT1F') AND b.code::text IN ('91350203M0001QKT19', '91350203M0001QKT1F')
ORDER BY 1, 2;
SELECT credit.min(code) AS min, credit.max(code) AS max FROM mixed;
CREATE INDEX mixed_code ON mixed (code);
SET enable_seqscan = off;
SELECT code FROM mixed WHERE code OPERATOR(credit.>=) credit.uscc_legacy('91350203M0001QKT19') ORDER BY code LIMIT 3;
RESET enable_seqscan;
SET enable_mergejoin = off; SET enable_nestloop = off;
SELECT count(*) AS hash_join FROM mixed a JOIN mixed b USING (code);
RESET enable_mergejoin; SET enable_hashjoin = off;
SELECT count(*) AS merge_join FROM mixed a JOIN mixed b USING (code);
RESET enable_hashjoin; RESET enable_nestloop;
-- binary form: the text form
SELECT credit.uscc_send(credit.uscc_legacy('91350203M0001QKT19')) AS send_legacy;
