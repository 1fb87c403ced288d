-- Part: credit commitments (信用承诺): 容缺受理 over National Day, a lapse, a refused 告知承诺
\echo
\echo '== Credit commitments: the 行政审批局 of Fuzhou takes commitments from three applicants'
-- its catalogue of matters, one of them never under 告知承诺 (国办发〔2020〕42号)
INSERT INTO credit.commitment_matter (matter, name, authority) VALUES
    ('food_business', '食品经营许可', '福州市行政审批局'),
    ('hazardous_chemicals', '危险化学品经营许可', '福州市行政审批局');
INSERT INTO credit.commitment_excluded_matter (matter, reason, legal_basis) VALUES
    ('hazardous_chemicals', '直接涉及公共安全和人民群众生命财产安全', '国办发〔2020〕42号');
INSERT INTO credit.subject (uscc, name)
SELECT (b || credit.uscc_check_char(b))::credit.uscc, n
FROM (VALUES ('91350100MA8C00011', '闽味餐饮管理有限公司'), ('91350100MA8C00022', '鑫源食品贸易有限公司'),
             ('91350100MA8C00033', '宏远化工贸易有限公司')) v(b, n);
-- 宏远 has been on the serious-dishonesty list since March
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
SELECT subject_id, 'serious_dishonesty_list', 'serious', '福州市市场监督管理局', DATE '2026-03-10'
FROM credit.subject WHERE name = '宏远化工贸易有限公司';
SELECT credit.setup_roles() \g /dev/null
CREATE ROLE demo_approval_clerk IN ROLE credit_operator;
INSERT INTO credit.operator_authority VALUES ('demo_approval_clerk', '福州市行政审批局');

\echo '-- 闽味 applies on Friday 2025-09-26 with one material missing and commits (容缺受理) to bring it'
\echo '-- within 5 working days: 09-28 is a Sunday worked, 10-01..10-08 is the National Day holiday'
SET ROLE demo_approval_clerk;
INSERT INTO credit.commitment (subject_id, kind, matter, authority, content, signed_on)
SELECT subject_id, 'missing_materials', 'food_business', '福州市行政审批局',
       '承诺在5个工作日内补交《食品安全管理制度》文本，逾期未补交的，本次申请终止办理', DATE '2025-09-26'
FROM credit.subject WHERE name = '闽味餐饮管理有限公司';
-- 鑫源 the Friday after, when Saturday 10-11 is worked
INSERT INTO credit.commitment (subject_id, kind, matter, authority, content, signed_on)
SELECT subject_id, 'missing_materials', 'food_business', '福州市行政审批局',
       '承诺在5个工作日内补交经营场所租赁合同', DATE '2025-10-10'
FROM credit.subject WHERE name = '鑫源食品贸易有限公司';
SELECT s.name, c.kind, c.signed_on, to_char(c.signed_on, 'Dy') AS dow, c.due_on,
       credit.working_days_between(c.signed_on, c.due_on) AS working_days, c.due_on - c.signed_on AS calendar_days
FROM credit.commitment c JOIN credit.subject s USING (subject_id) ORDER BY c.commitment_id;
\echo '-- 闽味 brings the document on 10-09; 鑫源 does not, and its commitment lapses the day after the due date:'
SELECT credit.commitment_fulfil(c.commitment_id, '2025-10-09')
FROM credit.commitment c JOIN credit.subject s USING (subject_id) WHERE s.name = '闽味餐饮管理有限公司' \g /dev/null
SELECT subject_name, due_on, working_days_overdue FROM credit.commitment_due;
RESET ROLE;
SELECT credit.lapse_commitments() AS lapsed;
SELECT s.name, c.state, c.due_on, c.ended_on FROM credit.commitment c JOIN credit.subject s USING (subject_id)
WHERE c.authority = '福州市行政审批局' ORDER BY c.commitment_id;

\echo '-- 宏远 asks for 告知承诺 (approval_substitute): commitment_allowed says no, and why (every reason, the records behind them):'
SELECT s.name, m.matter, a.allowed, a.reasons, a.record_ids
FROM credit.subject s, (VALUES ('food_business'), ('hazardous_chemicals')) m(matter),
     credit.commitment_allowed(s.subject_id, m.matter, '2026-09-25') a
WHERE s.name IN ('宏远化工贸易有限公司', '闽味餐饮管理有限公司') ORDER BY 1, 2;
\echo '-- the clerk cannot take its 告知承诺 anyway (the error is the point here):'
SET ROLE demo_approval_clerk;
\set ON_ERROR_STOP 0
INSERT INTO credit.commitment (subject_id, kind, matter, authority, content, signed_on)
SELECT subject_id, 'approval_substitute', 'food_business', '福州市行政审批局', '承诺具备与经营项目相适应的经营场所', DATE '2026-09-25'
FROM credit.subject WHERE name = '宏远化工贸易有限公司';
\set ON_ERROR_STOP 1

\echo '-- 闽味 gets its 告知承诺; an inspection finds the premises were not as promised: the violation becomes a record'
INSERT INTO credit.commitment (subject_id, kind, matter, authority, content, signed_on)
SELECT subject_id, 'approval_substitute', 'food_business', '福州市行政审批局',
       '承诺经营场所符合食品安全要求，与申请材料一致', DATE '2026-09-25'
FROM credit.subject WHERE name = '闽味餐饮管理有限公司';
SELECT credit.commitment_violate(c.commitment_id, '现场核查：经营场所与承诺不符', '2026-10-20') AS violation_record
FROM credit.commitment c JOIN credit.subject s USING (subject_id)
WHERE s.name = '闽味餐饮管理有限公司' AND c.kind = 'approval_substitute' \gset
RESET ROLE;
SELECT record_id, category, severity, decided_on, publicity_min_end AS repair_from, publicity_max_end AS shown_until
FROM credit.record WHERE record_id = :violation_record;
SELECT a.allowed, a.reasons, a.record_ids FROM credit.subject s, credit.commitment_allowed(s.subject_id, 'food_business', '2026-11-20') a
WHERE s.name = '闽味餐饮管理有限公司';
\echo '-- what the public sees (credit.public_commitment; 容缺受理 commitments are not public by default):'
SELECT subject_name, kind_name, matter_name, signed_on, state, ended_on
FROM credit.public_commitment WHERE authority = '福州市行政审批局' ORDER BY commitment_id;
