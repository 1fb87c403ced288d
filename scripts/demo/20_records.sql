-- Part 2: working days, publicity periods and the public record
\echo
\echo '== 4. Working days on China''s holiday calendar (credit.calendar, 2015-2026)'
SELECT d AS day, to_char(d, 'Dy') AS dow, credit.is_working_day(d) AS working,
       (SELECT name FROM credit.calendar c WHERE c.day = d) AS arrangement
FROM generate_series(DATE '2025-09-27', DATE '2025-10-11', interval '1 day') g(ts), LATERAL (SELECT g.ts::date AS d) x
WHERE d IN ('2025-09-27', '2025-09-28', '2025-09-30', '2025-10-01', '2025-10-08', '2025-10-09', '2025-10-11');
SELECT credit.add_working_days('2025-09-30', 1) AS "2025-09-30 + 1 working day",
       credit.add_working_days('2026-02-13', 5) AS "2026-02-13 + 5",
       credit.working_days_between('2024-12-31', '2025-12-31') AS "working days in 2025";

\echo
\echo '== 5. Publicity periods by ruleset (decided 2026-01-31, disclosed 2026-02-10)'
SELECT r.ruleset, s.severity, w.published, w.starts, w.min_end AS repair_from, w.max_end AS shown_until
FROM (VALUES ('national'), ('national-2019'), ('dandong')) r(ruleset),
     (VALUES ('minor'), ('general'), ('serious')) s(severity),
     credit.publicity_window('administrative_penalty', s.severity, '2026-01-31', '2026-02-10', r.ruleset) w
ORDER BY 1, array_position(ARRAY['minor','general','serious'], s.severity);

\echo
\echo '== 6. Records: 30 000 subjects, 60 000 records across categories, severities and rulesets'
SELECT setseed(0.21) \g /dev/null
INSERT INTO credit.subject (uscc, name)
SELECT code, name FROM demo.organisation ORDER BY org_id LIMIT 25000;
INSERT INTO credit.subject (rid, name)
SELECT id, name FROM demo.person ORDER BY id LIMIT 5000;
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on, disclosed_on, ruleset, corrected_on)
SELECT s.subject_id, x.category, x.severity,
       (ARRAY['市场监督管理局','税务局','生态环境局','应急管理局','人民法院'])[1 + floor(random() * 5)::int],
       x.decided, least(x.decided + floor(random() * 10)::int, current_date),
       (ARRAY['national','national','national','national-2019','dandong'])[1 + floor(random() * 5)::int],
       CASE WHEN random() < 0.6 THEN least(x.decided + 20 + floor(random() * 60)::int, current_date) END
FROM (SELECT 1 + floor(random() * 30000)::int AS sid, DATE '2022-06-01' + floor(random() * 1600)::int AS decided, random() AS r
      FROM generate_series(1, 60000)) g
JOIN credit.subject s ON s.subject_id = g.sid
CROSS JOIN LATERAL (SELECT
       CASE WHEN g.r < 0.80 THEN 'administrative_penalty' WHEN g.r < 0.90 THEN 'abnormal_operations'
            WHEN g.r < 0.96 THEN 'serious_dishonesty_list' ELSE 'judgment_defaulter' END AS category,
       g.decided) c
CROSS JOIN LATERAL (SELECT c.category, c.decided,
       CASE c.category WHEN 'administrative_penalty'
            THEN (ARRAY['minor','general','general','general','serious'])[1 + floor(random() * 5)::int]
            WHEN 'abnormal_operations' THEN 'general' ELSE 'serious' END AS severity) x
WHERE x.decided <= DATE '2026-11-21';

SELECT ruleset, category, severity, count(*) AS records,
       count(*) FILTER (WHERE publicity_starts IS NULL) AS not_published,
       min(publicity_max_end - decided_on) AS min_days_shown, max(publicity_max_end - decided_on) AS max_days_shown
FROM credit.record GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

\echo
\echo '== 7. The public record today (credit.public_record: window and state, IDs masked)'
SELECT category_name, severity, count(*) AS shown, count(*) FILTER (WHERE uscc IS NULL) AS persons
FROM credit.public_record GROUP BY 1, 2 ORDER BY 1, 2;
SELECT record_id, subject_name, coalesce(uscc::text, rid_masked) AS identifier, category_name, severity, shown_until
FROM credit.public_record WHERE rid_masked IS NOT NULL ORDER BY record_id LIMIT 3;
\echo '-- records past their maximum period left the view by themselves; expire_records() marks them for reports:'
SELECT credit.expire_records() AS marked_expired;
SELECT state, count(*) FROM credit.record GROUP BY 1 ORDER BY 1;
