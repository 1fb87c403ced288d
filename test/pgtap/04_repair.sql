-- pgTAP: credit repair end to end per ruleset, the candidate view, and the
-- C eligibility against a plain-SQL formulation on random data
BEGIN;
SELECT plan(44);
SET LOCAL credit.calendar_coverage = 'ignore';

CREATE FUNCTION pg_temp.code(n int) RETURNS credit.uscc LANGUAGE sql AS $$
    SELECT (b || credit.uscc_check_char(b))::credit.uscc
    FROM (SELECT '913501' || lpad((n % 100)::text, 2, '0') || 'MA' || lpad(n::text, 7, '0') AS b) s $$;

-- ---------------------------------------------------------------- national
INSERT INTO credit.subject (subject_id, uscc, name) VALUES (900001, pg_temp.code(1), 'national co');
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, ruleset, corrected_on)
VALUES (900001, 900001, 'administrative_penalty', 'general', 'a', '2026-01-31', 'national', '2026-02-10');
-- 令第36号: the public credit commitment
INSERT INTO credit.commitment (subject_id, kind, authority, content, signed_on, record_id)
VALUES (900001, 'repair', 'a', '信用修复承诺', '2026-02-10', 900001);
SELECT is((credit.repair_eligibility(900001, '2026-04-29')).reasons, '{min_period_not_elapsed}',
          'national general: the day before the 3 months end');
SELECT ok((credit.repair_eligibility(900001, '2026-04-30')).eligible,
          'national general: eligible the day the 3 months end (2026-01-31 + 3 months = 04-30)');
INSERT INTO credit.repair_application (application_id, record_id, applicant, submitted_on) VALUES (900001, 900001, 'x', '2026-04-30');
UPDATE credit.repair_application SET state = 'accepted', accepted_on = '2026-04-30' WHERE application_id = 900001;
UPDATE credit.repair_application SET state = 'approved', decided_on = '2026-04-30' WHERE application_id = 900001;
SELECT is((SELECT processing_deadline FROM credit.repair_application WHERE application_id = 900001), DATE '2026-05-08',
          'national: 3 working days to process across the May Day holiday (05-01..05-05 off, 05-09 worked)');
UPDATE credit.repair_application SET state = 'processed', processed_on = '2026-05-06' WHERE application_id = 900001;
SELECT is((SELECT state FROM credit.record WHERE record_id = 900001), 'repaired', 'processing repairs the record');
SELECT ok(NOT EXISTS (SELECT 1 FROM credit.public_record_at('2026-05-07') WHERE record_id = 900001),
          'a repaired record leaves public view');
SELECT is((SELECT count(*)::int FROM credit.record WHERE record_id = 900001), 1, 'and stays as an archive row');

-- ----------------------------------------------------------- national-2019
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, ruleset, corrected_on)
VALUES (900002, 900001, 'administrative_penalty', 'serious', 'a', '2025-08-31', 'national-2019', '2025-09-05');
SELECT is((credit.repair_eligibility(900002, '2026-02-27')).reasons,
          '{min_period_not_elapsed,training_missing,credit_report_missing}',
          'national-2019 serious: the day before 6 months (2025-08-31 + 6 months = 2026-02-28)');
SELECT is((credit.repair_eligibility(900002, '2026-02-28')).reasons, '{training_missing,credit_report_missing}',
          'national-2019 serious: the minimum has passed; training and report still missing');
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours) VALUES
    (900002, 'training', '2026-02-20', 3), (900002, 'credit_report', '2026-02-21', NULL);
SELECT ok((credit.repair_eligibility(900002, '2026-02-28')).eligible, 'national-2019 serious: eligible with 3 hours and a report');

-- ----------------------------------------------------------------- dandong
INSERT INTO credit.subject (subject_id, uscc, name) VALUES (900002, pg_temp.code(2), 'dandong co');
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, disclosed_on, ruleset, corrected_on)
VALUES (900003, 900002, 'administrative_penalty', 'general', 'a', '2025-12-20', '2025-12-31', 'dandong', '2026-01-05'),
       (900004, 900002, 'administrative_penalty', 'serious', 'a', '2025-12-20', '2025-12-31', 'dandong', '2026-01-05');
SELECT is((credit.repair_eligibility(900003, '2026-06-29')).earliest_on, DATE '2026-06-30',
          'dandong: 6 months from disclosure (2025-12-31 + 6 months = 2026-06-30)');
SELECT is((credit.repair_eligibility(900003, '2026-06-29')).reasons,
          '{min_period_not_elapsed,commitment_missing,interview_missing,training_missing}', 'dandong: the day before');
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours) VALUES
    (900003, 'commitment', '2026-06-01', NULL), (900003, 'interview', '2026-06-02', NULL), (900003, 'training', '2026-06-03', 1),
    (900004, 'commitment', '2026-06-01', NULL), (900004, 'interview', '2026-06-02', NULL), (900004, 'training', '2026-06-03', 1);
SELECT ok((credit.repair_eligibility(900003, '2026-06-30')).eligible, 'dandong: eligible the day the 6 months end');
INSERT INTO credit.repair_application (application_id, record_id, applicant, submitted_on) VALUES (900002, 900003, 'x', '2026-06-30');
UPDATE credit.repair_application SET state = 'accepted', accepted_on = '2026-06-30' WHERE application_id = 900002;
UPDATE credit.repair_application SET state = 'noticed', noticed_on = '2026-07-01' WHERE application_id = 900002;
SELECT is((SELECT notice_last_day FROM credit.repair_application WHERE application_id = 900002), DATE '2026-07-08',
          'dandong: 5 working days of notice');
SELECT throws_ok($$UPDATE credit.repair_application SET state = 'approved', decided_on = '2026-07-08' WHERE application_id = 900002$$,
                 '55000', NULL, 'no approval on the last notice day');
INSERT INTO credit.objection (record_id, application_id, raised_on, raised_by, reason) VALUES (900003, 900002, '2026-07-03', 'x', 'y');
SELECT is((SELECT state FROM credit.repair_application WHERE application_id = 900002), 'accepted',
          'an objection during the notice sends the application back to review');
UPDATE credit.objection SET state = 'dismissed', resolved_on = '2026-07-06' WHERE record_id = 900003;
UPDATE credit.repair_application SET state = 'noticed', noticed_on = '2026-07-06' WHERE application_id = 900002;
UPDATE credit.repair_application SET state = 'approved', decided_on = '2026-07-14' WHERE application_id = 900002;
SELECT is((SELECT processing_deadline FROM credit.repair_application WHERE application_id = 900002), DATE '2026-07-15',
          'dandong: processing within 1 working day');
UPDATE credit.repair_application SET state = 'processed', processed_on = '2026-07-15' WHERE application_id = 900002;
SELECT is((credit.repair_eligibility(900004, '2026-07-16')).reasons, '{same_type_repaired_recently}',
          'dandong: the same type was repaired within 3 years');

-- ------------------------------------------------------ the candidate view
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, ruleset, corrected_on)
VALUES (900005, 900001, 'administrative_penalty', 'general', 'a', current_date - 200, 'national', current_date - 190),
       (900006, 900001, 'administrative_penalty', 'general', 'a', current_date - 10, 'national', current_date - 5),
       (900007, 900001, 'administrative_penalty', 'general', 'a', current_date - 200, 'national', NULL);
INSERT INTO credit.commitment (subject_id, kind, authority, content, signed_on, record_id)
SELECT 900001, 'repair', 'a', '信用修复承诺', current_date - 1, r FROM unnest(ARRAY[900005, 900006, 900007]) r;
SELECT is(ARRAY(SELECT record_id FROM credit.repair_candidate WHERE record_id >= 900005 ORDER BY 1), '{900005}'::bigint[],
          'repair_candidate: only the record eligible today');

-- --------------------------- property: C eligibility = a plain-SQL formulation
SELECT setseed(0.42);
INSERT INTO credit.subject (subject_id, uscc, name) SELECT 910000 + g, pg_temp.code(1000 + g), 's' || g FROM generate_series(1, 150) g;
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, disclosed_on, ruleset, corrected_on, excluded_category)
SELECT 920000 + g, 910001 + (g % 150), c.category, c.severity, 'a', d, d + (g % 9),
       (ARRAY['national','national-2019','dandong'])[1 + g % 3],
       CASE WHEN g % 4 <> 0 THEN d + (g % 40) END,
       CASE WHEN g % 13 = 0 THEN 1 + g % 6 END
FROM generate_series(1, 1500) g
CROSS JOIN LATERAL (SELECT DATE '2022-01-01' + (random() * 1500)::int AS d) dd
CROSS JOIN LATERAL (SELECT (ARRAY['administrative_penalty','administrative_penalty','serious_dishonesty_list','abnormal_operations','judgment_defaulter'])[1 + g % 5] AS category) c0
CROSS JOIN LATERAL (SELECT c0.category, CASE c0.category WHEN 'administrative_penalty' THEN (ARRAY['minor','general','serious'])[1 + (g / 5) % 3]
                                        WHEN 'abnormal_operations' THEN 'general' ELSE 'serious' END AS severity) c;
-- repair commitments for a quarter of the records, public or not, some withdrawn
INSERT INTO credit.commitment (subject_id, kind, authority, content, signed_on, record_id, public)
SELECT r.subject_id, 'repair', 'a', 'c', least(r.decided_on + (random() * 400)::int, current_date, r.publicity_max_end - 1), r.record_id, random() < 0.6
FROM credit.record r WHERE r.record_id BETWEEN 920001 AND 921500 AND r.record_id % 4 = 1;
UPDATE credit.commitment SET state = 'withdrawn', ended_on = least(signed_on + 60, current_date)
WHERE record_id BETWEEN 920001 AND 921500 AND record_id % 5 = 0;
-- earlier repairs, revoked and expired records (through the allowed transitions)
UPDATE credit.record SET state = 'under_repair' WHERE record_id BETWEEN 920001 AND 921500 AND record_id % 7 IN (0, 1);
UPDATE credit.record SET state = 'repaired', repair_decided_on = decided_on + 200 + (record_id % 300)::int
WHERE record_id BETWEEN 920001 AND 921500 AND record_id % 7 = 0;
UPDATE credit.record SET state = 'revoked' WHERE record_id BETWEEN 920001 AND 921500 AND record_id % 11 = 0 AND state = 'published';
UPDATE credit.record SET state = 'expired' WHERE record_id BETWEEN 920001 AND 921500 AND record_id % 17 = 0 AND state = 'published';
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours)
SELECT 920000 + g, k, DATE '2023-01-01' + (random() * 1200)::int, CASE WHEN k = 'training' THEN 1 + (g % 3) END
FROM generate_series(1, 1500) g, (VALUES ('commitment'), ('interview'), ('training'), ('credit_report'), ('training')) v(k)
WHERE random() < 0.5;
INSERT INTO credit.objection (record_id, raised_on, raised_by, reason)
SELECT r.record_id, greatest(r.decided_on, DATE '2023-01-01' + (random() * 1200)::int), 'x', 'y'
FROM generate_series(1, 1500) g JOIN credit.record r ON r.record_id = 920000 + g WHERE g % 9 = 0;
UPDATE credit.objection SET state = 'dismissed', resolved_on = raised_on + 30 WHERE record_id BETWEEN 920001 AND 921500 AND record_id % 2 = 0;

CREATE TEMP TABLE ref AS
SELECT r.record_id, d.as_of,
       ARRAY(SELECT code FROM (VALUES
         (1, 'min_period_not_elapsed', r.publicity_min_end IS NOT NULL AND d.as_of < r.publicity_min_end),
         (2, 'not_repairable_category', NOT p.repairable OR coalesce(r.excluded_category = ANY (rs.excluded_categories), false)),
         (3, 'not_corrected', p.requires_correction AND (r.corrected_on IS NULL OR r.corrected_on > d.as_of)),
         (4, 'same_type_repaired_recently', rs.same_type_window IS NOT NULL AND EXISTS (
              SELECT 1 FROM credit.record o WHERE o.subject_id = r.subject_id AND o.record_id <> r.record_id
                 AND o.state = 'repaired' AND o.category = r.category AND o.repair_decided_on <= d.as_of
                 AND d.as_of < o.repair_decided_on + rs.same_type_window)),
         (5, 'repair_limit_reached', rs.repair_limit IS NOT NULL AND (
              SELECT count(*) FROM credit.record o WHERE o.subject_id = r.subject_id AND o.record_id <> r.record_id
                 AND o.state = 'repaired' AND o.repair_decided_on <= d.as_of
                 AND d.as_of < o.repair_decided_on + rs.repair_limit_window) >= rs.repair_limit),
         -- a repair commitment in force (public where the ruleset says so), else evidence
         (6, 'commitment_missing', p.requires_commitment AND NOT EXISTS (SELECT 1 FROM credit.commitment c
              WHERE c.record_id = r.record_id AND c.signed_on <= d.as_of AND (c.ended_on IS NULL OR d.as_of < c.ended_on)
                AND (c.public OR NOT rs.requires_public_commitment))
              AND NOT (NOT rs.requires_public_commitment AND EXISTS (SELECT 1 FROM credit.repair_evidence e
              WHERE e.record_id = r.record_id AND e.kind = 'commitment' AND e.provided_on <= d.as_of))),
         (7, 'interview_missing', p.requires_interview AND NOT EXISTS (SELECT 1 FROM credit.repair_evidence e
              WHERE e.record_id = r.record_id AND e.kind = 'interview' AND e.provided_on <= d.as_of)),
         (8, 'training_missing', p.min_training_hours IS NOT NULL AND (
              SELECT CASE WHEN p.min_training_hours > 0 THEN coalesce(sum(e.training_hours), 0) < p.min_training_hours
                          ELSE coalesce(sum(e.training_hours), 0) <= 0 END
              FROM credit.repair_evidence e WHERE e.record_id = r.record_id AND e.kind = 'training' AND e.provided_on <= d.as_of)),
         (9, 'credit_report_missing', p.requires_credit_report AND NOT EXISTS (SELECT 1 FROM credit.repair_evidence e
              WHERE e.record_id = r.record_id AND e.kind = 'credit_report' AND e.provided_on <= d.as_of)),
         (10, 'objection_open', EXISTS (SELECT 1 FROM credit.objection o WHERE o.record_id = r.record_id
              AND o.raised_on <= d.as_of AND (o.resolved_on IS NULL OR o.resolved_on > d.as_of))),
         (11, 'already_repaired', r.state = 'repaired'),
         (12, 'not_published', r.state = 'revoked' OR NOT p.published OR r.publicity_starts IS NULL OR d.as_of < r.publicity_starts),
         (13, 'expired', r.state = 'expired' OR (r.publicity_max_end IS NOT NULL AND d.as_of >= r.publicity_max_end))
       ) v(o, code, cond) WHERE cond ORDER BY o) AS reasons,
       -- earliest_on: the minimum period and the windows of earlier repairs, unless never
       CASE WHEN r.state IN ('repaired', 'expired', 'revoked') OR NOT p.published OR r.publicity_starts IS NULL
                 OR NOT p.repairable OR coalesce(r.excluded_category = ANY (rs.excluded_categories), false) THEN NULL
            ELSE (SELECT CASE WHEN r.publicity_max_end IS NOT NULL AND t >= r.publicity_max_end THEN NULL ELSE t END
                  FROM (SELECT greatest(coalesce(r.publicity_min_end, r.publicity_starts),
                          (SELECT max(o.repair_decided_on + rs.same_type_window)::date FROM credit.record o
                            WHERE rs.same_type_window IS NOT NULL AND o.subject_id = r.subject_id AND o.record_id <> r.record_id
                              AND o.state = 'repaired' AND o.category = r.category AND o.repair_decided_on <= d.as_of),
                          (SELECT (x.dd + rs.repair_limit_window)::date FROM (
                              SELECT o.repair_decided_on AS dd, row_number() OVER (ORDER BY o.repair_decided_on DESC) AS k
                              FROM credit.record o WHERE o.subject_id = r.subject_id AND o.record_id <> r.record_id
                                AND o.state = 'repaired' AND o.repair_decided_on <= d.as_of) x
                           WHERE rs.repair_limit IS NOT NULL AND x.k = rs.repair_limit)) AS t) tt)
       END AS earliest_on
FROM credit.record r
JOIN credit.ruleset rs ON rs.ruleset = r.ruleset
JOIN credit.publicity_rule p ON (p.ruleset, p.category, p.severity) = (r.ruleset, r.category, r.severity)
CROSS JOIN (VALUES (DATE '2023-06-01'), (DATE '2024-09-15'), (DATE '2025-12-31'), (DATE '2026-11-21')) d(as_of)
WHERE r.record_id BETWEEN 920001 AND 921500;

SELECT is((SELECT count(*)::int FROM ref), 6000, '1500 random records x 4 dates');
SELECT is((SELECT count(*)::int FROM ref, credit.repair_eligibility(ref.record_id, ref.as_of) e
           WHERE e.reasons IS DISTINCT FROM ref.reasons), 0, 'reasons equal the plain-SQL formulation');
SELECT is((SELECT count(*)::int FROM ref, credit.repair_eligibility(ref.record_id, ref.as_of) e
           WHERE e.earliest_on IS DISTINCT FROM ref.earliest_on), 0, 'earliest_on equals the plain-SQL formulation');
SELECT is((SELECT count(*)::int FROM ref, credit.repair_eligibility(ref.record_id, ref.as_of) e
           WHERE e.eligible IS DISTINCT FROM (ref.reasons = '{}')), 0, 'eligible exactly when there is no reason');
SELECT ok((SELECT count(DISTINCT u) >= 11 FROM ref, unnest(ref.reasons) u), 'the random data exercise most reasons');
SELECT ok((SELECT count(DISTINCT (r.ruleset, 'commitment_missing' = ANY (ref.reasons))) = 4
           FROM ref JOIN credit.record r USING (record_id)
           JOIN credit.publicity_rule p ON (p.ruleset, p.category, p.severity) = (r.ruleset, r.category, r.severity)
           WHERE p.requires_commitment AND EXISTS (SELECT 1 FROM credit.commitment c WHERE c.record_id = r.record_id)),
          '... and records with a repair commitment, with and without commitment_missing, under national and dandong (national-2019 asks for none)');

-- ------------------ the set-based form: the same answers as the single one
-- (every record of this file and of the random data, five dates; in bulk
-- for many ids and through the indexes for a few)
CREATE TEMP TABLE as_of_dates AS
SELECT * FROM (VALUES (DATE '2023-06-01'), (DATE '2024-09-15'), (DATE '2025-12-31'), (DATE '2026-11-21'), (current_date)) d(as_of);
CREATE TEMP TABLE single AS
SELECT r.record_id, d.as_of, e.eligible, e.earliest_on, e.reasons
FROM credit.record r CROSS JOIN as_of_dates d CROSS JOIN LATERAL credit.repair_eligibility(r.record_id, d.as_of) e;
SELECT set_eq($$SELECT m.record_id, d.as_of, m.eligible, m.earliest_on, m.reasons
                FROM as_of_dates d, credit.repair_eligibility_many(NULL, d.as_of) m$$,
              'SELECT * FROM single',
              'repair_eligibility_many(NULL): every record once, with the answers of repair_eligibility (5 dates, in bulk)');
SELECT set_eq($$SELECT m.record_id, d.as_of, m.eligible, m.earliest_on, m.reasons
                FROM as_of_dates d, credit.repair_eligibility_many(ARRAY(SELECT record_id FROM credit.record WHERE record_id % 3 <> 0), d.as_of) m$$,
              'SELECT * FROM single WHERE record_id % 3 <> 0',
              '... for an array of two thirds of the records (in bulk, filtered)');
SELECT set_eq($$SELECT m.record_id, d.as_of, m.eligible, m.earliest_on, m.reasons
                FROM as_of_dates d, credit.repair_eligibility_many(
                    ARRAY[900004, 900003, 900004, NULL, 920007, 920014, 920021, 920028, 920035, 920091, 920130, 921500, 999999999], d.as_of) m$$,
              $$SELECT * FROM single WHERE record_id IN (900003, 900004, 920007, 920014, 920021, 920028, 920035, 920091, 920130, 921500)$$,
              '... for a few ids through the indexes: one row per record, none for NULL or an unknown id');
SELECT set_eq($$SELECT m.record_id, d.as_of, m.eligible, m.earliest_on, m.reasons
                FROM as_of_dates d, credit.repair_eligibility_many(NULL, d.as_of, only_eligible => true) m$$,
              'SELECT * FROM single WHERE eligible',
              '... only_eligible: the eligible records only');
SELECT is((SELECT count(DISTINCT u)::int FROM single, unnest(single.reasons) u), 13,
          'the comparison meets every reason code');
SELECT ok((SELECT count(*) FILTER (WHERE 'same_type_repaired_recently' = ANY (s.reasons)) > 0
              AND count(*) FILTER (WHERE 'repair_limit_reached' = ANY (s.reasons)) > 0
              AND count(DISTINCT s.earliest_on) FILTER (WHERE s.reasons && '{same_type_repaired_recently,repair_limit_reached}') > 10
           FROM single s JOIN credit.record r USING (record_id) WHERE r.ruleset = 'dandong'),
          '... among them Dandong''s same-type and repair-limit windows, with their earliest dates');
SELECT ok((SELECT count(DISTINCT (r.ruleset, 'commitment_missing' = ANY (s.reasons))) = 4
                  AND bool_or('objection_open' = ANY (s.reasons))
           FROM single s JOIN credit.record r USING (record_id) WHERE r.ruleset IN ('national', 'dandong')),
          '... and records with and without their commitment under national (a public repair commitment) and dandong (evidence too), and open objections');
SELECT is((SELECT count(*)::int FROM credit.repair_candidate), (SELECT count(*)::int FROM single WHERE as_of = current_date AND eligible),
          'repair_candidate lists the records eligible today');
SELECT set_eq($$SELECT record_id, subject_id, category, severity, ruleset, authority, decided_on,
                       repairable_since, shown_until, under_repair FROM credit.repair_candidate$$,
              $$SELECT r.record_id, r.subject_id, r.category, r.severity, r.ruleset, r.authority, r.decided_on,
                       r.publicity_min_end, r.publicity_max_end, r.state = 'under_repair'
                FROM credit.record r JOIN single USING (record_id) WHERE single.as_of = current_date AND single.eligible$$,
              '... with the columns of their records');

-- the form a Citus cluster's workers answer with (credit.repair_eligibility_local,
-- by the record's whole key): the same answers on one node, through the
-- indexes and in bulk
SELECT set_eq($$SELECT x.record_id, x.as_of, (x.a).eligible, (x.a).earliest_on, (x.a).reasons
                FROM (SELECT r.record_id, d.as_of,
                             credit.repair_eligibility_local(r.subject_id, r.record_id, d.as_of, current_date, true, NULL, false) AS a
                      FROM credit.record r, as_of_dates d) x$$,
              'SELECT * FROM single',
              'repair_eligibility_local by (subject_id, record_id): the answers of repair_eligibility (5 dates)');
SELECT set_eq($$SELECT x.record_id, x.as_of, (x.a).eligible, (x.a).earliest_on, (x.a).reasons
                FROM (SELECT r.record_id, d.as_of,
                             credit.repair_eligibility_local(r.subject_id, r.record_id, d.as_of, current_date, true, NULL, true) AS a
                      FROM as_of_dates d, credit.record r) x$$,
              'SELECT * FROM single',
              '... and in bulk (the facts read once a query and day)');
SELECT is(credit.repair_eligibility_local(900001, 900004, current_date, current_date, true, NULL, false), NULL,
          '... NULL for a record of another subject');

-- who may ask: the single form's rules (a record public today, else its
-- authority's operators and credit_admin); other records give no row
SELECT credit.setup_roles();
CREATE ROLE t_rm_reader NOLOGIN IN ROLE credit_reader;
CREATE ROLE t_rm_op NOLOGIN IN ROLE credit_operator;
CREATE ROLE t_rm_admin NOLOGIN IN ROLE credit_admin;
INSERT INTO credit.operator_authority VALUES ('t_rm_op', 'b');
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, disclosed_on, ruleset, corrected_on) VALUES
    (930001, 900001, 'administrative_penalty', 'general', 'b', current_date - 200, NULL, 'national', current_date - 190),
    (930002, 900001, 'administrative_penalty', 'general', 'b', current_date - 10, current_date + 1, 'national', NULL),
    (930003, 900001, 'administrative_penalty', 'general', 'b', DATE '2020-01-10', NULL, 'national-2019', NULL);
CREATE TEMP TABLE visible AS
SELECT r.record_id, r.authority = 'b' OR (r.state IN ('published', 'under_repair') AND r.publicity_starts <= current_date
                                          AND (r.publicity_max_end IS NULL OR current_date < r.publicity_max_end)) AS to_op,
       r.state IN ('published', 'under_repair') AND r.publicity_starts <= current_date
       AND (r.publicity_max_end IS NULL OR current_date < r.publicity_max_end) AS to_reader
FROM credit.record r;
GRANT SELECT ON visible TO PUBLIC;
SET ROLE t_rm_reader;
SELECT set_eq('SELECT record_id FROM credit.repair_eligibility_many(NULL)', 'SELECT record_id FROM visible WHERE to_reader',
              'a reader gets the records public today, and only those');
SELECT set_eq('SELECT record_id FROM credit.repair_eligibility_many(ARRAY[930001, 930002, 930003, 900005])', 'VALUES (930001::bigint), (900005)',
              '... also when it names hidden ones');
SET ROLE t_rm_op;
SELECT set_eq('SELECT record_id FROM credit.repair_eligibility_many(NULL)', 'SELECT record_id FROM visible WHERE to_op',
              'an operator gets those and every record of its authority');
SET ROLE t_rm_admin;
SELECT is((SELECT count(*) FROM credit.repair_eligibility_many(NULL)), (SELECT count(*) FROM visible),
          'credit_admin gets every record');
SELECT throws_ok('SELECT credit.repair_eligibility_local(900001, 930001, current_date, current_date, true, NULL, false)',
                 '42501', NULL, '... but may not call the workers'' form (the owner''s)');
RESET ROLE;
-- the workers' form applies what it is told the asker may see
SELECT is((SELECT array_agg(x.record_id ORDER BY x.record_id) FROM (
               SELECT r.record_id, credit.repair_eligibility_local(r.subject_id, r.record_id, current_date, current_date,
                                                                   false, NULL, false) AS a
               FROM credit.record r WHERE r.record_id IN (930001, 930002, 930003)) x WHERE x.a IS NOT NULL),
          '{930001}', 'repair_eligibility_local for an asker who sees no hidden record: the public one only');
SELECT is((SELECT array_agg(x.record_id ORDER BY x.record_id) FROM (
               SELECT r.record_id, credit.repair_eligibility_local(r.subject_id, r.record_id, current_date, current_date,
                                                                   false, ARRAY['b'], false) AS a
               FROM credit.record r WHERE r.record_id IN (930001, 930002, 930003)) x WHERE x.a IS NOT NULL),
          '{930001,930002,930003}', '... and with authority b''s hidden ones when it may see them');
SELECT throws_ok('SELECT credit.repair_eligibility_local(900001, 930001, ''infinity'', current_date, true, NULL, false)',
                 '22008', NULL, '... and refuses an infinite date as repair_eligibility does');

SELECT * FROM finish();
ROLLBACK;
