-- Part 3: credit repair (信用修复)
\echo
\echo '== 8. Credit repair: who may be repaired today, and why not'
-- corrections and some evidence on file
SELECT setseed(0.22) \g /dev/null
UPDATE credit.record SET corrected_on = least(decided_on + 15 + floor(random() * 60)::int, DATE '2026-11-20')
WHERE random() < 0.6 AND state = 'published' AND corrected_on IS NULL;
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours)
SELECT record_id, k, least(decided_on + 100, DATE '2026-11-20'), CASE k WHEN 'training' THEN 3 END
FROM credit.record, (VALUES ('commitment'), ('interview'), ('training'), ('credit_report')) v(k)
WHERE ruleset IN ('dandong', 'national-2019') AND state = 'published' AND random() < 0.5;
-- national (令第36号): a public repair commitment (信用修复承诺) for the record
INSERT INTO credit.commitment (subject_id, kind, authority, content, signed_on, record_id)
SELECT subject_id, 'repair', authority, '已纠正失信行为、履行法定义务，今后依法诚信经营',
       least(decided_on + 100, current_date), record_id
FROM credit.record
WHERE ruleset = 'national' AND state = 'published' AND category <> 'judgment_defaulter' AND random() < 0.5;

SELECT unnest(e.reasons) AS reason, count(*) AS records
FROM credit.record r, credit.repair_eligibility(r.record_id) e
WHERE r.state IN ('published', 'under_repair')
GROUP BY 1 ORDER BY 2 DESC;
SELECT count(*) AS repair_candidates_today,
       count(*) FILTER (WHERE ruleset = 'dandong') AS dandong,
       count(*) FILTER (WHERE uscc IS NULL) AS persons
FROM credit.repair_candidate;

\echo
\echo '== 9. One Dandong repair from application to processing (notice: 5 working days)'
CREATE TEMP TABLE case_record AS
SELECT r.record_id FROM credit.record r
WHERE r.ruleset = 'dandong' AND r.category = 'administrative_penalty' AND r.state = 'published'
  AND r.publicity_min_end < DATE '2026-09-01' AND r.publicity_max_end > DATE '2026-12-31'
ORDER BY r.record_id LIMIT 1;
SELECT record_id AS case_id FROM case_record \gset
UPDATE credit.record SET corrected_on = coalesce(corrected_on, decided_on + 20) WHERE record_id = :case_id;
-- the applicant signs a public repair commitment (信用修复承诺书), is interviewed and trained
INSERT INTO credit.commitment (subject_id, kind, authority, content, signed_on, record_id)
SELECT subject_id, 'repair', authority, '本单位已按要求整改到位，承诺今后依法经营；如违背承诺，自愿接受惩戒', '2026-09-01', record_id
FROM credit.record WHERE record_id = :case_id;
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours)
VALUES (:case_id, 'interview', '2026-09-02', NULL), (:case_id, 'training', '2026-09-03', 2);
SELECT commitment_id, kind_name, signed_on, state, content FROM credit.public_commitment
WHERE commitment_id = (SELECT max(commitment_id) FROM credit.commitment WHERE record_id = :case_id);
SELECT r.record_id, s.name, r.severity, r.disclosed_on, r.publicity_min_end AS repairable_from, e.eligible, e.reasons
FROM credit.record r JOIN credit.subject s USING (subject_id), credit.repair_eligibility(r.record_id, '2026-09-28') e
WHERE r.record_id = :case_id;
INSERT INTO credit.repair_application (record_id, applicant, submitted_on)
SELECT :case_id, s.name, DATE '2026-09-28' FROM credit.record r JOIN credit.subject s USING (subject_id) WHERE r.record_id = :case_id;
UPDATE credit.repair_application SET state = 'accepted', accepted_on = '2026-09-29' WHERE record_id = :case_id;
-- noticed on the eve of National Day: the 5 working days run past the holiday (10-01..10-08)
UPDATE credit.repair_application SET state = 'noticed', noticed_on = '2026-09-30' WHERE record_id = :case_id;
SELECT application_id, state, noticed_on, notice_last_day FROM credit.repair_application WHERE record_id = :case_id;
\echo '-- an objection during the notice sends the application back to review:'
INSERT INTO credit.objection (record_id, application_id, raised_on, raised_by, reason)
SELECT :case_id, application_id, '2026-10-09', '匿名举报', '整改情况存疑' FROM credit.repair_application WHERE record_id = :case_id;
SELECT application_id, state, noticed_on FROM credit.repair_application WHERE record_id = :case_id;
UPDATE credit.objection SET state = 'dismissed', resolved_on = '2026-10-12', resolution = '经现场核查，已整改' WHERE record_id = :case_id;
UPDATE credit.repair_application SET state = 'noticed', noticed_on = '2026-10-12' WHERE record_id = :case_id;
UPDATE credit.repair_application SET state = 'approved', decided_on = '2026-10-20' WHERE record_id = :case_id;
UPDATE credit.repair_application SET state = 'processed', processed_on = '2026-10-21' WHERE record_id = :case_id;
SELECT a.application_id, a.state, a.accepted_on, a.noticed_on, a.notice_last_day, a.decided_on,
       a.processing_deadline, a.processed_on, r.state AS record_state
FROM credit.repair_application a JOIN credit.record r USING (record_id) WHERE a.record_id = :case_id;
\echo '-- the record left public view and stays as an archive row; the same type cannot be repaired again for 3 years:'
SELECT (SELECT count(*) FROM credit.public_record WHERE record_id = :case_id) AS still_public,
       (SELECT count(*) FROM credit.record WHERE record_id = :case_id) AS archived;
