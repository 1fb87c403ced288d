-- pgTAP: credit.rid behaviour and properties
BEGIN;
SELECT plan(20);
-- functions, casts and indexes work with credit off the search_path; bare
-- operators need it (or OPERATOR(credit.=)), so it is added further down
SET search_path = public;

SELECT has_type('credit', 'rid', 'type credit.rid exists');
SELECT ok((SELECT typbyval AND typlen = 8 FROM pg_type WHERE oid = 'credit.rid'::regtype), '8 bytes, passed by value');
SELECT is((SELECT count(*)::int FROM pg_opclass c JOIN pg_am a ON a.oid = opcmethod
           WHERE opcintype = 'credit.rid'::regtype AND opcdefault AND amname IN ('btree', 'hash')), 2,
          'default btree and hash opclasses');

SELECT throws_ok($$SELECT '110105194912310021'::credit.rid$$, '22P02',
    'invalid input syntax for type rid: "110105194912310021"', 'bad check digit: 22P02');
SELECT throws_ok($$SELECT '110105190002290021'::credit.rid$$, '22P02', NULL, '1900-02-29 is not a date');
SELECT throws_ok($$SELECT '110105179912310021'::credit.rid$$, '22P02', NULL, 'before 1800');
SELECT throws_ok($$SELECT '11010519491231X021'::credit.rid$$, '22P02', NULL, 'X only at position 18');

SET search_path = public, credit;

-- random valid numbers: birth dates across 1800..2025
CREATE TEMP TABLE gen AS
SELECT body || credit.rid_check_char(body) AS t, born, seq
FROM (SELECT lpad((110000 + (random() * 540000)::int)::text, 6, '0')
             || to_char(born, 'YYYYMMDD') || lpad(seq::text, 3, '0') AS body, born, seq
      FROM (SELECT DATE '1800-01-01' + (random() * 82000)::int AS born,
                   (random() * 999)::int AS seq
            FROM generate_series(1, 20000)) d) s;
SELECT is((SELECT count(*)::int FROM gen WHERE NOT credit.rid_is_valid(t)), 0, 'generated numbers are valid');
SELECT is((SELECT count(*)::int FROM gen WHERE t::credit.rid::text <> t), 0, 'round trip');
SELECT is((SELECT count(*)::int FROM gen WHERE credit.rid_birth_date(t::credit.rid) <> born), 0, 'birth date');
SELECT is((SELECT count(*)::int FROM gen WHERE credit.rid_sex(t::credit.rid) <> CASE WHEN seq % 2 = 1 THEN 'M' ELSE 'F' END), 0, 'sex from position 17');
SELECT is((SELECT count(*)::int FROM gen WHERE credit.mask(t::credit.rid) <> substr(t, 1, 6) || '********' || substr(t, 15)), 0, 'mask hides the birth date');
SELECT is((SELECT count(*)::int FROM gen WHERE credit.mask(t::credit.rid) LIKE '%' || to_char(born, 'YYYYMMDD') || '%'), 0, 'masked text never contains the birth date');
SELECT ok((SELECT array_agg(t ORDER BY t::credit.rid) = array_agg(t ORDER BY t COLLATE "C") FROM gen), 'order = text order');
SELECT is((SELECT count(*)::int FROM gen WHERE lower(t)::credit.rid <> t::credit.rid), 0, 'lower-case x accepted');
SELECT is((SELECT count(*)::int FROM gen g, generate_series(1, 17) p, generate_series(0, 9) d
           WHERE g.seq < 5 AND d::text <> substr(t, p, 1)
             AND credit.rid_is_valid(overlay(t PLACING d::text FROM p FOR 1))), 0,
          'no single-digit substitution is valid');
SELECT is((SELECT count(*)::int FROM gen WHERE credit.rid_is_valid(t) IS DISTINCT FROM (credit.rid_problems(t) = '{}')), 0,
          'rid_is_valid agrees with rid_problems');
SELECT is(credit.rid_problems((SELECT '11010599991231002' || credit.rid_check_char('11010599991231002')), true),
          '{future_birth_date}'::text[], 'strict: future birth date');
SELECT ok(credit.try_rid(NULL) IS NULL AND credit.rid_is_valid(NULL) IS NULL AND credit.rid_problems(NULL) IS NULL
          AND credit.try_rid('garbage') IS NULL, 'NULL in NULL out; try_rid never raises');
SELECT is((SELECT count(*)::int FROM gen a JOIN gen b ON a.t::credit.rid = b.t::credit.rid),
          (SELECT count(*)::int FROM gen a JOIN gen b ON a.t = b.t), 'join on rid = join on text');

SELECT * FROM finish();
ROLLBACK;
