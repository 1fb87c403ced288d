--
-- credit.rid: resident ID number
--
CREATE EXTENSION IF NOT EXISTS credit;
\set SHOW_CONTEXT never
-- bare operators on credit types resolve through search_path (see README)
SET search_path = public, credit;
SET datestyle = ISO;

SELECT '11010519491231002X'::credit.rid AS id;
SELECT '11010519491231002x'::credit.rid AS lower_x,
       '１１０１０５１９４９１２３１００２Ｘ'::credit.rid AS full_width,
       ' 110105 19491231 002X '::credit.rid AS spaced;
SELECT pg_column_size('11010519491231002X'::credit.rid) AS bytes,
       typlen, typbyval FROM pg_type WHERE oid = 'credit.rid'::regtype;

-- errors
SELECT '1101051949123100'::credit.rid;
SELECT '110105491231002'::credit.rid;
SELECT ''::credit.rid;
SELECT '1101051949123100X2'::credit.rid;
SELECT '11010519491231002Y'::credit.rid;
SELECT '110105194902290027'::credit.rid;
SELECT '110105179912310023'::credit.rid;
SELECT '110105194913010021'::credit.rid;
SELECT '110105194912310021'::credit.rid;

-- accessors
SELECT credit.rid_birth_date(id), credit.rid_sex(id), credit.rid_region(id), credit.mask(id)
FROM (VALUES ('11010519491231002X'::credit.rid)) v(id);
SELECT body || credit.rid_check_char(body) AS id,
       credit.rid_birth_date((body || credit.rid_check_char(body))::credit.rid) AS born,
       credit.rid_sex((body || credit.rid_check_char(body))::credit.rid) AS sex
FROM (VALUES ('44030420000229001'), ('31010118000101002'), ('65010219991231123')) v(body);

-- never-raising helpers
SELECT credit.rid_is_valid('11010519491231002X') AS ok, credit.rid_is_valid('110105194912310021') AS bad,
       credit.rid_is_valid(NULL) AS null_in, credit.try_rid('bad') AS try_bad,
       credit.try_rid('１１０１０５１９４９１２３１００２ｘ') AS try_ok;
SELECT credit.rid_check_char('11010519491231002') AS c, credit.rid_check_char('1101051949123100') AS short;
SELECT input, credit.rid_problems(input) AS basic, credit.rid_problems(input, true) AS strict
FROM (VALUES ('11010519491231002X'), ('110105194912310021'), ('1101051949'),
             ('11010519490231002X'), ('A1010519491231002X')) v(input);
-- strict: province and birth date in the future
SELECT body, credit.rid_problems(body || credit.rid_check_char(body), true)
FROM (VALUES ('99010519491231002'), ('10010519491231002'), ('83000019491231002'),
             ('11010599991231002')) v(body);
SELECT credit.rid_problems(NULL) AS null_in;
-- oversize input is refused before normalisation (at most 256 bytes)
SELECT credit.try_rid(repeat(U&'\FDFA', 10000000)) IS NULL AS try_null,
       credit.rid_is_valid(repeat(U&'\FDFA', 10000000)) AS valid,
       credit.rid_problems(repeat(U&'\FDFA', 10000000)) AS problems,
       credit.rid_check_char(repeat('1', 1000)) AS check_char;
SELECT credit.rid_is_valid(lpad('11010519491231002X', 256)) AS padded_256,
       credit.rid_is_valid(lpad('11010519491231002X', 257)) AS padded_257;
SELECT repeat('１', 100)::credit.rid;

-- ordering = text ordering, indexes, hashing
CREATE TEMP TABLE ids AS
SELECT (body || credit.rid_check_char(body))::credit.rid AS id
FROM (VALUES ('11010519491231002'), ('44030420000229001'), ('31010118000101002'),
             ('65010219991231123'), ('11010519491231001')) v(body);
SELECT id FROM ids ORDER BY id;
SELECT (SELECT array_agg(id::text ORDER BY id) FROM ids) = (SELECT array_agg(id::text ORDER BY id::text COLLATE "C") FROM ids) AS same_order;
CREATE INDEX ON ids (id);
CREATE INDEX ON ids USING hash (id);
SELECT opcname, amname FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
WHERE opcintype = 'credit.rid'::regtype AND opcdefault ORDER BY amname;
SELECT credit.rid_hash('11010519491231002X') = credit.rid_hash('11010519491231002x') AS hash_stable;
SELECT credit.rid_send('11010519491231002X') AS send;
SELECT '11010519491231002X'::credit.rid::text AS to_text;
