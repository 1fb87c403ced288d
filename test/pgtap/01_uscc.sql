-- pgTAP: credit.uscc behaviour and properties
BEGIN;
SELECT plan(38);
-- functions, casts and indexes work with credit off the search_path; bare
-- operators need it (or OPERATOR(credit.=)), so it is added further down
SET search_path = public;

-- the objects and their contract
SELECT has_type('credit', 'uscc', 'type credit.uscc exists');
SELECT is((SELECT typlen::int FROM pg_type WHERE oid = 'credit.uscc'::regtype), 10, 'fixed length, 10 bytes (<= 16, no varlena header)');
SELECT ok((SELECT opcdefault FROM pg_opclass c JOIN pg_am a ON a.oid = opcmethod
           WHERE opcintype = 'credit.uscc'::regtype AND amname = 'btree'), 'default btree opclass');
SELECT ok((SELECT opcdefault FROM pg_opclass c JOIN pg_am a ON a.oid = opcmethod
           WHERE opcintype = 'credit.uscc'::regtype AND amname = 'hash'), 'default hash opclass');
SELECT ok((SELECT oprcanhash AND oprcanmerge FROM pg_operator
           WHERE oprleft = 'credit.uscc'::regtype AND oprright = 'credit.uscc'::regtype AND oprname = '='),
          '= supports hash and merge joins');
SELECT ok((SELECT count(*) = 2 FROM pg_amproc p JOIN pg_opfamily f ON f.oid = p.amprocfamily
           JOIN pg_am a ON a.oid = f.opfmethod
           WHERE p.amproclefttype = 'credit.uscc'::regtype AND a.amname = 'btree'),
          'btree support: comparison and sortsupport');
SELECT is((SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'credit'::regnamespace
           AND proname IN ('uscc_is_valid','try_uscc','uscc_check_char','uscc_problems','uscc_info')
           AND proparallel = 's'), 5, 'helper functions are PARALLEL SAFE');
SELECT is((SELECT provolatile::text FROM pg_proc WHERE oid = 'credit.uscc_problems(text,boolean)'::regprocedure),
          'i', 'uscc_problems is IMMUTABLE (usable in CHECK constraints)');

-- errors carry SQLSTATE 22P02 and the exact fault
SELECT throws_ok($$SELECT '9135010'::credit.uscc$$, '22P02',
    'invalid input syntax for type uscc: "9135010"', 'short code: 22P02');
SELECT throws_ok($$SELECT '91350100M000100YO3'::credit.uscc$$, '22P02', NULL, 'letter O: 22P02');
SELECT throws_ok($$SELECT '91350100M000100Y44'::credit.uscc$$, '22P02', NULL, 'bad check character: 22P02');
SELECT throws_ok($$SELECT credit.uscc('913501A0M000100Y43'::text)$$, '22P02', NULL, 'cast from text: 22P02');

SELECT throws_ok($$SELECT '91350100M000100Y43'::credit.uscc = '91350100M000100Y43'::credit.uscc$$,
                 '42883', NULL, 'off the search_path a bare = is not found (documented)');
SELECT ok('91350100M000100Y43'::credit.uscc OPERATOR(credit.=) '９１３５０１００Ｍ０００１００Ｙ４３',
          'OPERATOR(credit.=) works off the search_path');
SET search_path = public, credit;

-- random data: 20 000 valid codes made with the check function
CREATE TEMP TABLE gen AS
SELECT body || credit.uscc_check_char(body) AS t
FROM (SELECT (ARRAY['9','9','9','1','5','N','Y','A','3'])[1 + (random() * 8)::int]
          || (ARRAY['1','2','3','9'])[1 + (random() * 3)::int]
          || lpad(((random() * 999999)::int)::text, 6, '0')
          || array_to_string(ARRAY(SELECT substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (random() * 30)::int, 1)
                                   FROM generate_series(1, 9) WHERE g > 0), '') AS body
      FROM generate_series(1, 20000) g) s;
SELECT is((SELECT count(*)::int FROM gen WHERE credit.uscc_is_valid(t)), 20000, 'generated codes are all valid');
SELECT is((SELECT count(*)::int FROM gen WHERE t::credit.uscc::text <> t), 0, 'text -> uscc -> text round trip');
SELECT ok((SELECT array_agg(t ORDER BY t::credit.uscc) = array_agg(t ORDER BY t COLLATE "C") FROM gen),
          'ORDER BY uscc equals ORDER BY text COLLATE "C" (20 000 codes)');
SELECT is((SELECT count(*)::int FROM (SELECT t FROM gen LIMIT 300) a, (SELECT t FROM gen OFFSET 300 LIMIT 300) b
           WHERE (a.t < b.t COLLATE "C") IS DISTINCT FROM (a.t::credit.uscc < b.t::credit.uscc)
              OR (a.t = b.t) IS DISTINCT FROM (a.t::credit.uscc = b.t::credit.uscc)
              OR (a.t > b.t COLLATE "C") IS DISTINCT FROM (a.t::credit.uscc > b.t::credit.uscc)), 0,
          '<, =, > agree with text order on 90 000 pairs');
SELECT is((SELECT count(*)::int FROM gen WHERE lower(t)::credit.uscc <> t::credit.uscc), 0,
          'lower-case input equals canonical');
SELECT is((SELECT count(*)::int FROM gen
           WHERE translate(t, '0123456789ABCDEFGHJKLMNPQRTUWXY',
                 '０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ')::credit.uscc <> t::credit.uscc), 0,
          'full-width input equals canonical');
SELECT is((SELECT count(*)::int FROM gen
           WHERE credit.uscc_hash(t::credit.uscc) <> credit.uscc_hash(lower(t)::credit.uscc)), 0,
          'equal codes hash equal');

-- every single-character substitution is caught (sample)
SELECT is((SELECT count(*)::int
           FROM (SELECT t FROM gen LIMIT 200) g, generate_series(1, 18) p,
                regexp_split_to_table('0123456789ABCDEFGHJKLMNPQRTUWXY', '') c
           WHERE c <> substr(t, p, 1)
             AND credit.uscc_is_valid(overlay(t PLACING c FROM p FOR 1))), 0,
          'no single-character substitution of a valid code is valid (200 codes x 18 positions x 30)');

-- joins and indexes on random data
CREATE TEMP TABLE ja AS SELECT t::credit.uscc AS code, t FROM gen;
CREATE TEMP TABLE jb AS SELECT t::credit.uscc AS code, t FROM gen WHERE random() < 0.5
                        UNION ALL SELECT t::credit.uscc, t FROM gen WHERE random() < 0.1;
ANALYZE ja; ANALYZE jb;
SELECT set_config('enable_mergejoin', 'off', true), set_config('enable_nestloop', 'off', true);
SELECT is((SELECT count(*)::int FROM ja JOIN jb USING (code)),
          (SELECT count(*)::int FROM ja JOIN jb USING (t)), 'hash join on uscc = join on text');
SELECT set_config('enable_mergejoin', 'on', true), set_config('enable_hashjoin', 'off', true);
SELECT is((SELECT count(*)::int FROM ja JOIN jb USING (code)),
          (SELECT count(*)::int FROM ja JOIN jb USING (t)), 'merge join on uscc = join on text');
SELECT set_config('enable_hashjoin', 'on', true), set_config('enable_nestloop', 'on', true);
CREATE INDEX ja_code ON ja (code);
CREATE INDEX ja_code_h ON ja USING hash (code);
SELECT set_config('enable_seqscan', 'off', true);
SELECT is((SELECT count(*)::int FROM jb WHERE NOT EXISTS (SELECT 1 FROM ja WHERE ja.code = jb.code)), 0,
          'index lookups find every code');
SELECT is((SELECT count(*)::int FROM ja WHERE code > (SELECT min(code) FROM ja) ),
          (SELECT count(*)::int - 1 FROM ja), 'btree range scan counts');
SELECT set_config('enable_seqscan', 'on', true);
-- abbreviated keys in a big sort keep the order
SELECT set_config('work_mem', '64kB', true);
SELECT ok((SELECT bool_and(prev < code) FROM (SELECT code, lag(code) OVER (ORDER BY code) AS prev FROM ja) s
           WHERE prev IS NOT NULL), 'external sort with abbreviated keys is strictly increasing');
SELECT set_config('work_mem', '4MB', true);

-- never raises on garbage; the three validity views agree
CREATE TEMP TABLE junk AS
SELECT CASE g % 6
         WHEN 0 THEN t
         WHEN 1 THEN substr(t, 1, (random() * 20)::int)
         WHEN 2 THEN overlay(t PLACING chr(32 + (random() * 90)::int) FROM 1 + (random() * 17)::int FOR 1)
         WHEN 3 THEN lower(t) || ' '
         WHEN 4 THEN chr(19968 + (random() * 2000)::int) || t
         ELSE repeat(chr(65 + (random() * 25)::int), (random() * 40)::int)
       END AS raw
FROM (SELECT t, row_number() OVER () AS g FROM gen LIMIT 6000) s;
SELECT lives_ok($$SELECT count(credit.try_uscc(raw)), count(credit.uscc_problems(raw, true)) FROM junk$$,
                'try_uscc and uscc_problems never raise on garbage');
SELECT is((SELECT count(*)::int FROM junk
           WHERE credit.uscc_is_valid(raw) IS DISTINCT FROM (credit.try_uscc(raw) IS NOT NULL)
              OR credit.uscc_is_valid(raw) IS DISTINCT FROM (credit.uscc_problems(raw) = '{}')), 0,
          'uscc_is_valid = try_uscc IS NOT NULL = no problems');
SELECT is((SELECT count(*)::int FROM junk WHERE credit.try_uscc(raw) IS NOT NULL
           AND credit.try_uscc(raw)::text <> raw::credit.uscc::text), 0, 'try_uscc equals the cast where valid');

-- NULL handling
SELECT ok(credit.try_uscc(NULL) IS NULL AND credit.uscc_is_valid(NULL) IS NULL
          AND credit.uscc_problems(NULL) IS NULL AND credit.uscc_check_char(NULL) IS NULL
          AND credit.uscc_info(NULL) IS NULL, 'NULL in, NULL out');

-- uscc_info and strict problems
SELECT is((credit.uscc_info('91110000100010433L')).province_name, '北京市', 'province name');
SELECT is((credit.uscc_info('91350100M000100Y43')).category_name, '企业', 'category name');
SELECT is(credit.uscc_problems('91350100M000100Y43', true), '{}'::text[], 'a real code passes strict checks');
SELECT is(credit.uscc_problems((SELECT '94350100MA0000001' || credit.uscc_check_char('94350100MA0000001')), true),
          '{category,org_code_check}'::text[], 'category 4 is not valid under department 9');

-- strict check in a CHECK constraint (needs IMMUTABLE)
CREATE TEMP TABLE strict_codes (code credit.uscc CHECK (credit.uscc_problems(code::text, true) = '{}'));
SELECT lives_ok($$INSERT INTO strict_codes VALUES ('91350100M000100Y43')$$, 'strict CHECK accepts a real code');
SELECT throws_ok($$INSERT INTO strict_codes SELECT ('99350100MA0000001' || credit.uscc_check_char('99350100MA0000001'))::text$$,
                 '23514', NULL, 'strict CHECK refuses an unknown category');

-- soft errors (PG 16+): pg_input_is_valid
CREATE FUNCTION pg_temp.input_is_valid(t text, typ text) RETURNS boolean LANGUAGE plpgsql AS $f$
DECLARE r boolean;
BEGIN
    EXECUTE 'SELECT pg_input_is_valid($1, $2)' INTO r USING t, typ;
    RETURN r;
END $f$;
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000
    THEN ok(NOT pg_temp.input_is_valid('91350100M000100Y44', 'credit.uscc')
            AND pg_temp.input_is_valid('91350100M000100Y43', 'credit.uscc'), 'pg_input_is_valid uses soft errors')
    ELSE skip('pg_input_is_valid needs PostgreSQL 16', 1) END;

SELECT * FROM finish();
ROLLBACK;
