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
