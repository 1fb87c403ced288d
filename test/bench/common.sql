-- test/bench/common.sql -- schema bench and the timing helpers of every
-- section of the credit benchmarks (run first by test/bench/run.sh).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\o /dev/null

CREATE EXTENSION IF NOT EXISTS credit;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- ---------------------------------------------------------------------------
-- Timing, inside the server (psql and client transfer are not measured).
-- ---------------------------------------------------------------------------
CREATE TABLE bench.runs (
    bench  text NOT NULL,
    side   text NOT NULL,
    rep    int NOT NULL,
    ms     float8 NOT NULL,
    detail text
);

CREATE TABLE bench.sizes (
    bench  text NOT NULL,
    side   text NOT NULL,
    bytes  bigint NOT NULL
);

-- wall-clock time of one statement, clock_timestamp() around EXECUTE
CREATE FUNCTION bench.measure(b text, s text, r int, q text) RETURNS float8
LANGUAGE plpgsql AS $fn$
DECLARE
    t0 timestamptz;
    ms float8;
BEGIN
    t0 := clock_timestamp();
    EXECUTE q;
    ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
    INSERT INTO bench.runs VALUES (b, s, r, ms, NULL);
    RETURN ms;
END
$fn$;

-- a one-line summary of an EXPLAIN (FORMAT JSON) plan: node types, sort
-- methods, hash batches; and, where they say something, aggregate
-- strategies other than Plain, partial modes other than Simple and the
-- workers of a Gather (none of these occur in the issue-2 plans)
CREATE FUNCTION bench.plan_summary(plan jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT concat_ws('; ',
        (SELECT string_agg(v #>> '{}', ' > ')
           FROM jsonb_path_query(plan, 'strict $.**."Node Type"') v),
        (SELECT 'sort: ' || string_agg(DISTINCT v #>> '{}', ',')
           FROM jsonb_path_query(plan, 'strict $.**."Sort Method"') v),
        (SELECT 'sort space: ' || string_agg(DISTINCT v #>> '{}', ',')
           FROM jsonb_path_query(plan, 'strict $.**."Sort Space Type"') v),
        (SELECT 'hash batches: ' || string_agg(DISTINCT v #>> '{}', ',')
           FROM jsonb_path_query(plan, 'strict $.**."Hash Batches"') v),
        (SELECT 'strategy: ' || string_agg(DISTINCT v #>> '{}', ',')
           FROM jsonb_path_query(plan, 'strict $.**."Strategy"') v
          WHERE v #>> '{}' <> 'Plain'),
        (SELECT 'partial: ' || string_agg(DISTINCT v #>> '{}', ',')
           FROM jsonb_path_query(plan, 'strict $.**."Partial Mode"') v
          WHERE v #>> '{}' <> 'Simple'),
        (SELECT 'workers planned: ' || string_agg(v #>> '{}', ',')
           FROM jsonb_path_query(plan, 'strict $.**."Workers Planned"') v),
        (SELECT 'workers launched: ' || string_agg(v #>> '{}', ',')
           FROM jsonb_path_query(plan, 'strict $.**."Workers Launched"') v))
$fn$;

-- executor time of a query by EXPLAIN (ANALYZE, TIMING OFF); fails unless
-- the plan summary contains every one of must[]: we measure what we think
-- we measure (a Sort, a Hash Join), not an index scan or a merge join.  The
-- summary notes JIT compilation when there was some (with jit = on).
CREATE FUNCTION bench.measure_plan(b text, s text, r int, q text, must text[])
RETURNS float8 LANGUAGE plpgsql AS $fn$
DECLARE
    plan jsonb;
    summary text;
    ms float8;
    m text;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ' || q INTO plan;
    ms := (plan -> 0 ->> 'Execution Time')::float8;
    summary := concat_ws('; ', bench.plan_summary(plan -> 0 -> 'Plan'),
                         'jit: ' || (plan -> 0 -> 'JIT' ->> 'Functions') || ' functions');
    FOREACH m IN ARRAY must LOOP
        IF position(m IN summary) = 0 THEN
            RAISE EXCEPTION 'bench %/%: the plan has no "%": %', b, s, m, summary;
        END IF;
    END LOOP;
    INSERT INTO bench.runs VALUES (b, s, r, ms, summary);
    RETURN ms;
END
$fn$;

-- ---------------------------------------------------------------------------
-- The sections after issue 2 describe their measurements as data; run.sh
-- turns them into statements with bench.schedule() and psql's \gexec, so
-- every statement runs on its own (autocommit) as in the issue-2 script.
-- ---------------------------------------------------------------------------
CREATE TABLE bench.sections (
    section text PRIMARY KEY,
    ord     int NOT NULL,
    title   text NOT NULL,
    data    text			-- one line describing the data set
);

-- one side of one measurement
CREATE TABLE bench.cases (
    section  text NOT NULL,
    bench    text NOT NULL,
    side     text NOT NULL,
    ord      int NOT NULL,		-- order of the benches, and of the sides in odd runs
    sql      text NOT NULL,		-- the statement measured
    must     text[],			-- NULL: wall clock (bench.measure); else EXPLAIN ANALYZE and plan check
    pre      text[] NOT NULL DEFAULT '{}',	-- untimed statements before every run (TRUNCATE, CHECKPOINT)
    settings text[] NOT NULL DEFAULT '{}',	-- SET commands for this side only ('SET name = value')
    PRIMARY KEY (bench, side)
);

-- one row of the report: ratio of side to base, target (NULL: report only)
CREATE TABLE bench.report_spec (
    section text NOT NULL,
    ord     int NOT NULL,
    label   text NOT NULL,
    bench   text NOT NULL,
    side    text NOT NULL,
    base    text NOT NULL,
    target  float8,
    op      text NOT NULL DEFAULT '<=' CHECK (op IN ('<=', '<')),
    unit    text NOT NULL DEFAULT 'ms'
);

-- the statements of a section: per bench, a warm-up run 0 (not counted in
-- the medians) and runs 1..reps, the order of the sides reversed in even
-- runs; before each run the side's untimed statements, then the settings
-- every measurement starts from (serial, no JIT) and the side's own, which
-- are RESET after it
CREATE FUNCTION bench.schedule(sec text, reps int) RETURNS SETOF text
LANGUAGE plpgsql AS $fn$
DECLARE
    b record;
    c record;
    r int;
    st text;
BEGIN
    FOR b IN SELECT bench FROM bench.cases WHERE section = sec GROUP BY bench ORDER BY min(ord) LOOP
        FOR r IN 0 .. reps LOOP
            FOR c IN SELECT * FROM bench.cases
                      WHERE bench = b.bench
                      ORDER BY CASE WHEN r % 2 = 1 THEN ord ELSE -ord END LOOP
                FOREACH st IN ARRAY c.pre LOOP
                    RETURN NEXT st;
                END LOOP;
                RETURN NEXT 'SET max_parallel_workers_per_gather = 0';
                RETURN NEXT 'SET jit = off';
                FOREACH st IN ARRAY c.settings LOOP
                    RETURN NEXT st;
                END LOOP;
                RETURN NEXT format($f$SELECT format('%%-24s %%-14s run %%s: %%s ms', %L, %L, %s, round(%s::numeric, 1))$f$,
                    c.bench, c.side, r,
                    CASE WHEN c.must IS NULL
                         THEN format('bench.measure(%L, %L, %s, %L)', c.bench, c.side, r, c.sql)
                         ELSE format('bench.measure_plan(%L, %L, %s, %L, %L)', c.bench, c.side, r, c.sql, c.must)
                    END);
                FOREACH st IN ARRAY c.settings LOOP
                    RETURN NEXT 'RESET ' || substring(st FROM '^SET\s+(\w+)');
                END LOOP;
            END LOOP;
        END LOOP;
    END LOOP;
    RETURN NEXT 'SET max_parallel_workers_per_gather = 0';
    RETURN NEXT 'SET jit = off';
END
$fn$;

-- ---------------------------------------------------------------------------
-- Realistic codes, for the sections that generate them (uscc, quality).
-- Regions: a few hundred real-looking 6-digit codes (the 31 province codes
-- of the mainland, province level plus cities and counties), drawn with a
-- skew so that big regions get more registrations.  Department/category:
-- mostly 91 (enterprises), 92 (individual businesses), 93 (farmers'
-- cooperatives), plus institutions, social organisations, ...  Organisation
-- code: 9 characters, "MA..." style (new registrations) or 8 digits
-- (converted old organisation codes), with the GB 11714 check.
-- ---------------------------------------------------------------------------
SELECT setseed(0.2015);

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

-- n code bodies (the first 17 characters; the caller adds a check
-- character), from the session's random() sequence: seed it first
CREATE FUNCTION bench.code_bodies(n bigint) RETURNS TABLE (i bigint, body17 text)
LANGUAGE sql AS $fn$
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
      FROM generate_series(1, n) i, params
)
SELECT i, (SELECT dc FROM bench.deptcat WHERE upto >= r_dc ORDER BY upto LIMIT 1)
          || region || body8 || bench.org_check(body8)
  FROM g
$fn$;
