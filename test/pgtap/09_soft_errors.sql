-- pgTAP: soft input errors (PostgreSQL 16+): pg_input_is_valid and
-- pg_input_error_info for both identifier types.  Skipped before 16, where
-- the server has neither function.
BEGIN;
SELECT plan(11);
SELECT CASE WHEN current_setting('server_version_num')::int < 160000 THEN
    skip('pg_input_is_valid needs PostgreSQL 16 or later', 11) END;
CREATE FUNCTION pg_temp.soft(t text, typ text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
    IF current_setting('server_version_num')::int < 160000 THEN RETURN NULL; END IF;
    EXECUTE 'SELECT pg_input_is_valid($1, $2)::text || '' '' || coalesce((pg_input_error_info($1, $2)).sql_error_code, ''-'')'
        INTO r USING t, typ;
    RETURN r;
END $$;
CREATE FUNCTION pg_temp.detail(t text, typ text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
    EXECUTE 'SELECT (pg_input_error_info($1, $2)).detail' INTO r USING t, typ;
    RETURN r;
END $$;
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000 THEN collect_tap(
    is(pg_temp.soft('91350100M000100Y43', 'credit.uscc'), 'true -', 'a valid code is valid, no error'),
    is(pg_temp.soft('91350100M000100Y44', 'credit.uscc'), 'false 22P02', 'a wrong check character is a soft 22P02'),
    is(pg_temp.soft('9135', 'credit.uscc'), 'false 22P02', 'a short code is a soft 22P02'),
    alike(pg_temp.detail('91350100M000100Y44', 'credit.uscc'), '%check character%', 'the detail names the check character'),
    is(pg_temp.soft('91350203M0001QKT19', 'credit.uscc'), 'false 22P02', 'a legacy pilot code is not ordinary input: soft 22P02'),
    is(pg_temp.soft('91350203M0001QKT19(legacy)', 'credit.uscc'), 'true -', 'its marked text form (the output) is valid input'),
    is(pg_temp.soft('91350100M000100Y43(legacy)', 'credit.uscc'), 'false 22P02', 'the marker on a right code: soft 22P02'),
    is(pg_temp.soft('11010519491231002X', 'credit.rid'), 'true -', 'a valid resident ID number is valid'),
    is(pg_temp.soft('110105194902290027', 'credit.rid'), 'false 22P02', 'an impossible birth date is a soft 22P02'),
    is(pg_temp.soft('11010519491231002Y', 'credit.rid'), 'false 22P02', 'a bad check digit is a soft 22P02'),
    ok(pg_temp.detail('110105194902290027', 'credit.rid') IS NOT NULL, 'the detail says what is wrong')
) END;
SELECT * FROM finish();
ROLLBACK;
