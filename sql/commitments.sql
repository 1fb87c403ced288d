--
-- Credit commitments (信用承诺): kinds, due dates in working days, the state
-- machine, commitment_allowed, and the exact errors
--
CREATE EXTENSION IF NOT EXISTS credit;
\set SHOW_CONTEXT never
SET datestyle = ISO;
SET credit.calendar_coverage = 'ignore';

SELECT kind, name, public_by_default, deadline_working_days, requires_allowed, for_record, violation_category, violation_severity
FROM credit.commitment_kind ORDER BY kind;
SELECT ban_period, builtin FROM credit.commitment_ban_period;

INSERT INTO credit.subject (subject_id, uscc, name)
SELECT id, (b || credit.uscc_check_char(b))::credit.uscc, n
FROM (VALUES (201, '91350100MA0C00001', '福州甲餐饮公司'), (202, '91350100MA0C00002', '福州乙食品公司'),
             (203, '91350100MA0C00003', '福州丙化工公司')) v(id, b, n);
INSERT INTO credit.commitment_matter VALUES ('food_business', '食品经营许可', '福州市行政审批局'),
                                            ('hazardous_chemicals', '危险化学品经营许可', '福州市应急管理局');
INSERT INTO credit.commitment_excluded_matter VALUES ('hazardous_chemicals', '直接涉及公共安全', '国办发〔2020〕42号');

-- due dates in working days: across National Day 2025 (09-28 and 10-11 worked)
INSERT INTO credit.commitment (commitment_id, subject_id, kind, matter, authority, content, signed_on) VALUES
    (301, 201, 'missing_materials', 'food_business', '福州市行政审批局', '补交食品安全管理制度', '2025-09-26'),
    (302, 202, 'missing_materials', 'food_business', '福州市行政审批局', '补交租赁合同', '2025-09-30'),
    (303, 202, 'missing_materials', 'food_business', '福州市行政审批局', '补交健康证明', '2025-10-10'),
    (304, 201, 'approval_substitute', 'food_business', '福州市行政审批局', '承诺经营场所符合要求', '2026-04-07');
SELECT commitment_id, kind, signed_on, due_on, public, state FROM credit.commitment WHERE commitment_id >= 300 ORDER BY 1;

-- bad input
INSERT INTO credit.commitment (subject_id, kind, matter, authority, content) VALUES (201, 'oath', 'food_business', '福州市行政审批局', 'x');
INSERT INTO credit.commitment (subject_id, kind, matter, authority, content) VALUES (201, 'missing_materials', 'fishing', '福州市行政审批局', 'x');
INSERT INTO credit.commitment (subject_id, kind, matter, authority, content) VALUES (201, 'missing_materials', 'food_business', '福州市行政审批局', '');
INSERT INTO credit.commitment (subject_id, kind, matter, authority, content, signed_on, due_on)
VALUES (201, 'missing_materials', 'food_business', '福州市行政审批局', 'x', '2026-03-10', '2026-03-06');
INSERT INTO credit.commitment (subject_id, kind, authority, content) VALUES (201, 'approval_substitute', '福州市行政审批局', 'x');
INSERT INTO credit.commitment (subject_id, kind, authority, content) VALUES (201, 'repair', '福州市行政审批局', 'x');

-- the state machine
SELECT credit.commitment_fulfil(301, '2025-10-09');
SELECT credit.commitment_fulfil(302, '2025-10-10');
UPDATE credit.commitment SET state = 'lapsed', ended_on = '2025-10-16' WHERE commitment_id = 303;
SELECT credit.lapse_commitments('2025-10-17');
SELECT credit.commitment_violate(301, '材料虚假', '2025-10-20');
UPDATE credit.commitment SET content = '改写' WHERE commitment_id = 304;
SELECT credit.commitment_violate(304, NULL, '2026-05-06');
SELECT commitment_id, state, due_on, ended_on FROM credit.commitment WHERE commitment_id >= 300 ORDER BY 1;

-- violation -> record -> refused; the black list; an excluded matter
SELECT credit.commitment_violate(304, '经营场所与承诺不符', '2026-05-06') AS violation_record \gset
SELECT category, severity, ruleset, decided_on, publicity_min_end, publicity_max_end FROM credit.record WHERE record_id = :violation_record;
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on) VALUES
    (401, 203, 'serious_dishonesty_list', 'serious', '福州市市场监督管理局', '2026-03-10');
SELECT s.subject_id, m.matter, a.allowed, a.reasons, a.record_ids = '{}' AS no_records
FROM credit.subject s, (VALUES ('food_business'), ('hazardous_chemicals')) m(matter),
     credit.commitment_allowed(s.subject_id, m.matter, '2026-06-01') a
WHERE s.subject_id BETWEEN 201 AND 203 ORDER BY 1, 2;
SELECT * FROM credit.commitment_allowed(NULL, 'food_business');
SELECT * FROM credit.commitment_allowed(999, 'food_business');
SELECT * FROM credit.commitment_allowed(201, 'fishing');
SELECT subject_name, kind, matter, signed_on, state FROM credit.public_commitment WHERE commitment_id >= 300 ORDER BY commitment_id;
DELETE FROM credit.commitment WHERE commitment_id = 301;
