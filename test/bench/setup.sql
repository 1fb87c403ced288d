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
-- Data: realistic codes.  Regions: a few hundred real-looking 6-digit codes
-- (the 31 province codes of the mainland, province level plus cities and
-- counties), drawn with a skew so that big regions get more registrations.
-- Department/category: mostly 91 (enterprises), 92 (individual businesses),
-- 93 (farmers' cooperatives), plus institutions, social organisations, ...
-- Organisation code: 9 characters, "MA..." style (new registrations) or
-- 8 digits (converted old organisation codes), with the GB 11714 check.
-- ---------------------------------------------------------------------------
SELECT setseed(0.2015);
SELECT set_config('bench.rows', :'rows', false);

CREATE TABLE bench.region (idx int PRIMARY KEY, code text NOT NULL);
INSERT INTO bench.region
SELECT row_number() OVER (ORDER BY o), code
  FROM (SELECT DISTINCT ON (code) code, o
          FROM (SELECT p.code || lpad(cd.c::text, 2, '0') || lpad(cd.d::text, 2, '0') AS code,
                       random() AS o
                  FROM unnest('{11,12,13,14,15,21,22,23,31,32,33,34,35,36,37,41,42,43,44,45,46,50,51,52,53,54,61,62,63,64,65}'::text[],
                              '{16,10,14, 8, 6,10, 6, 8,16,20,20, 8,10, 6,18,14, 8, 8,24, 8, 4,10,14, 6, 6, 3, 8, 4, 3, 3, 6}'::int[])
                       AS p(code, n),
                       LATERAL (SELECT 0 AS c, 0 AS d            -- the province itself
                                UNION ALL
                                SELECT 1 + floor(random() * 15)::int,  -- city, county (00: the city)
                                       floor(random() * 29)::int
                                  FROM generate_series(1, p.n)) cd) x
         ORDER BY code, o) y;

-- department+category with weights (cumulative shares)
CREATE TABLE bench.deptcat (dc text, upto float8);
INSERT INTO bench.deptcat VALUES
    ('91', 0.62), ('92', 0.80), ('93', 0.85),
    ('11', 0.865), ('12', 0.89), ('13', 0.895), ('19', 0.90),
    ('51', 0.925), ('52', 0.95), ('53', 0.955), ('59', 0.96),
    ('31', 0.97), ('A1', 0.975), ('N1', 0.985), ('N2', 0.99), ('Y1', 1.0);

-- GB 11714 check character of an 8-character organisation code body
-- (values 0-9, A-Z = 10-35, weights 3 7 9 10 5 8 4 2); plain expressions so
-- that the planner inlines them
CREATE FUNCTION bench.org_value(b text, i int) RETURNS int
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr(b, i, 1)) - 1
$fn$;
CREATE FUNCTION bench.org_check(b text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT substr('123456789X0',
                  11 - (3 * bench.org_value(b, 1) + 7 * bench.org_value(b, 2)
                        + 9 * bench.org_value(b, 3) + 10 * bench.org_value(b, 4)
                        + 5 * bench.org_value(b, 5) + 8 * bench.org_value(b, 6)
                        + 4 * bench.org_value(b, 7) + 2 * bench.org_value(b, 8)) % 11,
                  1)
$fn$;

CREATE TABLE bench.codes (id int, code text);
WITH params AS (
    SELECT '0123456789ABCDEFGHJKLMNPQRTUWXY'::text AS a,
           (SELECT array_agg(code ORDER BY idx) FROM bench.region) AS regs,
           (SELECT count(*) FROM bench.region) AS nreg
), g AS (
    SELECT i, random() AS r_dc,
           -- skewed draw: the first regions are the busy ones
           regs[1 + floor(nreg * random() ^ 2)::int] AS region,
           CASE WHEN random() < 0.7 THEN     -- new style, "MA" + 6
               'MA' || substr(a, 1 + floor(random() * 31)::int, 1)
                    || substr(a, 1 + floor(random() * 31)::int, 1)
                    || substr(a, 1 + floor(random() * 31)::int, 1)
                    || substr(a, 1 + floor(random() * 31)::int, 1)
                    || substr(a, 1 + floor(random() * 31)::int, 1)
                    || substr(a, 1 + floor(random() * 31)::int, 1)
           ELSE                              -- converted old organisation code
               lpad(floor(random() * 100000000)::bigint::text, 8, '0')
           END AS body8
      FROM generate_series(1, :rows) i, params
), body AS (
    SELECT i, (SELECT dc FROM bench.deptcat WHERE upto >= r_dc ORDER BY upto LIMIT 1)
              || region || body8 || bench.org_check(body8) AS body17
      FROM g
)
INSERT INTO bench.codes
SELECT row_number() OVER (ORDER BY random()), body17 || credit.uscc_check_char(body17)
  FROM body;

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
