-- pgTAP: credit reports (SPEC §9): the sections, only public information
-- whoever asks, masked IDs, repaired records without content, the digest.
\set ON_ERROR_STOP 1
BEGIN;
SELECT * FROM no_plan();
SELECT credit.setup_roles();
SET datestyle = ISO;
CREATE ROLE r_reader NOLOGIN IN ROLE credit_reader;
CREATE ROLE r_admin NOLOGIN IN ROLE credit_admin;
CREATE FUNCTION pg_temp.code(n int) RETURNS credit.uscc LANGUAGE sql AS
$$ SELECT ('91350100' || lpad(n::text, 9, '0') || credit.uscc_check_char('91350100' || lpad(n::text, 9, '0')))::credit.uscc $$;
INSERT INTO credit.subject (subject_id, uscc, name) VALUES (7001, pg_temp.code(7001), '报告甲公司'), (7002, pg_temp.code(7002), '报告乙公司');
INSERT INTO credit.subject (subject_id, rid, name) VALUES (7101, '110105198001010024', '报告丙');
INSERT INTO credit.subject_relation VALUES (7002, 7101, 'legal_representative', '2020-01-01', NULL, '某市市场监督管理局');
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, corrected_on, ruleset) VALUES
    (7201, 7001, 'administrative_penalty', 'general', '某市市场监督管理局', current_date - 120, current_date - 100, 'national-2019'),
    (7202, 7002, 'judgment_defaulter', 'serious', '某市中级人民法院', current_date - 50, NULL, 'national'),
    (7203, 7001, 'administrative_penalty', 'serious', '某市税务局', current_date - 1, NULL, 'national');
UPDATE credit.record SET disclosed_on = current_date + 1 WHERE record_id = 7203;   -- not public yet
INSERT INTO credit.honour (subject_id, kind, authority, granted_on) VALUES (7001, 'contract_honouring', '某市市场监督管理局', current_date - 300);
INSERT INTO credit.classification (period, subject_id, model, score, class, capped)
SELECT date_trunc('month', current_date - 40)::date, 7001, model, 82, 'B', false FROM credit.risk_model LIMIT 1;

CREATE TEMP TABLE rep AS SELECT credit.credit_report(7001) AS r;
SELECT is((SELECT array_agg(k ORDER BY k) FROM rep, jsonb_object_keys(r) k),
          '{as_of,audit_digest,classification,commitments,digest,generated_at,honours,lists,measures,records,repairs,report_no,subject}',
          'a report has every section of SPEC §9');
SELECT is((SELECT r->'subject'->>'registration_department' || '/' || (r->'subject'->>'organisation_category') FROM rep),
          '工商/市场监管/企业', 'the subject section says what the code says');
SELECT is((SELECT jsonb_array_length(r->'records') FROM rep), 1, 'only the public record, not the one disclosed tomorrow');
SELECT is((SELECT r->'records'->0->>'record_id' FROM rep), '7201', '... the penalty shown today');
SELECT is((SELECT r->'honours'->0->>'kind' FROM rep), 'contract_honouring', 'honours in effect');
SELECT is((SELECT r->'classification'->0->>'class' FROM rep), 'B', 'the classes of the last 12 months');
SELECT is((SELECT string_agg(m->>'measure', ',' ORDER BY m->>'measure') FROM rep, jsonb_array_elements(r->'measures') m),
          'credit_loan_convenience,fewer_inspections', 'the measures of the credit check on public information');
SELECT ok((SELECT credit.verify_report(r) FROM rep), 'verify_report accepts the report as made');
SELECT ok((SELECT NOT credit.verify_report(jsonb_set(r, '{records,0,severity}', '"minor"')) FROM rep),
          'verify_report rejects an edited report');
SELECT ok((SELECT NOT credit.verify_report(r - 'digest') FROM rep), '... and one without its digest');
SELECT ok((SELECT r->>'report_no' ~ '^XYBG-[0-9]{14}-[0-9A-F]{10}$' FROM rep), 'a report number');
SELECT isnt((SELECT credit.report_digest(credit.credit_report(7001, current_date - 1))), (SELECT r->>'digest' FROM rep),
            'the digest changes with the day');

-- the person: ID masked, measures through the role
CREATE TEMP TABLE rep_p AS SELECT credit.credit_report(7101) AS r;
SELECT is((SELECT r->'subject'->>'rid_masked' FROM rep_p), '110105********0024', 'a person''s ID is masked');
SELECT ok((SELECT position('19491231' IN r::text) = 0 AND position('19491231' IN credit.credit_report_text(r)) = 0 FROM rep_p),
          '... and the birth date appears nowhere in the report or its text');
SELECT is((SELECT count(*)::int FROM rep_p, jsonb_array_elements(r->'measures') m WHERE m->>'via_name' = '报告乙公司'), 3,
          'measures reaching the person through a role name the organisation');

-- repaired: only that and when (令第36号)
INSERT INTO credit.repair_application (application_id, record_id, applicant, submitted_on) VALUES (7301, 7201, '报告甲公司', current_date - 3);
UPDATE credit.repair_application SET state = 'accepted', accepted_on = current_date - 2 WHERE application_id = 7301;
UPDATE credit.repair_application SET state = 'approved', decided_on = current_date - 1 WHERE application_id = 7301;
UPDATE credit.repair_application SET state = 'processed', processed_on = current_date WHERE application_id = 7301;
CREATE TEMP TABLE rep2 AS SELECT credit.credit_report(7001) AS r;
GRANT SELECT ON rep2 TO PUBLIC;
SELECT is((SELECT jsonb_array_length(r->'records') FROM rep2), 0, 'a repaired record is not in the report');
SELECT is((SELECT r->'repairs' FROM rep2), jsonb_build_array(jsonb_build_object('repaired_on', current_date - 1)),
          '... only that one was repaired, and when');
SELECT ok((SELECT position('7201' IN r::text) = 0 AND position('某市市场监督管理局' IN (r->'repairs')::text) = 0 FROM rep2),
          '... nothing of its content');
SELECT isnt((SELECT r->>'digest' FROM rep2), (SELECT r->>'digest' FROM rep), 'the digest changes when anything changes');
SELECT ok((SELECT position('完成信用修复' IN credit.credit_report_text(r)) > 0 FROM rep2), 'the text says it was repaired');
SELECT ok((SELECT credit.credit_report_text(r) LIKE '信用报告%本报告摘要核验通过。' FROM rep2), 'the text ends with the digest check');
SELECT ok((SELECT credit.credit_report_text(jsonb_set(r, '{subject,name}', '"别的公司"')) LIKE '%警告：本报告内容与摘要不符！' FROM rep2),
          '... which fails for an edited report');

-- whoever asks: the same public information
SET ROLE r_reader;
SELECT is((SELECT credit.credit_report(7001) - '{generated_at,report_no,digest}'::text[]),
          (SELECT r - '{generated_at,report_no,digest}'::text[] FROM rep2), 'a reader gets the same report');
SELECT throws_ok($$SELECT credit.credit_report(7001, current_date + 10)$$, '42501', NULL, '... not of a later date');
RESET ROLE;
SET ROLE r_admin;
SELECT is((SELECT credit.credit_report(7001) - '{generated_at,report_no,digest}'::text[]),
          (SELECT r - '{generated_at,report_no,digest}'::text[] FROM rep2), 'credit_admin gets the same report (public information only)');
RESET ROLE;
SELECT throws_ok($$SELECT credit.credit_report(999999)$$, 'P0002', 'subject 999999 does not exist', 'an unknown subject is an error');
SELECT throws_ok($$SELECT credit.credit_report(7001, 'infinity')$$, '22008', NULL, 'an absurd date is refused');
SELECT is(credit.verify_report('[]'), false, 'verify_report of something that is not a report: false');

-- a Xiamen pilot code (legacy check character) is flagged, not hidden
INSERT INTO credit.subject (subject_id, uscc, name) VALUES (7003, credit.uscc_legacy('91350203M0001QKT19'), '厦门试点公司');
SELECT is((SELECT r->'subject'->>'uscc' || ' ' || (r->'subject'->>'uscc_legacy') FROM (SELECT credit.credit_report(7003) AS r) x),
          '91350203M0001QKT19 true', 'a legacy pilot code appears as its 18 characters, flagged');
SELECT ok(position('试点期间赋码' IN credit.credit_report_text(7003)) > 0, '... and the text says so');

SELECT * FROM finish();
ROLLBACK;
