-- pgTAP: credit commitments (信用承诺, issue 14).  The kinds and their
-- deadlines in working days, every state move allowed and refused (with the
-- message), bad input, commitment_allowed() and its ban period at the
-- edges, the set-based form against the single one, violation -> record ->
-- refused -> repair (令第36号: a public repair commitment) -> allowed again,
-- and each role by SET ROLE.
\set ON_ERROR_STOP 1
BEGIN;
SELECT * FROM no_plan();
SELECT credit.setup_roles();
SET datestyle = ISO;
SET LOCAL credit.calendar_coverage = 'ignore';

CREATE ROLE t_c_op_a NOLOGIN IN ROLE credit_operator;
CREATE ROLE t_c_op_b NOLOGIN IN ROLE credit_operator;
CREATE ROLE t_c_reader NOLOGIN IN ROLE credit_reader;
CREATE ROLE t_c_admin NOLOGIN IN ROLE credit_admin;
INSERT INTO credit.operator_authority VALUES ('t_c_op_a', '甲市行政审批局'), ('t_c_op_b', '乙市行政审批局');

CREATE FUNCTION pg_temp.code(n int) RETURNS credit.uscc LANGUAGE sql AS $$
    SELECT (b || credit.uscc_check_char(b))::credit.uscc
    FROM (SELECT '913502' || lpad((n % 100)::text, 2, '0') || 'MC' || lpad(n::text, 7, '0') AS b) s $$;
INSERT INTO credit.subject (subject_id, uscc, name, registered_by)
SELECT 9500 + g, pg_temp.code(g), '承诺测试' || g || '公司', '甲市行政审批局' FROM generate_series(1, 14) g;
INSERT INTO credit.commitment_matter (matter, name, authority) VALUES
    ('food_business', '食品经营许可', '市场监督管理局'),
    ('hazardous_chemicals', '危险化学品经营许可', '应急管理局'),
    ('road_transport', '道路运输经营许可', '交通运输局');
INSERT INTO credit.commitment_excluded_matter (matter, reason, legal_basis) VALUES
    ('hazardous_chemicals', '直接涉及公共安全、人身健康和生命财产安全', '国办发〔2020〕42号');

-- ============================================================== kinds
SELECT is(ARRAY(SELECT kind FROM credit.commitment_kind WHERE builtin ORDER BY kind),
          '{approval_substitute,missing_materials,repair,self_discipline,voluntary}',
          'the five kinds ship with the extension');
SELECT is((SELECT deadline_working_days FROM credit.commitment_kind WHERE kind = 'missing_materials'), 5,
          '容缺受理: materials within 5 working days');
SELECT throws_ok($$UPDATE credit.commitment_kind SET deadline_working_days = 10 WHERE kind = 'missing_materials'$$,
                 '42501', 'cannot update a builtin row of credit.commitment_kind', 'the shipped kinds are protected');
SELECT throws_ok($$UPDATE credit.commitment_ban_period SET ban_period = '1 year' WHERE builtin$$,
                 '42501', NULL, '... and so is the shipped ban period');

-- ==================================================== due dates in working days
-- signed on the Friday before National Day 2025: 09-28 (a Sunday worked),
-- 09-29, 09-30, then 10-01..10-08 off, 10-09, 10-10
INSERT INTO credit.commitment (commitment_id, subject_id, kind, matter, authority, content, signed_on)
VALUES (9601, 9501, 'missing_materials', 'food_business', '甲市行政审批局', '5个工作日内补交食品安全管理制度文本', '2025-09-26');
SELECT is((SELECT due_on FROM credit.commitment WHERE commitment_id = 9601), DATE '2025-10-10',
          'due_on: 5 working days from Friday 2025-09-26 count the worked Sunday 09-28 and skip National Day');
SELECT is((SELECT public FROM credit.commitment WHERE commitment_id = 9601), false,
          'public defaults to the kind''s (容缺受理: not public)');
-- signed on the Friday after the holiday: Saturday 10-11 is worked
INSERT INTO credit.commitment (commitment_id, subject_id, kind, matter, authority, content, signed_on)
VALUES (9602, 9502, 'missing_materials', 'food_business', '甲市行政审批局', '补交场所证明', '2025-10-10');
SELECT is((SELECT due_on FROM credit.commitment WHERE commitment_id = 9602), DATE '2025-10-16',
          'due_on: from Friday 2025-10-10, the worked Saturday 10-11 counts (10-11, 13, 14, 15, 16)');
-- across the Spring Festival 2026 (02-14 worked, 02-15..02-23 off, 02-28 worked)
INSERT INTO credit.commitment (commitment_id, subject_id, kind, matter, authority, content, signed_on)
VALUES (9603, 9503, 'missing_materials', 'road_transport', '甲市行政审批局', '补交车辆技术档案', '2026-02-12');
SELECT is((SELECT due_on FROM credit.commitment WHERE commitment_id = 9603), DATE '2026-02-26',
          'due_on across the Spring Festival: 02-13, 02-14 (worked Saturday), 02-24, 02-25, 02-26');
INSERT INTO credit.commitment (commitment_id, subject_id, kind, matter, authority, content, signed_on, due_on)
VALUES (9604, 9503, 'missing_materials', 'road_transport', '甲市行政审批局', '补交驾驶员名册', '2026-02-12', '2026-03-31');
SELECT is((SELECT due_on FROM credit.commitment WHERE commitment_id = 9604), DATE '2026-03-31', 'a due date given is kept');
INSERT INTO credit.commitment (commitment_id, subject_id, kind, matter, authority, content, signed_on)
VALUES (9605, 9504, 'approval_substitute', 'food_business', '甲市行政审批局', '承诺具备与经营项目相适应的场所', '2026-03-02');
SELECT is((SELECT due_on FROM credit.commitment WHERE commitment_id = 9605), NULL::date, 'a kind without deadline has no due date');
SELECT is((SELECT public FROM credit.commitment WHERE commitment_id = 9605), true, '告知承诺 is public by default');

-- ============================================================= bad input
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, matter, authority, content) VALUES (9501, 'missing_materials', 'food_business', '甲市行政审批局', '  ')$$,
                 '23514', 'a commitment needs its content', 'empty content');
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, matter, authority, content) VALUES (9501, 'pinky_swear', 'food_business', '甲市行政审批局', 'x')$$,
                 '22023', 'unknown commitment kind "pinky_swear"', 'an unknown kind');
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, matter, authority, content) VALUES (9501, 'missing_materials', 'moon_landing', '甲市行政审批局', 'x')$$,
                 '22023', 'unknown matter "moon_landing"', 'an unknown matter');
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, matter, authority, content, signed_on, due_on) VALUES (9501, 'missing_materials', 'food_business', '甲市行政审批局', 'x', '2026-03-10', '2026-03-09')$$,
                 '23514', 'due date 2026-03-09 is before the signing date 2026-03-10', 'a due date before signing');
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, authority, content) VALUES (9501, 'approval_substitute', '甲市行政审批局', 'x')$$,
                 '23502', 'a commitment of kind "approval_substitute" needs the matter it is made for', '告知承诺 needs its matter');
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, authority, content) VALUES (9501, 'repair', '甲市行政审批局', 'x')$$,
                 '23502', 'a commitment of kind "repair" needs the record it is made for', 'a repair commitment needs its record');
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, authority, content) VALUES (9999, 'voluntary', '甲市行政审批局', 'x')$$,
                 '23503', 'subject 9999 does not exist', 'an unknown subject');
SELECT throws_ok(format($$INSERT INTO credit.commitment (subject_id, kind, authority, content, signed_on) VALUES (9501, 'voluntary', '甲市行政审批局', 'x', %L)$$, current_date + 2),
                 '22008', NULL, 'a signing date after tomorrow');
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, authority, content) VALUES (9501, 'voluntary', ' ', 'x')$$,
                 '23514', NULL, 'an empty authority');
SELECT throws_ok($$SELECT * FROM credit.commitment_allowed(NULL, 'food_business')$$,
                 '22004', 'commitment_allowed needs a subject', 'commitment_allowed of no subject');
SELECT throws_ok($$SELECT * FROM credit.commitment_allowed(9999, 'food_business')$$,
                 'P0002', 'subject 9999 does not exist', 'commitment_allowed of an unknown subject');
SELECT throws_ok($$SELECT * FROM credit.commitment_allowed(9501, 'moon_landing')$$,
                 '22023', 'unknown matter "moon_landing"', 'commitment_allowed of an unknown matter');
SELECT throws_ok($$SELECT * FROM credit.commitment_allowed(9501, 'food_business', 'infinity')$$,
                 '22008', NULL, 'commitment_allowed on an infinite date');

-- ========================================================== state moves
SELECT lives_ok($$SELECT credit.commitment_fulfil(9601, '2025-10-10')$$, 'in_force -> fulfilled on the due date');
SELECT is((SELECT state || ' ' || ended_on FROM credit.commitment WHERE commitment_id = 9601), 'fulfilled 2025-10-10',
          '... with its date');
SELECT throws_ok($$SELECT credit.commitment_violate(9601, '材料虚假', '2025-10-20')$$, '55000',
                 'commitment 9601 cannot change from state "fulfilled" to "violated"', 'fulfilled -> violated is refused');
SELECT throws_ok($$UPDATE credit.commitment SET state = 'in_force', ended_on = NULL WHERE commitment_id = 9601$$, '55000',
                 'commitment 9601 cannot change from state "fulfilled" to "in_force"', 'fulfilled -> in_force is refused');
SELECT throws_ok($$SELECT credit.commitment_fulfil(9602, '2025-10-17')$$, '55000',
                 'commitment 9602 was due on 2025-10-16 and cannot be fulfilled on 2025-10-17', 'no fulfilment after the due date');
SELECT throws_ok($$UPDATE credit.commitment SET state = 'lapsed' WHERE commitment_id = 9605$$, '55000',
                 'commitment 9605 is not overdue on ' || current_date, 'a commitment without due date does not lapse');
SELECT throws_ok($$UPDATE credit.commitment SET state = 'lapsed', ended_on = '2025-10-16' WHERE commitment_id = 9602$$, '55000',
                 'commitment 9602 is not overdue on 2025-10-16', 'no lapse on the due date');
SELECT throws_ok($$UPDATE credit.commitment SET state = 'broken' WHERE commitment_id = 9602$$, '55000',
                 'commitment 9602 cannot change from state "in_force" to "broken"', 'an unknown state is refused');
SELECT throws_ok($$UPDATE credit.commitment SET content = '改过的承诺' WHERE commitment_id = 9602$$, '55000',
                 'commitment 9602 is signed and cannot be changed', 'what was signed does not change');
SELECT throws_ok($$UPDATE credit.commitment SET violation_record_id = 1 WHERE commitment_id = 9602$$, '42501', NULL,
                 'violation_record_id is not set by hand');
SELECT throws_ok($$SELECT credit.commitment_violate(9602, '', '2025-10-15')$$, '23502',
                 'the violation of commitment 9602 needs its reason', 'a violation needs its reason');
SELECT throws_ok($$SELECT credit.commitment_violate(9602, '材料虚假', '2025-09-01')$$, '23514',
                 'violation date 2025-09-01 is before the signing date 2025-10-10', 'no violation before the signing');
SELECT throws_ok($$DELETE FROM credit.commitment WHERE commitment_id = 9602$$, '23001', NULL, 'commitments are never deleted');
SELECT throws_ok($$SELECT credit.commitment_fulfil(987654)$$, 'P0002', 'commitment 987654 does not exist', 'an unknown commitment');
SELECT lives_ok($$UPDATE credit.commitment SET due_on = '2026-03-06' WHERE commitment_id = 9603$$, 'due_on may be extended while in force');
-- lapse: the day after the due date, by the batch job
SELECT is(credit.lapse_commitments('2025-10-16'), 0::bigint, 'lapse_commitments on the due date: nothing lapses');
SELECT is(credit.lapse_commitments('2025-10-17'), 1::bigint, 'lapse_commitments the day after: the overdue 容缺受理 lapses');
SELECT is((SELECT state || ' ' || ended_on FROM credit.commitment WHERE commitment_id = 9602), 'lapsed 2025-10-17',
          '... on the day after its due date');
SELECT throws_ok($$SELECT credit.commitment_fulfil(9602, '2025-10-18')$$, '55000',
                 'commitment 9602 cannot change from state "lapsed" to "fulfilled"', 'lapsed is final');
SELECT throws_ok(format('SELECT credit.lapse_commitments(%L)', current_date + 1), '22008', NULL, 'no lapse ahead of time');
UPDATE credit.commitment SET state = 'withdrawn', ended_on = '2026-03-01', end_reason = '申请人撤回申请' WHERE commitment_id = 9604;
SELECT is((SELECT state FROM credit.commitment WHERE commitment_id = 9604), 'withdrawn', 'in_force -> withdrawn');
SELECT throws_ok($$UPDATE credit.commitment SET end_reason = '另一个理由' WHERE commitment_id = 9604$$, '55000',
                 'commitment 9604 is withdrawn: ended_on, end_reason and due_on no longer change', 'an ended commitment stays as it ended');
INSERT INTO credit.commitment (commitment_id, subject_id, kind, matter, authority, content, signed_on, due_on)
VALUES (9606, 9505, 'approval_substitute', 'food_business', '甲市行政审批局', '承诺30日内取得健康证明', '2025-06-02', '2025-07-02');
SELECT is(credit.lapse_commitments(current_date), 1::bigint, 'only kinds with a deadline lapse by the batch job (9603 lapses; 告知承诺 9606 waits for a decision)');
SELECT is(ARRAY(SELECT commitment_id FROM credit.commitment_due WHERE commitment_id >= 9600 ORDER BY 1), '{9606}'::bigint[],
          'commitment_due lists the overdue commitment still in force');

-- ============================================ violation -> record -> ban
SELECT is(credit.commitment_violate(9605, '经营场所与承诺不符', '2026-05-04') IS NOT NULL, true, 'commitment_violate returns the record');
SELECT violation_record_id AS vrec FROM credit.commitment WHERE commitment_id = 9605 \gset
SELECT is((SELECT category || ' ' || severity || ' ' || ruleset || ' ' || authority || ' ' || decided_on || ' ' || state
           FROM credit.record WHERE record_id = :vrec),
          'commitment_violation general national 甲市行政审批局 2026-05-04 published',
          'the violation is a published record of category commitment_violation');
SELECT is((SELECT publicity_min_end || ' ' || publicity_max_end FROM credit.record WHERE record_id = :vrec), '2026-08-04 2027-05-04',
          '... with the national publicity window (general: 3 months - 1 year)');
SELECT is((SELECT count(*)::int FROM credit.public_record_at('2026-05-04') WHERE record_id = :vrec), 1, '... shown publicly like any record');
SELECT is(ARRAY(SELECT measure FROM credit.check(9504::bigint, NULL, '2026-06-01') WHERE because_record_id = :vrec ORDER BY 1),
          '{key_supervision,no_missing_materials,no_notification_commitment}',
          '... and the credit check applies its measures (no 告知承诺, no 容缺受理, key supervision)');
SELECT is((SELECT state || ' ' || ended_on || ' ' || end_reason FROM credit.commitment WHERE commitment_id = 9605),
          'violated 2026-05-04 经营场所与承诺不符', 'the commitment is violated, with date and reason');
SELECT is((SELECT (reasons, record_ids)::text FROM credit.commitment_allowed(9504, 'food_business', '2026-05-03')),
          '({},{})', 'allowed the day before the violation');
SELECT is((SELECT (allowed, reasons, record_ids)::text FROM credit.commitment_allowed(9504, 'food_business', '2026-05-04')),
          format('(f,{violated_commitment},{%s})', :vrec), 'refused from the day of the violation, naming the record');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9504, 'food_business', '2027-05-03')), '{violated_commitment}',
          'a general violation bars until its record''s maximum period ends (1 year): its last day');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9504, 'food_business', '2027-05-04')), '{}',
          '... allowed again the day it ends');
-- a serious violation (of a repair commitment): the 3-year ban period
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, corrected_on)
VALUES (9706, 9513, 'administrative_penalty', 'general', '甲市行政审批局', '2026-04-20', '2026-05-01');
INSERT INTO credit.commitment (commitment_id, subject_id, kind, authority, content, signed_on, record_id)
VALUES (9609, 9513, 'repair', '甲市行政审批局', '承诺整改到位、不再违法', '2026-05-10', 9706);
SELECT credit.commitment_violate(9609, '承诺后再次违法经营', '2026-06-01') AS srec \gset
SELECT is((SELECT severity || ' ' || publicity_max_end FROM credit.record WHERE record_id = :srec), 'serious 2029-06-01',
          'violating a repair commitment is serious: in force 3 years');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9513, 'food_business', '2029-05-31')), '{violated_commitment}',
          'the shipped ban period (3 years): still refused on its last day');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9513, 'food_business', '2029-06-01')), '{}', '... allowed the day it ends');
INSERT INTO credit.commitment_ban_period (ban_period, legal_basis) VALUES ('6 months', '本市规定：违背承诺的，六个月内不适用告知承诺和容缺受理');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9513, 'food_business', '2026-11-30')), '{violated_commitment}',
          'a local ban period replaces the shipped one: its last day');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9513, 'food_business', '2026-12-01')), '{}', '... and the day after');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9504, 'food_business', '2026-11-04')), '{}', '... also for the general violation');
DELETE FROM credit.commitment_ban_period WHERE NOT builtin;
SELECT is((SELECT reasons FROM credit.commitment_allowed(9504, 'hazardous_chemicals', '2026-06-01')),
          '{violated_commitment,matter_excluded}', 'every reason at once');

-- black list: in force from the decision until its end, or its repair
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, ruleset) VALUES
    (9701, 9506, 'serious_dishonesty_list', 'serious', '乙市发展和改革委员会', '2026-06-01', 'national'),
    (9702, 9507, 'judgment_defaulter', 'serious', '乙市人民法院', '2025-03-03', 'national'),
    (9703, 9508, 'abnormal_operations', 'general', '乙市市场监督管理局', '2025-03-03', 'national');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9506, 'food_business', '2026-05-31')), '{}', 'black list: allowed the day before the decision');
SELECT is((SELECT (reasons, record_ids)::text FROM credit.commitment_allowed(9506, 'food_business', '2026-06-01')), '({black_list},{9701})',
          '... refused from the decision day');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9506, 'food_business', '2029-05-31')), '{black_list}', '... on the last day of its 3 years');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9506, 'food_business', '2029-06-01')), '{}', '... allowed when the listing ends');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9507, 'food_business', '2026-11-01')), '{black_list}', 'a judgment defaulter has no automatic end');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9508, 'food_business', '2026-11-01')), '{}', 'a watch list (经营异常名录) does not bar commitments');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9506, 'hazardous_chemicals', '2026-06-01')), '{black_list,matter_excluded}',
          'black list and excluded matter together');
UPDATE credit.record SET state = 'revoked', revoked_on = '2026-07-01' WHERE record_id = 9701;
SELECT is((SELECT reasons FROM credit.commitment_allowed(9506, 'food_business', '2026-06-30')), '{black_list}', 'a revoked listing counted until its revocation');
SELECT is((SELECT reasons FROM credit.commitment_allowed(9506, 'food_business', '2026-07-01')), '{}', '... and not from it on');

-- the set-based form gives what the single form gives, for every subject and day
SELECT is((SELECT count(*)::int FROM credit.subject s, unnest(ARRAY[DATE '2025-06-01', '2026-05-04', '2026-06-15', '2029-05-04']) d,
                 credit.commitment_allowed(s.subject_id, 'food_business', d) one,
                 LATERAL (SELECT * FROM credit.commitment_allowed_many(ARRAY[s.subject_id], 'food_business', d)) many
           WHERE (one.allowed, one.reasons, one.record_ids) IS DISTINCT FROM (many.allowed, many.reasons, many.record_ids)), 0,
          'commitment_allowed_many(ids) = commitment_allowed for every subject on four days');
SELECT is((SELECT count(*)::int FROM credit.commitment_allowed_many(NULL, 'hazardous_chemicals', '2026-06-15') m
           JOIN credit.commitment_allowed_many(ARRAY(SELECT subject_id FROM credit.subject), 'hazardous_chemicals', '2026-06-15') a
             ON a.subject_id = m.subject_id AND (a.allowed, a.reasons, a.record_ids) IS NOT DISTINCT FROM (m.allowed, m.reasons, m.record_ids)),
          (SELECT count(*)::int FROM credit.subject), 'commitment_allowed_many(NULL) covers every subject, as the list of all ids does');
SELECT set_eq($$SELECT * FROM credit.commitment_allowed_many(ARRAY(SELECT subject_id FROM credit.subject)
                    || ARRAY(SELECT -g::bigint FROM generate_series(1, 1200) g), 'food_business', '2026-06-15') WHERE subject_id > 0$$,
              $$SELECT * FROM credit.commitment_allowed_many(ARRAY(SELECT subject_id FROM credit.subject), 'food_business', '2026-06-15')$$,
              'commitment_allowed_many of more than 1000 ids (every barring record, grouped once) = of a few (their records through the index)');

-- ================== repair: 令第36号 wants a public repair commitment
UPDATE credit.record SET corrected_on = '2026-05-20' WHERE record_id = :vrec;
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, reference) VALUES (:vrec, 'commitment', '2026-06-01', '承诺书（纸质）');
SELECT is((credit.repair_eligibility(:vrec, '2026-08-04')).reasons, '{commitment_missing}',
          'national: a commitment on file as evidence does not satisfy commitment_missing');
INSERT INTO credit.commitment (commitment_id, subject_id, kind, authority, content, signed_on, record_id, public)
VALUES (9607, 9504, 'repair', '甲市行政审批局', '如实承诺已整改到位，今后依法经营', '2026-06-02', :vrec, false);
SELECT is((credit.repair_eligibility(:vrec, '2026-08-04')).reasons, '{commitment_missing}', '... nor a repair commitment that is not public');
SELECT throws_ok($$UPDATE credit.commitment SET public = true, content = content || '。' WHERE commitment_id = 9607$$, '55000', NULL,
                 'publishing it does not change what was signed');
UPDATE credit.commitment SET state = 'withdrawn', ended_on = '2026-06-03' WHERE commitment_id = 9607;
INSERT INTO credit.commitment (commitment_id, subject_id, kind, authority, content, signed_on, record_id)
VALUES (9608, 9504, 'repair', '甲市行政审批局', '如实承诺已整改到位，今后依法经营', '2026-06-03', :vrec);
SELECT is((SELECT evidence_count FROM credit.record WHERE record_id = :vrec), 3, 'record.evidence_count counts the evidence row and both repair commitments');
SELECT is((credit.repair_eligibility(:vrec, '2026-08-03')).reasons, '{min_period_not_elapsed}', 'with a public repair commitment: only the minimum period left');
SELECT ok((credit.repair_eligibility(:vrec, '2026-08-04')).eligible, '... eligible the day the 3 months end');
SELECT is((credit.repair_eligibility(:vrec, '2026-06-02')).reasons, '{min_period_not_elapsed,commitment_missing}',
          '... and not on a day before the commitment was signed');
INSERT INTO credit.repair_application (application_id, record_id, applicant, submitted_on) VALUES (9801, :vrec, '承诺测试4公司', '2026-08-04');
UPDATE credit.repair_application SET state = 'accepted', accepted_on = '2026-08-04' WHERE application_id = 9801;
UPDATE credit.repair_application SET state = 'approved', decided_on = '2026-08-05' WHERE application_id = 9801;
UPDATE credit.repair_application SET state = 'processed', processed_on = '2026-08-06' WHERE application_id = 9801;
SELECT is((SELECT reasons FROM credit.commitment_allowed(9504, 'food_business', '2026-08-04')), '{violated_commitment}',
          'refused while the repair is under way');
SELECT is((SELECT (allowed, reasons)::text FROM credit.commitment_allowed(9504, 'food_business', '2026-08-05')), '(t,{})',
          'allowed again from the repair decision');
SELECT is((SELECT jsonb_agg((c->>'commitment_id') || ' ' || (c->>'state_name') ORDER BY c->>'commitment_id')
           FROM jsonb_array_elements(credit.credit_report(9504, '2026-05-01')->'commitments') c),
          '["9605 有效"]'::jsonb, 'the credit report lists the public commitments with their state on its day');
SELECT is((SELECT jsonb_agg((c->>'commitment_id') || ' ' || (c->>'state_name') ORDER BY c->>'commitment_id')
           FROM jsonb_array_elements(credit.credit_report(9504, '2026-08-10')->'commitments') c),
          '["9605 已违背", "9608 有效"]'::jsonb, '... not the one signed as not public');
SELECT throws_ok(format('INSERT INTO credit.commitment (subject_id, kind, authority, content, record_id) VALUES (9504, %L, %L, %L, %s)',
                        'repair', '甲市行政审批局', 'x', :vrec),
                 '55000', format('record %s is not in force on %s, there is nothing to repair', :vrec, current_date), 'no repair commitment for a repaired record');
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, authority, content, record_id) VALUES (9505, 'repair', '甲市行政审批局', 'x', 9702)$$,
                 '23503', 'record 9702 of subject 9505 does not exist', 'a repair commitment names a record of its own subject');
-- other rulesets: evidence rows keep working, and a repair commitment counts too
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, disclosed_on, ruleset, corrected_on) VALUES
    (9704, 9509, 'administrative_penalty', 'general', '甲市行政审批局', '2025-01-06', '2025-01-06', 'dandong', '2025-01-20'),
    (9705, 9510, 'administrative_penalty', 'general', '甲市行政审批局', '2025-01-06', '2025-01-06', 'dandong', '2025-01-20');
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours) VALUES
    (9704, 'commitment', '2025-06-01', NULL), (9704, 'interview', '2025-06-01', NULL), (9704, 'training', '2025-06-01', 2),
    (9705, 'interview', '2025-06-01', NULL), (9705, 'training', '2025-06-01', 2);
INSERT INTO credit.commitment (subject_id, kind, authority, content, signed_on, record_id, public)
VALUES (9510, 'repair', '甲市行政审批局', '信用修复承诺', '2025-06-01', 9705, false);
SELECT ok((credit.repair_eligibility(9704, '2025-07-07')).eligible, 'dandong: a commitment as evidence still counts');
SELECT ok((credit.repair_eligibility(9705, '2025-07-07')).eligible, 'dandong: a repair commitment (public or not) counts too');

-- ================================================================ roles
-- an operator of 甲 signs, moves and reads only its authority's commitments
SET ROLE t_c_op_a;
SELECT lives_ok($$INSERT INTO credit.commitment (commitment_id, subject_id, kind, matter, authority, content, signed_on)
                  VALUES (9610, 9511, 'missing_materials', 'food_business', '甲市行政审批局', '补交从业人员健康证明', '2026-09-25')$$,
                'an operator records a commitment its authority accepted');
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, matter, authority, content)
                   VALUES (9511, 'missing_materials', 'food_business', '乙市行政审批局', 'x')$$,
                 '42501', NULL, '... not one for another authority');
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, matter, authority, content, signed_on)
                   VALUES (9507, 'approval_substitute', 'food_business', '甲市行政审批局', '承诺具备条件', '2026-09-25')$$,
                 '55000', 'subject 9507 may not sign a commitment of kind "approval_substitute" for matter "food_business" on 2026-09-25',
                 '... nor a 告知承诺 of a judgment defaulter (a record of another authority)');
SELECT is((SELECT (allowed, reasons, record_ids)::text FROM credit.commitment_allowed(9507, 'food_business', '2026-09-25')),
          '(f,{black_list},{9702})', 'commitment_allowed reads every authority''s records for the operator');
SELECT throws_ok($$SELECT * FROM credit.commitment_allowed_many(NULL, 'food_business')$$, '42501', NULL,
                 '... the set-based form is for credit_admin (it reads every record with the caller''s rights)');
SELECT throws_ok($$SELECT count(*) FROM credit.commitment_ban_record$$, '42501', NULL, '... and so is the view it reads');
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, matter, authority, content, state, ended_on)
                   VALUES (9511, 'missing_materials', 'food_business', '甲市行政审批局', 'x', 'fulfilled', '2026-09-30')$$,
                 '55000', 'a new commitment starts as "in_force", not "fulfilled"', 'an operator cannot insert an ended commitment');
SELECT throws_ok($$UPDATE credit.commitment SET content = 'y' WHERE commitment_id = 9610$$, '42501', NULL,
                 'an operator may not change what was signed (no column privilege)');
SELECT lives_ok($$SELECT credit.commitment_violate(9610, '补交的健康证明系伪造', '2026-09-30')$$, 'an operator records a violation');
SELECT is((SELECT category FROM credit.record WHERE record_id = (SELECT violation_record_id FROM credit.commitment WHERE commitment_id = 9610)),
          'commitment_violation', '... which records a record of its authority');
SELECT throws_ok($$SELECT credit.lapse_commitments(current_date)$$, '42501', NULL, 'operators do not run the batch job');
RESET ROLE;
SET ROLE t_c_op_b;
SELECT is((SELECT count(*)::int FROM credit.commitment), 0, 'an operator of 乙 sees none of 甲''s commitments');
SELECT is((SELECT count(*)::int FROM credit.commitment_due), 0, '... nor in commitment_due (security_invoker)');
SELECT throws_ok($$SELECT credit.commitment_fulfil(9606, '2025-07-01')$$, 'P0002', 'commitment 9606 does not exist', '... and cannot fulfil them');
SELECT throws_ok($$SELECT credit.commitment_violate(9606, 'x', '2025-07-03')$$, 'P0002', NULL, '... nor violate them');
RESET ROLE;
SET ROLE t_c_reader;
SELECT ok((SELECT count(*) FROM credit.public_commitment) > 0, 'a reader sees the public commitments');
SELECT is((SELECT count(*)::int FROM credit.public_commitment WHERE NOT kind IN ('approval_substitute', 'repair', 'self_discipline', 'voluntary')
              OR commitment_id IN (9601, 9602, 9607)), 0, '... only the public ones (not 容缺受理 by default, not a repair commitment signed as not public)');
SELECT is((SELECT state FROM credit.public_commitment WHERE commitment_id = 9605), 'violated', '... with their state');
SELECT throws_ok($$SELECT count(*) FROM credit.commitment$$, '42501', NULL, 'a reader cannot read the table');
SELECT throws_ok($$SELECT * FROM credit.commitment_allowed(9501, 'food_business')$$, '42501', NULL, '... nor ask commitment_allowed');
SELECT throws_ok($$SELECT count(*) FROM credit.commitment_due$$, '42501', NULL, '... nor commitment_due');
RESET ROLE;
SET ROLE t_c_admin;
SELECT lives_ok($$INSERT INTO credit.commitment (commitment_id, subject_id, kind, matter, authority, content, signed_on, state, ended_on)
                  VALUES (9611, 9512, 'missing_materials', 'food_business', '乙市行政审批局', '补交材料（历史数据）', '2024-03-01', 'fulfilled', '2024-03-05')$$,
                'credit_admin imports an ended commitment with its end');
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, matter, authority, content, signed_on, state)
                   VALUES (9512, 'missing_materials', 'food_business', '乙市行政审批局', 'x', '2024-03-01', 'violated')$$,
                 '23502', NULL, '... but not without its end and its violation record');
SELECT lives_ok($$SELECT credit.lapse_commitments(current_date)$$, 'credit_admin runs lapse_commitments');
SELECT is((SELECT reasons FROM credit.commitment_allowed_many(ARRAY[9507::bigint], 'food_business', '2026-09-25')), '{black_list}',
          '... and the set-based commitment_allowed_many');
SELECT lives_ok($$INSERT INTO credit.commitment_matter VALUES ('fire_safety', '公众聚集场所投入使用、营业前消防安全检查')$$, 'credit_admin adds matters');
SELECT lives_ok($$INSERT INTO credit.commitment_ban_period (ban_period) VALUES ('2 years')$$, '... and sets the local ban period');
SELECT throws_ok($$INSERT INTO credit.commitment_ban_period (ban_period) VALUES ('1 year')$$, '23505', NULL, '... once');
SELECT throws_ok($$TRUNCATE credit.commitment$$, '42501', NULL, 'credit_admin cannot TRUNCATE commitments');
RESET ROLE;
SELECT throws_ok($$TRUNCATE credit.commitment$$, '23001', NULL, '... nor can the owner');
SELECT ok((SELECT bool_and(has_table_privilege('credit_operator', t, 'SELECT')) FROM unnest(ARRAY['credit.commitment_kind', 'credit.commitment_matter',
               'credit.commitment_excluded_matter', 'credit.commitment_ban_period']) t), 'the kinds, matters and the ban are readable by every role');
SELECT ok((SELECT c.reloptions @> '{security_barrier=true}' FROM pg_class c WHERE c.oid = 'credit.public_commitment'::regclass)
          AND (SELECT c.reloptions @> '{security_invoker=true}' FROM pg_class c WHERE c.oid = 'credit.commitment_due'::regclass),
          'public_commitment is a security barrier, commitment_due runs as the invoker');
SELECT is((SELECT array_agg(tgrelid::regclass::text ORDER BY tgrelid::regclass::text) FROM pg_trigger
           WHERE tgname = 'credit_audit' AND tgrelid::regclass::text LIKE 'credit.commitment%'),
          '{credit.commitment,credit.commitment_ban_period,credit.commitment_excluded_matter,credit.commitment_kind,credit.commitment_matter}',
          'every commitment table is audited');
SELECT ok((SELECT count(*) FROM credit.audit_log WHERE table_name = 'commitment' AND operation = 'UPDATE'
           AND new_row->>'state' = 'violated') > 0, 'a violation is in the audit log');

SELECT * FROM finish();
ROLLBACK;
