-- Part: lists and joint rewards and sanctions (联合奖惩), the credit check (信用核查)
\echo
\echo '== Joint rewards and sanctions: a clerk checks three bidders for a government-procurement tender'
-- the bidders, the legal representative they share with a judgment defaulter, and the lists
CREATE FUNCTION demo.code(body text) RETURNS credit.uscc LANGUAGE sql AS
$$ SELECT (body || credit.uscc_check_char(body))::credit.uscc $$;
INSERT INTO credit.subject (uscc, name) VALUES
    (demo.code('91350100MA8A00011'), '清源环保科技有限公司'),
    (demo.code('91350100MA8A00022'), '恒达建设工程有限公司'),
    (demo.code('91350100MA8A00033'), '新锐信息技术有限公司'),
    (demo.code('91350100MA8A00044'), '宏图贸易有限公司');
INSERT INTO credit.subject (rid, name) VALUES
    ('35010219800101' || '123' || credit.rid_check_char('35010219800101123'), '王五'),
    ('35010219750505' || '234' || credit.rid_check_char('35010219750505234'), '赵六');
CREATE TEMP VIEW bidder AS
SELECT s.subject_id, s.name, s.uscc FROM credit.subject s
WHERE s.name IN ('清源环保科技有限公司', '恒达建设工程有限公司', '新锐信息技术有限公司');
-- 王五 represents 新锐 and, since 2019, 宏图, which a court has put on the judgment-defaulter list
INSERT INTO credit.subject_relation (subject_id, person_subject_id, role, valid_from, authority)
SELECT o.subject_id, p.subject_id, 'legal_representative', v.since, '福州市市场监督管理局'
FROM (VALUES ('新锐信息技术有限公司', '王五', DATE '2022-03-01'), ('宏图贸易有限公司', '王五', DATE '2019-05-10'),
             ('恒达建设工程有限公司', '赵六', DATE '2018-01-01')) v(org, person, since)
JOIN credit.subject o ON o.name = v.org JOIN credit.subject p ON p.name = v.person;
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
SELECT subject_id, 'serious_dishonesty_list', 'serious', '福州市市场监督管理局', DATE '2025-05-20'
FROM credit.subject WHERE name = '恒达建设工程有限公司';
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
SELECT subject_id, 'judgment_defaulter', 'serious', '福州市中级人民法院', DATE '2026-08-03'
FROM credit.subject WHERE name = '宏图贸易有限公司';
INSERT INTO credit.honour (subject_id, kind, authority, granted_on)
SELECT subject_id, 'red_list', '福州市发展和改革委员会', DATE '2026-03-15'
FROM credit.subject WHERE name = '清源环保科技有限公司';

\echo '-- the verdict for each bidder, and for its legal representative (the tender asks for both):'
SELECT b.name AS bidder, c.verdict, c.measures, c.reasons,
       p.name AS legal_representative, pc.verdict AS representative_verdict, pc.reasons AS representative_reasons
FROM bidder b
CROSS JOIN LATERAL credit.check_summary(b.uscc, 'government_procurement') c
LEFT JOIN credit.subject_relation r ON r.subject_id = b.subject_id AND r.role = 'legal_representative' AND r.valid_to IS NULL
LEFT JOIN credit.subject p ON p.subject_id = r.person_subject_id
LEFT JOIN LATERAL credit.check_summary(p.subject_id) pc ON true
ORDER BY b.name;

\echo '-- the measures behind "restricted", each with its legal basis:'
SELECT c.measure, c.name, c.legal_basis, c.in_effect_from, c.in_effect_until
FROM bidder b, credit.check(b.uscc, 'government_procurement') c
WHERE b.name = '恒达建设工程有限公司';

\echo '-- the legal representative is restricted through the judgment defaulter he represents (via_*):'
SELECT c.measure, c.name, v.name AS via, c.via_role, c.because_record_id, c.legal_basis
FROM credit.subject p, credit.check(p.subject_id) c
JOIN credit.subject v ON v.subject_id = c.via_subject_id
WHERE p.name = '王五';

\echo '-- the clerk records what was done (奖惩反馈); measure_stats counts it:'
INSERT INTO credit.measure_feedback (subject_id, measure, matter, authority, result, note)
SELECT subject_id, 'no_government_procurement', 'government_procurement', '福州市财政局', 'applied', '投标资格审查不予通过'
FROM bidder WHERE name = '恒达建设工程有限公司';
SELECT month, authority, measure, applied, not_applied, lifted FROM credit.measure_stats;

\echo '-- 恒达 objects to the listing: while it is verified, the measures are suspended (暂不执行):'
INSERT INTO credit.objection (record_id, raised_by, reason)
SELECT r.record_id, '恒达建设工程有限公司', '认定所依据的判决已被撤销'
FROM credit.record r JOIN bidder b USING (subject_id) WHERE b.name = '恒达建设工程有限公司';
SELECT (c).* FROM (SELECT credit.check_summary(uscc, 'government_procurement') c FROM bidder WHERE name = '恒达建设工程有限公司') s;
UPDATE credit.objection SET state = 'dismissed', resolved_on = current_date, resolution = '经核实，认定无误'
WHERE raised_by = '恒达建设工程有限公司';

\echo '-- it corrects its conduct and is repaired (2019 rules: training and a credit report); the measures end at once:'
UPDATE credit.record r SET corrected_on = DATE '2025-08-01'
FROM bidder b WHERE b.subject_id = r.subject_id AND b.name = '恒达建设工程有限公司';
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours)
SELECT r.record_id, v.kind, current_date, v.hours
FROM credit.record r JOIN bidder b USING (subject_id), (VALUES ('training', 3), ('credit_report', NULL)) v(kind, hours)
WHERE b.name = '恒达建设工程有限公司';
INSERT INTO credit.repair_application (record_id, applicant, submitted_on)
SELECT r.record_id, b.name, current_date FROM credit.record r JOIN bidder b USING (subject_id) WHERE b.name = '恒达建设工程有限公司';
UPDATE credit.repair_application a SET state = 'accepted', accepted_on = current_date
FROM credit.record r JOIN bidder b USING (subject_id) WHERE a.record_id = r.record_id AND b.name = '恒达建设工程有限公司';
UPDATE credit.repair_application a SET state = 'approved', decided_on = current_date
FROM credit.record r JOIN bidder b USING (subject_id) WHERE a.record_id = r.record_id AND b.name = '恒达建设工程有限公司';
UPDATE credit.repair_application a SET state = 'processed', processed_on = current_date
FROM credit.record r JOIN bidder b USING (subject_id) WHERE a.record_id = r.record_id AND b.name = '恒达建设工程有限公司';
SELECT b.name, r.ruleset, r.state, c.verdict, c.measures
FROM bidder b JOIN credit.record r USING (subject_id), credit.check_summary(b.uscc, 'government_procurement') c
WHERE b.name = '恒达建设工程有限公司';
