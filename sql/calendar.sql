--
-- Working-day calendar and publicity windows
--
CREATE EXTENSION IF NOT EXISTS credit;
\set SHOW_CONTEXT never
SET datestyle = ISO;

-- the seeded State Council data
SELECT min(day), max(day), count(*) FILTER (WHERE kind = 'holiday') AS holidays,
       count(*) FILTER (WHERE kind = 'workday') AS workdays, bool_and(builtin) AS all_builtin
FROM credit.calendar;

-- 2025 National Day + Mid-Autumn block: Oct 1-8 off, Sun Sep 28 and Sat Oct 11 worked
SELECT d::date AS day, to_char(d, 'Dy') AS dow, credit.is_working_day(d::date) AS working
FROM generate_series(DATE '2025-09-27', DATE '2025-10-12', interval '1 day') d;
SELECT credit.add_working_days('2025-09-30', 1) AS after_sep30,
       credit.add_working_days('2025-09-26', 1) AS after_fri_sep26,
       credit.add_working_days('2025-10-09', -1) AS before_oct9,
       credit.add_working_days('2025-10-04', 0) AS zero_is_same_day,
       credit.add_working_days('2025-10-04', 1) AS from_a_holiday,
       credit.add_working_days('2025-10-04', -1) AS back_from_a_holiday;
SELECT credit.working_days_between('2025-09-26', '2025-10-12') AS sep26_to_oct12,
       credit.working_days_between('2025-10-12', '2025-09-26') AS reversed,
       credit.working_days_between('2025-10-01', '2025-10-08') AS inside_holiday,
       credit.working_days_between('2025-10-09', '2025-10-09') AS same_day;

-- Spring Festival 2026 and a range across the new year
SELECT credit.add_working_days('2026-02-13', 1) AS after_feb13,
       credit.add_working_days('2025-12-31', 1) AS after_new_year_eve,
       credit.add_working_days('2026-01-05', -3) AS back_across_years,
       credit.working_days_between('2024-12-31', '2026-01-01') AS working_days_2025;
-- add then subtract is the identity on working days
SELECT count(*) AS mismatches
FROM generate_series(DATE '2015-01-01', DATE '2026-12-31', interval '1 day') d,
     (VALUES (1), (5), (22), (250)) n(n)
WHERE credit.is_working_day(d::date)
  AND credit.add_working_days(credit.add_working_days(d::date, n), -n) <> d::date;
-- consistency: n working days after d are exactly n working days away
SELECT count(*) AS mismatches
FROM generate_series(DATE '2024-09-01', DATE '2026-03-01', interval '3 days') d, generate_series(-30, 30, 7) n
WHERE credit.working_days_between(d::date, credit.add_working_days(d::date, n)) <> n
  AND n > 0;

-- beyond the seeded years: weekends only, with the chosen policy
SET credit.calendar_coverage = 'error';
SELECT credit.add_working_days('2026-12-30', 5);
SET credit.calendar_coverage = 'ignore';
SELECT credit.add_working_days('2026-12-30', 5) AS weekends_only;
RESET credit.calendar_coverage;
SELECT credit.is_working_day('2031-01-01') AS new_year_2031_unknown;
SELECT credit.is_working_day('2031-01-02') AS warned_once_only;
-- infinite dates
SELECT credit.add_working_days('infinity', 1);

-- publicity windows: months are calendar months, ends are exclusive
SELECT r.ruleset, s.severity, w.*
FROM (VALUES ('national'), ('national-2019'), ('dandong')) r(ruleset),
     (VALUES ('minor'), ('general'), ('serious')) s(severity),
     credit.publicity_window('administrative_penalty', s.severity, '2026-01-31', '2026-02-10', r.ruleset) w
ORDER BY 1, 2;
SELECT c.category, w.*
FROM credit.record_category c,
     credit.publicity_window(c.category, CASE WHEN c.category IN ('abnormal_operations', 'key_attention_list') THEN 'general' ELSE 'serious' END,
                             '2024-02-29') w
ORDER BY 1;
-- month ends and leap days
SELECT d AS decided, w.min_end, w.max_end
FROM (VALUES (DATE '2026-01-31'), ('2025-11-30'), ('2024-02-29'), ('2023-08-31'), ('2026-12-31')) v(d),
     credit.publicity_window('administrative_penalty', 'general', d) w;
-- disclosed_on defaults to decided_on; credit.default_ruleset picks the ruleset
SELECT * FROM credit.publicity_window('administrative_penalty', 'serious', '2026-05-01');
SET credit.default_ruleset = 'national-2019';
SELECT * FROM credit.publicity_window('administrative_penalty', 'serious', '2026-05-01');
RESET credit.default_ruleset;
-- errors
SELECT * FROM credit.publicity_window('administrative_penalty', 'grave', '2026-05-01');
SELECT * FROM credit.publicity_window('parking_ticket', 'general', '2026-05-01');
SELECT * FROM credit.publicity_window('administrative_penalty', 'general', '2026-05-01', '2026-04-01');
SELECT * FROM credit.publicity_window('administrative_penalty', 'general', '2026-05-01', NULL, 'shenzhen');
SELECT * FROM credit.publicity_window('judgment_defaulter', 'general', '2026-05-01');
SELECT credit.publicity_window(NULL, 'general', '2026-05-01') IS NULL AS null_in;

-- users add future years with plain INSERTs; the cache follows at once
INSERT INTO credit.calendar VALUES ('2027-01-01', 'holiday', '元旦');
SELECT credit.add_working_days('2026-12-31', 1) AS first_working_day_2027;
INSERT INTO credit.calendar VALUES ('2027-01-02', 'holiday', '元旦', true);
UPDATE credit.calendar SET kind = 'workday' WHERE day = '2025-10-01';
DELETE FROM credit.calendar WHERE day = '2025-10-01';
DELETE FROM credit.calendar WHERE day = '2027-01-01';
SELECT credit.add_working_days('2026-12-31', 1) AS after_delete;

-- local rules: copy a builtin ruleset and adapt the copy
UPDATE credit.publicity_rule SET min_period = '1 month' WHERE ruleset = 'national';
SELECT credit.copy_ruleset('national', 'shenzhen', '深圳市信用修复规则');
UPDATE credit.publicity_rule SET min_period = '2 months'
WHERE ruleset = 'shenzhen' AND category = 'administrative_penalty' AND severity = 'general';
SELECT * FROM credit.publicity_window('administrative_penalty', 'general', '2026-05-01', NULL, 'shenzhen');
SELECT ruleset, count(*) AS rules, bool_or(builtin) AS builtin FROM credit.publicity_rule GROUP BY 1 ORDER BY 1;

-- another session sees a committed calendar change (relcache invalidation)
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT dblink_connect('other', format('dbname=%s port=%s host=%s', current_database(),
       current_setting('port'), split_part(current_setting('unix_socket_directories'), ',', 1)));
SELECT * FROM dblink('other', $$SELECT credit.add_working_days('2026-12-31', 1)$$) AS t(d date);
INSERT INTO credit.calendar VALUES ('2027-01-01', 'holiday', '元旦');
SELECT * FROM dblink('other', $$SELECT credit.add_working_days('2026-12-31', 1)$$) AS t(d date);
DELETE FROM credit.calendar WHERE day = '2027-01-01';
SELECT * FROM dblink('other', $$SELECT credit.add_working_days('2026-12-31', 1)$$) AS t(d date);
SELECT dblink_disconnect('other');
DROP EXTENSION dblink;
