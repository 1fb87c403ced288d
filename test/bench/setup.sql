-- test/bench/setup.sql -- issue 2 (credit.uscc): the baseline validator and
-- the generated codes (run by test/bench/run.sh after common.sql, which
-- creates schema bench and the timing helpers).
--
-- psql variables: rows (number of codes), datafile (server-side path the
-- codes are written to with COPY TO; the measured COPYs read it back).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\o /dev/null
SET max_parallel_workers_per_gather = 0;	-- random() must be deterministic

-- ---------------------------------------------------------------------------
-- The baseline: what one would write without the extension.  A faithful
-- GB 32100-2015 check in PL/pgSQL: upper/trim, length 18, the 31-character
-- alphabet, digits in the region code (positions 3-8) and the check
-- character, sum of value(i) * 3^(i-1) mod 31 over positions 1-17.
-- ---------------------------------------------------------------------------
CREATE FUNCTION bench.uscc_ok_plpgsql(code text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
    alphabet constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
    s text := upper(btrim(code));
    total int := 0;
    w int := 1;				-- 3^(i-1) mod 31
BEGIN
    IF length(s) <> 18
       OR s !~ '^[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}$' THEN
        RETURN false;
    END IF;
    FOR i IN 1..17 LOOP
        total := total + (strpos(alphabet, substr(s, i, 1)) - 1) * w;
        w := w * 3 % 31;
    END LOOP;
    RETURN substr(s, 18, 1) = substr(alphabet, (31 - total % 31) % 31 + 1, 1);
END
$fn$;

-- ---------------------------------------------------------------------------
-- Data: realistic codes (bench.code_bodies, common.sql), shuffled
-- ---------------------------------------------------------------------------
SELECT setseed(0.2015);
SELECT set_config('bench.rows', :'rows', false);
CREATE TABLE bench.codes (id int, code text);
INSERT INTO bench.codes
SELECT row_number() OVER (ORDER BY random()), body17 || credit.uscc_check_char(body17)
  FROM bench.code_bodies(:rows);

-- sanity: every generated code is valid for both validators
DO $do$
DECLARE
    n bigint;
    bad bigint;
BEGIN
    SELECT count(*), count(*) FILTER (WHERE NOT credit.uscc_is_valid(code)
                                         OR NOT bench.uscc_ok_plpgsql(code))
      INTO n, bad FROM bench.codes;
    IF n <> current_setting('bench.rows')::bigint OR bad <> 0 THEN
        RAISE EXCEPTION 'generated % codes, % invalid', n, bad;
    END IF;
END
$do$;

-- sanity: the PL/pgSQL baseline agrees with credit.uscc_is_valid() on broken
-- codes too (one character replaced, case, surrounding spaces, truncation)
DO $do$
DECLARE
    disagree bigint;
    rejected bigint;
BEGIN
    WITH m AS (
        SELECT CASE k % 4
               WHEN 0 THEN overlay(code PLACING substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1 + (k * 7) % 36, 1)
                                   FROM 1 + k % 18 FOR 1)
               WHEN 1 THEN lower(code)
               WHEN 2 THEN '  ' || code || ' '
               ELSE left(code, 10 + k % 9) END AS s
          FROM (SELECT id AS k, code FROM bench.codes WHERE id <= 20000) c)
    SELECT count(*) FILTER (WHERE credit.uscc_is_valid(s) <> bench.uscc_ok_plpgsql(s)),
           count(*) FILTER (WHERE NOT credit.uscc_is_valid(s))
      INTO disagree, rejected FROM m;
    IF disagree <> 0 OR rejected = 0 THEN
        RAISE EXCEPTION 'PL/pgSQL baseline disagrees with credit.uscc_is_valid on % inputs', disagree;
    END IF;
END
$do$;

-- the file every COPY FROM reads: one code per line, shuffled
COPY (SELECT code FROM bench.codes ORDER BY id) TO :'datafile';

-- the tables COPY loads
CREATE TABLE bench.t_uscc (code credit.uscc);
CREATE TABLE bench.t_text (code text);
CREATE TABLE bench.t_plpgsql (code text CHECK (bench.uscc_ok_plpgsql(code)));

-- the hash join: two tables of rows/2 codes each, half of them in common
CREATE TABLE bench.ja_uscc AS SELECT code::credit.uscc AS code FROM bench.codes WHERE id <= :rows / 2 ORDER BY id;
CREATE TABLE bench.jb_uscc AS SELECT code::credit.uscc AS code FROM bench.codes WHERE id > :rows / 4 AND id <= :rows / 4 * 3 ORDER BY md5(code);
CREATE TABLE bench.ja_text AS SELECT code FROM bench.codes WHERE id <= :rows / 2 ORDER BY id;
CREATE TABLE bench.jb_text AS SELECT code FROM bench.codes WHERE id > :rows / 4 AND id <= :rows / 4 * 3 ORDER BY md5(code);
