-- pgTAP: identifier input longer than 256 bytes is refused before it is
-- normalised (30 MB of U+FDFA used to take seconds and 700 MB inside ICU,
-- as NFKC expands it 18-fold)
BEGIN;
SELECT plan(14);
SET LOCAL search_path = public, credit;

SELECT is(credit.try_uscc(repeat(U&'\FDFA', 10000000)), NULL, 'try_uscc: 30 MB of U+FDFA gives NULL');
SELECT is(credit.uscc_is_valid(repeat(U&'\FDFA', 10000000)), false, 'uscc_is_valid: false');
SELECT is(credit.uscc_problems(repeat(U&'\FDFA', 10000000)), '{length}', 'uscc_problems: {length}');
SELECT throws_ok($$SELECT repeat(U&'\FDFA', 10000000)::credit.uscc$$, '22P02', NULL, 'credit.uscc input: 22P02');
SELECT throws_ok($$SELECT credit.uscc(repeat(U&'\FDFA', 10000000))$$, '22P02', NULL, 'credit.uscc(text): 22P02');
SELECT is(credit.try_rid(repeat(U&'\FDFA', 10000000)), NULL, 'try_rid: 30 MB of U+FDFA gives NULL');
SELECT is(credit.rid_is_valid(repeat(U&'\FDFA', 10000000)), false, 'rid_is_valid: false');
SELECT is(credit.rid_problems(repeat(U&'\FDFA', 10000000)), '{length}', 'rid_problems: {length}');
SELECT throws_ok($$SELECT repeat(U&'\FDFA', 10000000)::credit.rid$$, '22P02', NULL, 'credit.rid input: 22P02');
-- the bound: 256 bytes of input
SELECT is(credit.try_uscc(rpad('91350100M000100Y43', 256))::text, '91350100M000100Y43', 'a code padded to 256 bytes is read');
SELECT is(credit.try_uscc(rpad('91350100M000100Y43', 257)), NULL, 'padded to 257 bytes it is too long');
SELECT is(credit.try_rid(lpad('11010519491231002X', 256))::text, '11010519491231002X', 'an ID number padded to 256 bytes is read');
SELECT is(credit.try_rid(lpad('11010519491231002X', 257)), NULL, 'padded to 257 bytes it is too long');
-- soft errors (PG 16+)
CREATE FUNCTION pg_temp.input_is_valid(t text, typ text) RETURNS boolean LANGUAGE plpgsql AS $f$
DECLARE r boolean;
BEGIN
    EXECUTE 'SELECT pg_input_is_valid($1, $2)' INTO r USING t, typ;
    RETURN r;
END $f$;
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000
    THEN ok(NOT pg_temp.input_is_valid(repeat(U&'\FDFA', 100000), 'credit.uscc')
            AND NOT pg_temp.input_is_valid(repeat(U&'\FDFA', 100000), 'credit.rid'),
            'pg_input_is_valid: oversize input is a soft error')
    ELSE skip('pg_input_is_valid needs PostgreSQL 16', 1) END;

SELECT * FROM finish();
ROLLBACK;
