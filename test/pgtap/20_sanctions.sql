-- pgTAP: lists and joint rewards and sanctions (SPEC §7): the lists, red
-- lists and 红黑名单互斥, the measures catalogue, relations of legal and
-- natural persons, the credit check and its summary, feedback, and who may
-- see what (logging in as each role with SET ROLE).
\set ON_ERROR_STOP 1
BEGIN;
SELECT * FROM no_plan();
SELECT credit.setup_roles();
SET datestyle = ISO;

CREATE ROLE s_op_sc NOLOGIN IN ROLE credit_operator;     -- 市场监管局
CREATE ROLE s_op_court NOLOGIN IN ROLE credit_operator;  -- 人民法院
CREATE ROLE s_reader NOLOGIN IN ROLE credit_reader;
CREATE ROLE s_admin NOLOGIN IN ROLE credit_admin;
INSERT INTO credit.operator_authority VALUES ('s_op_sc', '某市市场监督管理局'), ('s_op_court', '某市中级人民法院');

CREATE FUNCTION pg_temp.code(n int) RETURNS credit.uscc LANGUAGE sql AS
$$ SELECT ('91350100' || lpad(n::text, 9, '0') || credit.uscc_check_char('91350100' || lpad(n::text, 9, '0')))::credit.uscc $$;
CREATE FUNCTION pg_temp.person(b text) RETURNS credit.rid LANGUAGE sql AS
$$ SELECT (b || credit.rid_check_char(b))::credit.rid $$;
-- the measures of a check as one sorted text, for exact comparisons
CREATE FUNCTION pg_temp.measures(sid bigint, matter text DEFAULT NULL, d date DEFAULT current_date) RETURNS text
LANGUAGE sql AS $$ SELECT string_agg(measure, ',' ORDER BY measure) FROM credit.check(sid, matter, d) $$;

INSERT INTO credit.subject (subject_id, uscc, name, registered_by) VALUES
    (8001, pg_temp.code(8001), '守信甲公司', '某市市场监督管理局'),
    (8002, pg_temp.code(8002), '失信乙公司', '某市市场监督管理局'),
    (8003, pg_temp.code(8003), '被执行丙公司', '某市市场监督管理局'),
    (8004, pg_temp.code(8004), '丁公司', '某市市场监督管理局'),
    (8005, pg_temp.code(8005), '关注戊公司', '某市市场监督管理局');
INSERT INTO credit.subject (subject_id, rid, name, registered_by) VALUES
    (8101, pg_temp.person('35010219700101123'), '张三', '某市市场监督管理局'),
    (8102, pg_temp.person('35010219800101456'), '李四', '某市市场监督管理局');

-- ============================================================ lists
SELECT is((SELECT string_agg(category || '=' || list_kind, ',' ORDER BY category) FROM credit.record_category WHERE list_kind IS NOT NULL),
          'abnormal_operations=watch,judgment_defaulter=black,key_attention_list=watch,serious_dishonesty_list=black',
          'two black lists and two watch lists ship as record categories');
SELECT is((SELECT (published, starts, min_end, max_end)::text FROM credit.publicity_window('key_attention_list', 'general', '2026-01-31', NULL, 'national')),
          '(f,,,2028-01-31)', '重点关注对象名单 is not published, in force 2 years');
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, ruleset) VALUES
    (8201, 8002, 'serious_dishonesty_list', 'serious', '某市市场监督管理局', current_date - 60, 'national'),
    (8202, 8003, 'judgment_defaulter', 'serious', '某市中级人民法院', current_date - 30, 'national'),
    (8203, 8005, 'key_attention_list', 'general', '某市市场监督管理局', current_date - 100, 'national'),
    (8204, 8005, 'key_attention_list', 'general', '某市市场监督管理局', current_date - 800, 'national');
SELECT ok(credit.record_in_force(r, current_date) AND NOT credit.record_in_force(r, current_date - 101),
          'a watch-list record is in force from its decision')
FROM credit.record r WHERE record_id = 8203;
SELECT ok(NOT credit.record_in_force(r, current_date) AND credit.record_in_force(r, current_date - 100),
          '... and no longer after 2 years')
FROM credit.record r WHERE record_id = 8204;
SELECT is((SELECT count(*)::int FROM credit.public_record WHERE record_id IN (8203, 8204)), 0,
          'watch-list records are not shown publicly');

-- ======================================================= red lists, 互斥
INSERT INTO credit.honour (subject_id, honour_id, kind, authority, granted_on) VALUES
    (8001, 8301, 'red_list', '某市发展和改革委员会', current_date - 10),
    (8002, 8302, 'tax_a', '某市税务局', current_date - 90);   -- granted before the listing
SELECT is((SELECT valid_until FROM credit.honour WHERE honour_id = 8301), (current_date - 10 + interval '3 years')::date,
          'an honour is valid for its kind''s validity when the grant gives no end');
SET ROLE s_admin;
SELECT throws_like($$INSERT INTO credit.honour (subject_id, kind, authority, granted_on)
                     VALUES (8002, 'red_list', '某市发展和改革委员会', current_date)$$,
                   '%cannot be granted an honour%', '红黑名单互斥: no honour for a subject on a black list');
SELECT throws_ok($$INSERT INTO credit.honour (subject_id, kind, authority, granted_on)
                   VALUES (8002, 'red_list', '某市发展和改革委员会', current_date)$$, '55000');
RESET ROLE;
SAVEPOINT restore_like;
SELECT lives_ok($$INSERT INTO credit.honour (subject_id, kind, authority, granted_on)
                  VALUES (8002, 'red_list', '某市发展和改革委员会', current_date)$$,
                '... a superuser (pg_restore) writes history as it was');
ROLLBACK TO SAVEPOINT restore_like;
SELECT is(pg_temp.measures(8002, 'tax_incentives') || '|' || coalesce((SELECT string_agg(kind, ',') FROM credit.check(8002::bigint) WHERE kind = 'incentive'), 'none'),
          'key_supervision,no_missing_materials,no_notification_commitment,no_tax_incentives|none',
          'an honour granted before the listing gives no incentive while the subject is black-listed');
SELECT throws_ok($$INSERT INTO credit.honour (subject_id, kind, authority, granted_on) VALUES (8001, 'no_such_kind', 'x', current_date)$$,
                 '23503', NULL, 'an unknown honour kind is refused');
SELECT throws_ok($$UPDATE credit.honour SET revoked_on = current_date WHERE honour_id = 8301$$,
                 '23514', NULL, 'a revocation needs a reason');

-- ====================================================== the catalogue
SELECT cmp_ok((SELECT count(*)::int FROM credit.measure WHERE builtin AND kind = 'punishment'), '>=', 14,
              'the catalogue ships the national basic list''s measures');
SELECT is((SELECT count(*)::int FROM credit.measure WHERE btrim(legal_basis) = ''), 0, 'each with its legal basis');
SELECT ok((SELECT bool_and(m.measure IS NOT NULL) FROM unnest(ARRAY['no_government_procurement', 'no_bidding',
              'no_fiscal_funds', 'no_tax_incentives', 'credit_restriction', 'key_supervision',
              'no_notification_commitment', 'no_missing_materials', 'no_director_post', 'no_legal_representative',
              'no_flights', 'no_high_speed_rail', 'no_honours', 'green_channel', 'tolerance_acceptance',
              'fewer_inspections', 'credit_loan_convenience']) c LEFT JOIN credit.measure m ON m.measure = c),
          'procurement, bidding, fiscal funds, tax, credit, key supervision, 告知承诺, 容缺受理, posts, consumption, honours, incentives');
SELECT is((SELECT legal_basis FROM credit.measure WHERE measure = 'no_director_post'),
          '《中华人民共和国公司法》（2023年修订）第一百七十八条第一款第（五）项', 'Company Law 2023 Art. 178');
SELECT throws_ok($$UPDATE credit.measure SET name = 'x' WHERE measure = 'no_flights'$$, '42501', NULL,
                 'builtin measures are protected');
SELECT throws_ok($$DELETE FROM credit.measure_trigger WHERE builtin$$, '42501', NULL, '... and their triggers');
SELECT throws_ok($$INSERT INTO credit.measure_trigger (measure, category, honour_kind) VALUES ('no_flights', 'judgment_defaulter', 'red_list')$$,
                 '23514', NULL, 'a trigger starts from a category or an honour kind, not both');

-- ============================================================ relations
INSERT INTO credit.subject_relation (subject_id, person_subject_id, role, valid_from, valid_to, authority) VALUES
    (8003, 8101, 'legal_representative', current_date - 2000, NULL, '某市市场监督管理局'),
    (8004, 8101, 'legal_representative', current_date - 1000, NULL, '某市市场监督管理局'),
    (8003, 8102, 'legal_representative', current_date - 3000, current_date - 2000, '某市市场监督管理局');
SELECT throws_ok($$INSERT INTO credit.subject_relation VALUES (8003, 8101, 'legal_representative', current_date - 100, NULL, '某市市场监督管理局')$$,
                 '23P01', NULL, 'role periods of the same organisation, person and role do not overlap');
SELECT lives_ok($$INSERT INTO credit.subject_relation VALUES (8003, 8101, 'actual_controller', current_date - 100, NULL, '某市市场监督管理局')$$,
                'another role of the same person is fine');
SELECT throws_ok($$INSERT INTO credit.subject_relation VALUES (8101, 8003, 'principal', current_date - 100, NULL, '某市市场监督管理局')$$,
                 '23514', NULL, 'a relation goes from an organisation to a natural person');
SELECT throws_ok($$INSERT INTO credit.subject_relation VALUES (8004, 8102, 'principal', 'infinity', NULL, '某市市场监督管理局')$$,
                 '22008', NULL, 'relation dates are checked for sense');

-- ============================================================ the check
SELECT is(pg_temp.measures(8001), 'credit_loan_convenience,fewer_inspections,green_channel,tolerance_acceptance',
          'a red-list subject: the incentives of its honour');
SELECT is(pg_temp.measures(8002, 'government_procurement'), 'key_supervision,no_government_procurement,no_missing_materials,no_notification_commitment',
          'a serious-dishonesty-list subject bidding for procurement: restricted, with the measures of every matter');
SELECT is((SELECT string_agg(DISTINCT because_record_id::text || '/' || coalesce(via_role, '-') || '/' || in_effect_from || '/' || in_effect_until, ',')
           FROM credit.check(8002::bigint)),
          '8201/-/' || (current_date - 60) || '/' || (current_date - 60 + interval '3 years')::date,
          'every row says which record, and from when until when');
SELECT is(pg_temp.measures(8003, 'air_travel'), 'no_flights,no_notification_commitment', 'a judgment defaulter may not fly (and measures of every matter apply)');
SELECT is(pg_temp.measures(8003, 'company_registration'), 'no_notification_commitment', 'bans on posts concern persons, not the company');
SELECT is((SELECT string_agg(measure || '@' || via_subject_id || ':' || via_role, ',' ORDER BY measure)
           FROM credit.check(8101::bigint)),
          'no_flights@8003:actual_controller,no_flights@8003:legal_representative,no_high_speed_rail@8003:actual_controller,no_high_speed_rail@8003:legal_representative,no_luxury_consumption@8003:actual_controller,no_luxury_consumption@8003:legal_representative',
          'the legal representative and actual controller of a judgment defaulter are restricted too, once per role (via_subject_id, via_role)');
SELECT is(pg_temp.measures(8102), NULL, 'a former legal representative (role ended before the decision) is not');
SELECT is(pg_temp.measures(8004), NULL, 'another company of that legal representative is not restricted itself');
SELECT is(pg_temp.measures(8005), 'key_supervision', 'a watch-list entry brings key supervision');
SELECT is((SELECT (verdict, measures, reasons)::text FROM credit.check_summary(8002::bigint, 'bidding')),
          '(restricted,4,{serious_dishonesty_list})', 'summary: restricted, with the reason');
SELECT is((SELECT (verdict, measures, reasons)::text FROM credit.check_summary(8101::bigint)),
          '(restricted,6,"{actual_controller:judgment_defaulter,legal_representative:judgment_defaulter}")', 'summary of a person restricted through two roles');
SELECT is((SELECT (verdict, measures, reasons)::text FROM credit.check_summary(8001::bigint)),
          '(incentive,4,{red_list})', 'summary of a red-list subject');
SELECT is((SELECT (verdict, measures, reasons)::text FROM credit.check_summary(8004::bigint)),
          '(clear,0,{})', 'summary of a clean subject');
SELECT is((SELECT verdict FROM credit.check_summary(pg_temp.code(8002), 'bidding')), 'restricted', 'by uscc');
SELECT is((SELECT verdict FROM credit.check_summary(pg_temp.person('35010219700101123'), 'air_travel')), 'restricted', 'by rid');
SELECT is((SELECT verdict FROM credit.check_summary(pg_temp.code(8999))), 'clear', 'an unregistered code is clear');
SELECT throws_ok($$SELECT * FROM credit.check(999999::bigint)$$, 'P0002', 'subject 999999 does not exist', 'an unknown subject id is an error');
SELECT throws_ok($$SELECT * FROM credit.check(8001::bigint, NULL, 'infinity')$$, '22008', NULL, 'an absurd date is refused');
SELECT is(pg_temp.measures(8002, NULL, current_date - 61), 'credit_loan_convenience,fewer_inspections,green_channel',
          'the day before the listing: no punishment, and its tax_a honour was in effect');

-- edges: the day a record enters force and the day it leaves; the day a role ends
SELECT is((SELECT count(*)::int FROM credit.check(8005::bigint, NULL, current_date - 100) WHERE because_record_id = 8203), 1,
          'in force on the day of the decision');
SELECT is((SELECT count(*)::int FROM credit.check(8005::bigint, NULL, current_date - 101) WHERE because_record_id = 8203), 0,
          '... not the day before');
SELECT is((SELECT count(*)::int FROM credit.check(8005::bigint, NULL, (current_date - 800 + interval '2 years')::date - 1)
           WHERE because_record_id = 8204), 1, 'a watch-list entry is in force on the last day of its 2 years');
SELECT is((SELECT count(*)::int FROM credit.check(8005::bigint, NULL, (current_date - 800 + interval '2 years')::date)
           WHERE because_record_id = 8204), 0, '... and not on the first day after');
INSERT INTO credit.subject (subject_id, uscc, name, registered_by) VALUES
    (8006, pg_temp.code(8006), '被执行己公司', '某市市场监督管理局');
INSERT INTO credit.subject (subject_id, rid, name, registered_by) VALUES
    (8103, pg_temp.person('35010219900101789'), '王五', '某市市场监督管理局');
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, ruleset) VALUES
    (8208, 8006, 'judgment_defaulter', 'serious', '某市中级人民法院', current_date - 20, 'national');
-- 王五: principal of 8006 until the day of its listing (exclusive end), legal
-- representative of 8003 (also listed) from the day of its listing
INSERT INTO credit.subject_relation VALUES
    (8006, 8103, 'principal', current_date - 500, current_date - 20, '某市市场监督管理局'),
    (8003, 8103, 'legal_representative', current_date - 30, NULL, '某市市场监督管理局');
SELECT is((SELECT string_agg(DISTINCT via_subject_id || ':' || via_role, ',') FROM credit.check(8103::bigint)),
          '8003:legal_representative', 'a role that ended on the decision day does not reach the person; one that began that day does');
UPDATE credit.subject_relation SET valid_to = current_date - 19 WHERE subject_id = 8006 AND person_subject_id = 8103;
SELECT is((SELECT string_agg(DISTINCT via_subject_id || ':' || via_role, ',' ORDER BY via_subject_id || ':' || via_role) FROM credit.check(8103::bigint)),
          '8003:legal_representative,8006:principal', 'a person with two roles in two listed organisations: measures through each');
SELECT is((SELECT count(*)::int FROM credit.check(8103::bigint) WHERE via_subject_id = 8006), 3,
          '... the principal of a judgment defaulter is restricted in consumption (extends_to)');
-- bad input: documented empty answers, clear errors
SELECT is((SELECT count(*)::int FROM credit.check(NULL::bigint)), 0, 'a NULL subject: no rows');
SELECT is((SELECT verdict FROM credit.check_summary(NULL::bigint)), 'clear', '... and a clear summary');
SELECT is(pg_temp.measures(8002, 'no_such_matter'), 'key_supervision,no_missing_materials,no_notification_commitment',
          'an unknown matter: only the measures of every matter');
SELECT is((SELECT count(*)::int FROM credit.check(pg_temp.person('11010519491231001'))), 0, 'an unregistered rid: no rows');
SELECT throws_ok($$SELECT * FROM credit.check(8001::bigint, NULL, NULL)$$, '22004', NULL, 'a NULL date is an error');

-- objections suspend; revocation, repair and expiry end at once
INSERT INTO credit.objection (objection_id, record_id, raised_on, raised_by, reason)
VALUES (8401, 8201, current_date, '失信乙公司', '认定事实有误');
SELECT is((SELECT bool_and(suspended) FROM credit.check(8002::bigint)), true, 'an open objection suspends the measures');
SELECT is((SELECT (verdict, reasons)::text FROM credit.check_summary(8002::bigint)),
          '(caution,"{objection_open,serious_dishonesty_list}")', '... the summary says caution and why');
SELECT is((SELECT bool_or(suspended) FROM credit.check(8002::bigint, NULL, current_date - 1)), false, '... from the day it was raised');
UPDATE credit.objection SET state = 'dismissed', resolved_on = current_date, resolution = '核实无误' WHERE objection_id = 8401;
SELECT is((SELECT bool_or(suspended) FROM credit.check(8002::bigint)), false, 'a dismissed objection: in effect again');
UPDATE credit.record SET state = 'revoked' WHERE record_id = 8202;
SELECT is(pg_temp.measures(8003) || '|' || coalesce(pg_temp.measures(8101), 'none'), NULL,
          'a revoked record triggers nothing, for the subject and through its roles');
SELECT is(pg_temp.measures(8101, NULL, current_date - 1), 'no_flights,no_flights,no_high_speed_rail,no_high_speed_rail,no_luxury_consumption,no_luxury_consumption',
          '... but did the day before the revocation');

-- repair under the 2019 rules: processing ends the measures at once
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, corrected_on, ruleset) VALUES
    (8205, 8004, 'administrative_penalty', 'serious', '某市市场监督管理局', current_date - 300, current_date - 290, 'national-2019');
SELECT is(pg_temp.measures(8004), 'key_supervision', 'a serious penalty brings key supervision');
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours)
VALUES (8205, 'training', current_date - 5, 3), (8205, 'credit_report', current_date - 5, NULL);
INSERT INTO credit.repair_application (application_id, record_id, applicant, submitted_on) VALUES (8501, 8205, '丁公司', current_date - 3);
UPDATE credit.repair_application SET state = 'accepted', accepted_on = current_date - 2 WHERE application_id = 8501;
UPDATE credit.repair_application SET state = 'approved', decided_on = current_date - 1 WHERE application_id = 8501;
UPDATE credit.repair_application SET state = 'processed', processed_on = current_date WHERE application_id = 8501;
SELECT is((SELECT state FROM credit.record WHERE record_id = 8205), 'repaired', 'the record is repaired');
SELECT is(pg_temp.measures(8004), NULL, 'repair lifts the measures at once');

-- a measure for a set period: a local category and the licence ban
INSERT INTO credit.record_category (category, name) VALUES ('licence_fraud', '以欺骗、贿赂等不正当手段取得行政许可');
INSERT INTO credit.publicity_rule (ruleset, category, severity, published, min_period, max_period)
VALUES ('national', 'licence_fraud', 'serious', true, '1 year', '3 years');
INSERT INTO credit.measure_trigger (measure, category, duration, note)
VALUES ('licence_ban_3y', 'licence_fraud', '3 years', '行政许可法第七十九条'),
       ('key_supervision', 'licence_fraud', '6 months', '本地：重点监管6个月');
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, ruleset)
VALUES (8206, 8001, 'licence_fraud', 'serious', '某市市场监督管理局', current_date - 200, 'national');
SELECT is((SELECT string_agg(measure, ',') FROM credit.check(8001::bigint, 'licence') WHERE kind = 'punishment'), 'licence_ban_3y',
          'a local category triggers a catalogue measure');
SELECT is((SELECT in_effect_until FROM credit.check(8001::bigint, 'licence') WHERE kind = 'punishment'), (current_date - 200 + interval '3 years')::date,
          '... for its set period');
SELECT is(pg_temp.measures(8001, NULL, current_date - 100) LIKE '%key_supervision%', true, 'a 6-month measure is in effect at 100 days');
SELECT is(pg_temp.measures(8001) LIKE '%key_supervision%', false, '... and over at 200 days');
SELECT is((SELECT count(*)::int FROM credit.check(8001::bigint) WHERE kind = 'incentive'), 4,
          'an ordinary record does not suspend the red list (only black lists do)');

-- ============================================================= roles
-- a record of the court not disclosed yet: not public
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, disclosed_on, ruleset)
VALUES (8207, 8004, 'judgment_defaulter', 'serious', '某市中级人民法院', current_date - 1, current_date + 1, 'national');
SET ROLE s_reader;
SELECT is(pg_temp.measures(8004), NULL, 'a reader: a record not public yet brings nothing (the check reveals no non-public record)');
SELECT is(pg_temp.measures(8005), NULL, '... nor a watch-list entry (not published)');
SELECT is(pg_temp.measures(8002, 'bidding'), 'key_supervision,no_bidding,no_missing_materials,no_notification_commitment', '... public list entries it sees');
SELECT throws_ok($$SELECT * FROM credit.check(8002::bigint, NULL, current_date + 30)$$, '42501', NULL,
                 '... and not the future');
SELECT throws_ok($$SELECT * FROM credit.honour$$, '42501', NULL, '... nor the honours table');
SELECT throws_ok($$SELECT credit.black_listed(8002, current_date)$$, '42501', NULL, '... nor the internal list test');
SELECT lives_ok($$SELECT * FROM credit.measure_stats$$, '... it reads the feedback statistics');
SET ROLE s_op_court;
SELECT is(pg_temp.measures(8004, 'air_travel'), 'no_flights,no_notification_commitment', 'the court''s operator sees its own record before disclosure');
SET ROLE s_op_sc;
SELECT is(pg_temp.measures(8004, 'air_travel'), NULL, 'another authority''s operator does not');
SELECT is(pg_temp.measures(8005), 'key_supervision', '... but its own watch list');
SELECT lives_ok($$INSERT INTO credit.measure_feedback (subject_id, measure, matter, authority, applied_on, result)
                  VALUES (8002, 'no_government_procurement', 'government_procurement', '某市市场监督管理局', current_date, 'applied')$$,
                'an operator records feedback for its authority');
SELECT throws_ok($$INSERT INTO credit.measure_feedback (subject_id, measure, matter, authority, applied_on, result)
                   VALUES (8002, 'no_bidding', 'bidding', '某市中级人民法院', current_date, 'applied')$$,
                 '42501', NULL, '... not for another authority');
SELECT throws_ok($$INSERT INTO credit.honour (subject_id, kind, authority, granted_on) VALUES (8004, 'red_list', '某市中级人民法院', current_date)$$,
                 '42501', NULL, '... nor honours of another authority (refused before anything about the subject is looked at)');
SELECT throws_ok($$UPDATE credit.measure SET mandatory = false WHERE measure = 'credit_restriction'$$, '42501', NULL,
                 'operators do not change the catalogue');
SET ROLE s_op_court;
SELECT is((SELECT count(*)::int FROM credit.measure_feedback), 0, 'feedback of another authority is not visible');
INSERT INTO credit.measure_feedback (subject_id, measure, matter, authority, applied_on, result)
VALUES (8003, 'no_flights', 'air_travel', '某市中级人民法院', current_date, 'applied'),
       (8003, 'no_flights', 'air_travel', '某市中级人民法院', current_date, 'lifted');
SET ROLE s_admin;
SELECT is(pg_temp.measures(8004, 'air_travel'), 'no_flights,no_notification_commitment', 'credit_admin sees every record');
SELECT lives_ok($$INSERT INTO credit.measure (measure, name, kind, nature, content, legal_basis, matters)
                  VALUES ('local_subsidy_ban', '限制申请本市产业扶持资金', 'punishment', 'administrative',
                          '三年内不得申请本市产业扶持资金', '《某市社会信用条例》第三十条', '{fiscal_funds}')$$,
                'credit_admin adds a local measure');
SELECT lives_ok($$INSERT INTO credit.measure_trigger (measure, category) VALUES ('local_subsidy_ban', 'serious_dishonesty_list')$$,
                '... and what triggers it');
SELECT is(pg_temp.measures(8002, 'fiscal_funds'), 'key_supervision,local_subsidy_ban,no_fiscal_funds,no_missing_materials,no_notification_commitment',
          '... which the check applies at once');
SELECT is((SELECT string_agg(authority || ':' || measure || ':' || applied || '/' || not_applied || '/' || lifted, ',' ORDER BY authority, measure)
           FROM credit.measure_stats),
          '某市中级人民法院:no_flights:1/0/1,某市市场监督管理局:no_government_procurement:1/0/0',
          'measure_stats counts per month, authority and measure');
RESET ROLE;

-- audited, dumped, distribution-ready
SELECT is((SELECT count(*)::int FROM credit.audited_table WHERE enabled AND table_name::text IN
              ('credit.honour_kind', 'credit.honour', 'credit.measure', 'credit.measure_trigger',
               'credit.subject_relation', 'credit.measure_feedback')), 6,
          'every new table is audited');
SELECT is((SELECT count(*)::int FROM pg_extension e, unnest(e.extconfig) c
           WHERE e.extname = 'credit' AND c::regclass::text IN
              ('credit.honour_kind', 'credit.honour', 'credit.measure', 'credit.measure_trigger',
               'credit.subject_relation', 'credit.measure_feedback')), 6,
          'every new table is dumped by pg_dump');
SELECT is((SELECT string_agg(c.relname, ',' ORDER BY c.relname)
           FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
           WHERE k.contype IN ('p', 'u') AND c.relname IN ('honour', 'subject_relation', 'measure_feedback')
             AND (SELECT attname FROM pg_attribute WHERE attrelid = c.oid AND attnum = k.conkey[1]) <> 'subject_id'), NULL,
          'subject_id comes first in every key of the new data tables');

SELECT * FROM finish();
ROLLBACK;
