-- pgTAP: working days against a plain-SQL reference, every day 2015-2026
BEGIN;
SELECT plan(12);
SET LOCAL credit.calendar_coverage = 'ignore';

-- the definition, in plain SQL, with a running count of working days
CREATE TEMP TABLE ref AS
SELECT day, working, sum(working::int) OVER (ORDER BY day) AS cum
FROM (SELECT d::date AS day,
             CASE c.kind WHEN 'workday' THEN true WHEN 'holiday' THEN false
                  ELSE extract(isodow FROM d) < 6 END AS working
      FROM generate_series(DATE '2014-10-01', DATE '2027-03-31', interval '1 day') d
      LEFT JOIN credit.calendar c ON c.day = d::date) s;
CREATE UNIQUE INDEX ON ref (day);
-- the k-th working day
CREATE TEMP TABLE ref_k AS SELECT cum AS k, day FROM ref WHERE working;
CREATE UNIQUE INDEX ON ref_k (k);

SELECT is((SELECT count(*)::int FROM ref WHERE credit.is_working_day(day) <> working), 0,
          'is_working_day equals the definition on every day 2014-10 .. 2027-03');
SELECT is((SELECT count(*)::int FROM ref a JOIN ref b ON b.day = a.day + 45
           WHERE a.day BETWEEN '2015-01-01' AND '2026-12-31'
             AND credit.working_days_between(a.day, b.day) <> b.cum - a.cum), 0,
          'working_days_between(d, d + 45) equals the count in (d, d + 45]');
SELECT is((SELECT count(*)::int FROM ref a, (VALUES (1), (3), (10), (40)) n(n), ref_k k
           WHERE a.day BETWEEN '2015-01-01' AND '2026-12-31' AND k.k = a.cum + n
             AND credit.add_working_days(a.day, n) <> k.day), 0,
          'add_working_days(d, n > 0) equals the n-th working day after d');
SELECT is((SELECT count(*)::int FROM ref a, (VALUES (1), (3), (10), (40)) n(n), ref_k k
           WHERE a.day BETWEEN '2015-01-01' AND '2026-12-31'
             AND k.k = a.cum - a.working::int - n + 1
             AND credit.add_working_days(a.day, -n) <> k.day), 0,
          'add_working_days(d, -n) equals the n-th working day before d');
SELECT is(credit.add_working_days('2025-09-30', 1), DATE '2025-10-09', 'spec example: 2025-09-30 + 1 = 2025-10-09');
SELECT ok(credit.is_working_day('2025-09-28'), '2025-09-28 is a working Sunday');
SELECT is(credit.add_working_days('2025-10-01', 0), DATE '2025-10-01', 'n = 0 is the day itself, even a holiday');

-- the cache follows inserts at once, and rollbacks
SAVEPOINT s;
INSERT INTO credit.calendar VALUES ('2026-11-23', 'holiday', 'test');
SELECT ok(NOT credit.is_working_day('2026-11-23'), 'an inserted holiday counts at once');
ROLLBACK TO SAVEPOINT s;
SELECT ok(credit.is_working_day('2026-11-23'), 'and no longer after rollback');

-- the generic trigger on a user's own table
CREATE TEMP TABLE my_penalty (
    id int, kind text, grade text, decided date, published_on date, rules text,
    p_start date, p_min date, p_max date);
CREATE TRIGGER pub BEFORE INSERT OR UPDATE ON my_penalty FOR EACH ROW
    EXECUTE FUNCTION credit.publicity_trigger('category=kind', 'severity=grade', 'decided_on=decided',
        'disclosed_on=published_on', 'ruleset=rules', 'publicity_starts=p_start',
        'publicity_min_end=p_min', 'publicity_max_end=p_max');
INSERT INTO my_penalty (id, kind, grade, decided, published_on, rules)
SELECT g, 'administrative_penalty', (ARRAY['minor','general','serious'])[1 + g % 3],
       DATE '2024-01-01' + g * 7, DATE '2024-01-01' + g * 7 + g % 5,
       (ARRAY['national','national-2019','dandong', NULL])[1 + g % 4]
FROM generate_series(1, 150) g;   -- decisions up to 2026-11 (future ones are refused)
SELECT is((SELECT count(*)::int FROM my_penalty m,
                  credit.publicity_window(m.kind, m.grade, m.decided, m.published_on, m.rules) w
           WHERE (m.p_start, m.p_min, m.p_max) IS DISTINCT FROM (w.starts, w.min_end, w.max_end)), 0,
          'trigger columns equal publicity_window() for 150 rows');
SELECT is((SELECT count(*)::int FROM my_penalty WHERE rules IS NULL), 0, 'a NULL ruleset column is filled with the default');
UPDATE my_penalty SET grade = 'serious' WHERE grade = 'general';
SELECT is((SELECT count(*)::int FROM my_penalty m,
                  credit.publicity_window(m.kind, m.grade, m.decided, m.published_on, m.rules) w
           WHERE (m.p_start, m.p_min, m.p_max) IS DISTINCT FROM (w.starts, w.min_end, w.max_end)), 0,
          'UPDATE recomputes');

SELECT * FROM finish();
ROLLBACK;
