--
-- Credit repair: eligibility, the application workflow, objections
--
CREATE EXTENSION IF NOT EXISTS credit;
\set SHOW_CONTEXT never
SET datestyle = ISO;
SET credit.calendar_coverage = 'ignore';

INSERT INTO credit.subject (subject_id, uscc, name)
SELECT id, (b || credit.uscc_check_char(b))::credit.uscc, n
FROM (VALUES (101, '91210600MA0000001', '丹东甲公司'), (102, '91110000100010433', '北京乙公司'),
             (103, '91350100MA0000003', '福州丙公司'), (104, '91210600MA0000002', '丹东丁公司')) v(id, b, n);
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, disclosed_on, ruleset, excluded_category) VALUES
    (1001, 101, 'administrative_penalty', 'general', '丹东市市场监督管理局', '2025-11-03', '2025-11-10', 'dandong', NULL),
    (1002, 101, 'administrative_penalty', 'serious', '丹东市市场监督管理局', '2025-10-08', '2025-10-09', 'dandong', NULL),
    (1003, 101, 'administrative_penalty', 'general', '丹东市税务局', '2025-09-01', '2025-09-01', 'dandong', 2),
    (1004, 102, 'administrative_penalty', 'general', '北京市市场监督管理局', '2026-01-31', NULL, 'national', NULL),
    (1005, 102, 'administrative_penalty', 'serious', '北京市市场监督管理局', '2025-06-30', NULL, 'national-2019', NULL),
    (1006, 102, 'judgment_defaulter', 'serious', '北京市朝阳区人民法院', '2025-01-10', NULL, 'national', NULL),
    (1007, 102, 'administrative_penalty', 'minor', '北京市市场监督管理局', '2026-02-01', NULL, 'national', NULL),
    (1008, 103, 'serious_dishonesty_list', 'serious', '福建省发展和改革委员会', '2024-03-15', NULL, 'national', NULL),
    (1009, 104, 'abnormal_operations', 'general', '丹东市市场监督管理局', '2025-12-01', NULL, 'dandong', NULL),
    (1010, 101, 'abnormal_operations', 'general', '丹东市市场监督管理局', '2025-10-20', NULL, 'dandong', NULL),
    (1011, 101, 'serious_dishonesty_list', 'serious', '丹东市发展和改革委员会', '2025-01-15', NULL, 'dandong', NULL);

-- nothing on file yet: every reason is listed, earliest_on is the time-based part
SELECT r.record_id, r.ruleset, r.severity, e.eligible, e.earliest_on, e.reasons
FROM credit.record r, credit.repair_eligibility(r.record_id, '2026-05-09') e
WHERE r.record_id > 1000 ORDER BY 1;

-- edge days: the day before and the day the minimum period ends
SELECT d, (credit.repair_eligibility(1004, d)).reasons
FROM (VALUES (DATE '2026-04-29'), ('2026-04-30')) v(d);
SELECT d, (credit.repair_eligibility(1001, d)).reasons
FROM (VALUES (DATE '2026-05-09'), ('2026-05-10')) v(d);

-- correction and evidence
UPDATE credit.record SET corrected_on = decided_on + 10 WHERE record_id <> 1006 AND record_id > 1000;
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours) VALUES
    (1001, 'commitment', '2026-05-06', NULL), (1001, 'interview', '2026-05-07', NULL),
    (1001, 'training', '2026-05-08', 2),
    (1005, 'training', '2026-01-10', 2), (1005, 'training', '2026-01-12', 0.5);
SELECT r.record_id, e.eligible, e.reasons
FROM credit.record r, credit.repair_eligibility(r.record_id, '2026-05-11') e
WHERE r.record_id IN (1001, 1004, 1005) ORDER BY 1;
-- national-2019 serious: at least 3 class hours and a credit report
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours) VALUES
    (1005, 'training', '2026-02-01', 0.5), (1005, 'credit_report', '2026-02-02', NULL);
SELECT (credit.repair_eligibility(1005, '2026-02-01')).reasons AS on_feb1,
       (credit.repair_eligibility(1005, '2026-02-02')).reasons AS on_feb2;
SELECT credit.repair_eligibility(99999);
SELECT credit.repair_eligibility(NULL) IS NULL AS null_in;

-- Dandong: application, acceptance, 5 working days notice, objection, approval, processing
INSERT INTO credit.repair_application (application_id, record_id, applicant, submitted_on)
VALUES (1, 1001, '丹东甲公司', '2026-05-08');
INSERT INTO credit.repair_application (application_id, record_id, applicant, submitted_on) VALUES (9, 1001, 'again', '2026-05-08');
UPDATE credit.repair_application SET state = 'accepted', accepted_on = '2026-05-09' WHERE application_id = 1;
UPDATE credit.repair_application SET state = 'accepted', accepted_on = '2026-05-11' WHERE application_id = 1;
SELECT state FROM credit.record WHERE record_id = 1001;
UPDATE credit.repair_application SET state = 'approved', decided_on = '2026-05-12' WHERE application_id = 1;
UPDATE credit.repair_application SET state = 'noticed', noticed_on = '2026-05-12' WHERE application_id = 1;
SELECT state, noticed_on, notice_last_day FROM credit.repair_application WHERE application_id = 1;
UPDATE credit.repair_application SET state = 'approved', decided_on = '2026-05-19' WHERE application_id = 1;
-- an objection during the notice sends the application back to review
INSERT INTO credit.objection (objection_id, record_id, application_id, raised_on, raised_by, reason)
VALUES (1, 1001, 1, '2026-05-13', '举报人', '整改不到位');
SELECT state, noticed_on, notice_last_day FROM credit.repair_application WHERE application_id = 1;
SELECT (credit.repair_eligibility(1001, '2026-05-14')).reasons;
UPDATE credit.repair_application SET state = 'noticed', noticed_on = '2026-05-14' WHERE application_id = 1;
UPDATE credit.objection SET state = 'dismissed', resolved_on = '2026-05-15', resolution = '经核查，整改已完成' WHERE objection_id = 1;
UPDATE credit.repair_application SET state = 'noticed', noticed_on = '2026-05-15' WHERE application_id = 1;
SELECT state, noticed_on, notice_last_day FROM credit.repair_application WHERE application_id = 1;
UPDATE credit.repair_application SET state = 'approved', decided_on = '2026-05-22' WHERE application_id = 1;
UPDATE credit.repair_application SET state = 'approved', decided_on = '2026-05-25' WHERE application_id = 1;
SELECT state, decided_on, processing_deadline FROM credit.repair_application WHERE application_id = 1;
UPDATE credit.repair_application SET state = 'processed', processed_on = '2026-05-26' WHERE application_id = 1;
SELECT record_id, state, repair_decided_on FROM credit.record WHERE record_id = 1001;
SELECT (credit.repair_eligibility(1001, '2026-05-27')).*;
UPDATE credit.repair_application SET state = 'accepted' WHERE application_id = 1;
DELETE FROM credit.repair_application WHERE application_id = 1;

-- Dandong limits: same type repaired within 3 years (1002: never, the publication ends first);
-- excluded categories (1003)
SELECT record_id, (credit.repair_eligibility(record_id, '2026-06-01')).*
FROM credit.record WHERE record_id IN (1002, 1003) ORDER BY 1;
-- a second repair of the subject (another type), then no more than 2 in 3 years
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours)
SELECT r, k, '2026-05-20', CASE k WHEN 'training' THEN 1 END
FROM (VALUES (1010), (1011)) a(r), (VALUES ('commitment'), ('interview'), ('training')) b(k);
INSERT INTO credit.repair_application (application_id, record_id, applicant, submitted_on) VALUES (4, 1010, '丹东甲公司', '2026-06-01');
UPDATE credit.repair_application SET state = 'accepted', accepted_on = '2026-06-01' WHERE application_id = 4;
UPDATE credit.repair_application SET state = 'noticed', noticed_on = '2026-06-01' WHERE application_id = 4;
UPDATE credit.repair_application SET state = 'approved', decided_on = '2026-06-09' WHERE application_id = 4;
UPDATE credit.repair_application SET state = 'processed', processed_on = '2026-06-10' WHERE application_id = 4;
SELECT (credit.repair_eligibility(1011, '2026-06-11')).*;

-- objections against a record: under verification, sanction not active
INSERT INTO credit.objection (objection_id, record_id, raised_on, raised_by, reason)
VALUES (2, 1004, '2026-03-01', '北京乙公司', '处罚决定已被撤销');
SELECT under_verification, objection_count FROM credit.record WHERE record_id = 1004;
SELECT credit.sanction_active(1004, '2026-02-28') AS before, credit.sanction_active(1004, '2026-03-02') AS during;
SELECT (credit.repair_eligibility(1004, '2026-05-11')).reasons;
SELECT record_id, under_verification FROM credit.public_record_at('2026-03-02') WHERE record_id = 1004;
UPDATE credit.objection SET state = 'upheld', resolved_on = '2026-03-20' WHERE objection_id = 2;
SELECT under_verification FROM credit.record WHERE record_id = 1004;
SELECT credit.sanction_active(1004, '2026-03-10') AS historical, credit.sanction_active(1004, '2026-03-21') AS after;
SELECT (credit.repair_eligibility(1004, '2026-03-10')).reasons AS then, (credit.repair_eligibility(1004, '2026-05-11')).reasons AS now;

-- national (令第36号): a public credit commitment is a condition of repair;
-- a commitment on file as evidence is not enough, a public repair
-- commitment in credit.commitment is
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, reference)
VALUES (1004, 'commitment', '2026-05-08', '信用承诺书 2026-118'), (1008, 'commitment', '2026-05-08', '信用承诺书 2026-119');
SELECT record_id, (credit.repair_eligibility(record_id, '2026-05-11')).reasons FROM (VALUES (1004), (1008)) v(record_id);
INSERT INTO credit.commitment (subject_id, kind, authority, content, signed_on, record_id) VALUES
    (102, 'repair', '北京市市场监督管理局', '已履行行政处罚决定，今后依法经营', '2026-05-08', 1004),
    (103, 'repair', '福建省发展和改革委员会', '已纠正失信行为，今后诚信经营', '2026-05-08', 1008);
SELECT record_id, (credit.repair_eligibility(record_id, '2026-05-11')).reasons FROM (VALUES (1004), (1008)) v(record_id);
SELECT record_id, (credit.repair_eligibility(record_id, '2026-05-07')).reasons FROM (VALUES (1004)) v(record_id);
-- national: no notice, approval straight after acceptance; 3 working days to process
INSERT INTO credit.repair_application (application_id, record_id, applicant, submitted_on) VALUES (2, 1004, '北京乙公司', '2026-05-11');
UPDATE credit.repair_application SET state = 'accepted', accepted_on = '2026-05-11' WHERE application_id = 2;
UPDATE credit.repair_application SET state = 'approved', decided_on = '2026-05-15' WHERE application_id = 2;
SELECT state, decided_on, processing_deadline FROM credit.repair_application WHERE application_id = 2;
UPDATE credit.repair_application SET state = 'processed', processed_on = '2026-05-20' WHERE application_id = 2;
SELECT state FROM credit.record WHERE record_id = 1004;

-- rejection returns the record to published
INSERT INTO credit.repair_application (application_id, record_id, applicant, submitted_on) VALUES (3, 1008, '福州丙公司', '2026-05-11');
UPDATE credit.repair_application SET state = 'accepted', accepted_on = '2026-05-11' WHERE application_id = 3;
SELECT state FROM credit.record WHERE record_id = 1008;
UPDATE credit.repair_application SET state = 'rejected', decided_on = '2026-05-12', decision_note = '材料不实' WHERE application_id = 3;
SELECT state FROM credit.record WHERE record_id = 1008;
UPDATE credit.repair_application SET state = 'processed', processed_on = '2026-05-13' WHERE application_id = 3;
SELECT application_id, state FROM credit.repair_application ORDER BY 1;

-- never repairable, not published, nothing to repair
INSERT INTO credit.repair_application (application_id, record_id, applicant) VALUES (10, 1001, 'x');
SELECT record_id, (credit.repair_eligibility(record_id, '2026-06-01')).reasons
FROM credit.record WHERE record_id IN (1006, 1007, 1009) ORDER BY 1;
