-- test/bench/records.sql -- issue 3: the publicity trigger and the
-- working-day functions against plain PostgreSQL (run by test/bench/run.sh
-- after common.sql).
--
-- psql variables: rec_rows (records inserted per run), wd_rows (rows of
-- the working-day table).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\o /dev/null
SET max_parallel_workers_per_gather = 0;	-- random() must be deterministic
\ir gen_records.sql

-- ---------------------------------------------------------------------------
-- INSERT ... SELECT of rec_rows records from a staging table into two tables
-- with the columns, defaults, CHECKs and indexes of credit.record (no
-- foreign keys on either side), one with the publicity trigger.
-- ---------------------------------------------------------------------------
SELECT setseed(0.2022);
CREATE TABLE bench.rec_stage (LIKE credit.record INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
INSERT INTO bench.rec_stage (record_id, subject_id, category, severity, excluded_category, authority,
                             decided_on, disclosed_on, corrected_on, ruleset)
SELECT * FROM bench.gen_records(:rec_rows, 150000);
VACUUM (ANALYZE) bench.rec_stage;

CREATE TABLE bench.rec_trig (LIKE credit.record INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
CREATE TABLE bench.rec_plain (LIKE credit.record INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
CREATE TRIGGER rec_publicity BEFORE INSERT OR UPDATE ON bench.rec_trig
    FOR EACH ROW EXECUTE FUNCTION credit.publicity_trigger();

-- sanity: the trigger fills the ruleset, disclosed_on and the windows of
-- credit.publicity_window(), and the two tables have the same indexes
INSERT INTO bench.rec_trig SELECT * FROM bench.rec_stage WHERE record_id <= 20000;
DO $do$
DECLARE
    n bigint;
    bad bigint;
    shown bigint;
BEGIN
    SELECT count(*),
           count(*) FILTER (WHERE t.ruleset IS NULL OR t.disclosed_on IS NULL
                               OR (t.publicity_starts, t.publicity_min_end, t.publicity_max_end)
                                  IS DISTINCT FROM (w.starts, w.min_end, w.max_end)),
           count(*) FILTER (WHERE t.publicity_starts IS NOT NULL)
      INTO n, bad, shown
      FROM bench.rec_trig t
      JOIN bench.rec_stage s USING (record_id),
           LATERAL credit.publicity_window(s.category, s.severity, s.decided_on, s.disclosed_on, s.ruleset) w;
    IF n = 0 OR bad <> 0 OR shown = 0 THEN
        RAISE EXCEPTION 'publicity trigger: % of % rows differ from publicity_window() (% published)', bad, n, shown;
    END IF;
    IF (SELECT array_agg(regexp_replace(pg_get_indexdef(indexrelid), '^.* USING ', '') ORDER BY 1)
          FROM pg_index WHERE indrelid = 'bench.rec_trig'::regclass)
       IS DISTINCT FROM
       (SELECT array_agg(regexp_replace(pg_get_indexdef(indexrelid), '^.* USING ', '') ORDER BY 1)
          FROM pg_index WHERE indrelid = 'bench.rec_plain'::regclass) THEN
        RAISE EXCEPTION 'bench.rec_trig and bench.rec_plain have different indexes';
    END IF;
END
$do$;
TRUNCATE bench.rec_trig;

-- ---------------------------------------------------------------------------
-- Working days: wd_rows dates over 2016-2026, n in -30..60, and a second
-- date e = d - 30 .. d + 90 days
-- ---------------------------------------------------------------------------
SELECT setseed(0.2016);
CREATE TABLE bench.wd (d date, n int, e date);
INSERT INTO bench.wd
SELECT d, n, d + e_off
  FROM (SELECT date '2016-01-01' + floor(random() * (date '2027-01-01' - date '2016-01-01'))::int AS d,
               -30 + floor(random() * 91)::int AS n,
               -30 + floor(random() * 121)::int AS e_off
          FROM generate_series(1, :wd_rows)
        OFFSET 0) g;
VACUUM (ANALYZE) bench.wd;

-- ---------------------------------------------------------------------------
-- what is measured, and the report
-- ---------------------------------------------------------------------------
INSERT INTO bench.sections VALUES
    ('records', 2, 'Issue 3: publicity trigger and working days',
     bench.describe_records('bench.rec_stage')
     || format('; working days: %s rows, d %s .. %s, n %s .. %s, b - a %s .. %s days',
               (SELECT count(*) FROM bench.wd), (SELECT min(d) FROM bench.wd), (SELECT max(d) FROM bench.wd),
               (SELECT min(n) FROM bench.wd), (SELECT max(n) FROM bench.wd),
               (SELECT min(e - d) FROM bench.wd), (SELECT max(e - d) FROM bench.wd)));

INSERT INTO bench.cases (section, bench, side, ord, sql, must, pre) VALUES
    ('records', 'trigger_insert', 'trigger', 1,
     'INSERT INTO bench.rec_trig SELECT * FROM bench.rec_stage', NULL,
     '{"TRUNCATE bench.rec_trig", CHECKPOINT}'),
    ('records', 'trigger_insert', 'plain', 2,
     'INSERT INTO bench.rec_plain SELECT * FROM bench.rec_stage', NULL,
     '{"TRUNCATE bench.rec_plain", CHECKPOINT}'),
    ('records', 'add_working_days', 'credit', 3,
     'SELECT count(credit.add_working_days(d, n)) FROM bench.wd', '{"Seq Scan"}', '{}'),
    ('records', 'add_working_days', 'plain', 4,
     'SELECT count(d + n) FROM bench.wd', '{"Seq Scan"}', '{}'),
    ('records', 'working_days_between', 'credit', 5,
     'SELECT count(credit.working_days_between(d, e)) FROM bench.wd', '{"Seq Scan"}', '{}'),
    ('records', 'working_days_between', 'plain', 6,
     'SELECT count(e - d) FROM bench.wd', '{"Seq Scan"}', '{}');

INSERT INTO bench.report_spec (section, ord, label, bench, side, base, target) VALUES
    ('records', 1, format('INSERT ... SELECT %s records: with publicity trigger vs without', :rec_rows),
     'trigger_insert', 'trigger', 'plain', 1.5),
    ('records', 2, format('count(add_working_days(d, n)) vs count(d + n), %s rows', :wd_rows),
     'add_working_days', 'credit', 'plain', NULL),
    ('records', 3, format('count(working_days_between(a, b)) vs count(b - a), %s rows', :wd_rows),
     'working_days_between', 'credit', 'plain', NULL);
