-- pgTAP: trust (issue "Trust").  Every guarantee tried as an attacker and as
-- a careful user would, logging in as each role with SET ROLE: privileges on
-- the audit and data tables, leak-proof views, functions that read across
-- authorities, the repair workflow, dates checked for sense, the rules as the
-- law says, and the small things users hit.  Each test failed on 0.2.0.
\set ON_ERROR_STOP 1
BEGIN;
SELECT * FROM no_plan();
SELECT credit.setup_roles();

-- two authorities, one operator each; a reader, an auditor, and a login
-- member of credit_admin (BYPASSRLS would not be inherited by it)
CREATE ROLE t_op_bj NOLOGIN IN ROLE credit_operator;
CREATE ROLE t_op_fz NOLOGIN IN ROLE credit_operator;
CREATE ROLE t_reader NOLOGIN IN ROLE credit_reader;
CREATE ROLE t_auditor NOLOGIN IN ROLE credit_auditor;
CREATE ROLE t_admin LOGIN IN ROLE credit_admin;
INSERT INTO credit.operator_authority VALUES ('t_op_bj', '北京市市场监督管理局'), ('t_op_fz', '福州市市场监督管理局');

SET datestyle = ISO;
CREATE FUNCTION pg_temp.code(b text) RETURNS credit.uscc LANGUAGE sql AS
$$ SELECT (b || credit.uscc_check_char(b))::credit.uscc $$;
CREATE FUNCTION pg_temp.person(b text) RETURNS credit.rid LANGUAGE sql AS
$$ SELECT (b || credit.rid_check_char(b))::credit.rid $$;
INSERT INTO credit.subject (subject_id, uscc, name, registered_by) VALUES
    (9101, pg_temp.code('91350100MA7000001'), '福州甲公司', '福州市市场监督管理局'),
    (9102, pg_temp.code('91110000MA7000002'), '北京乙公司', '北京市市场监督管理局');
INSERT INTO credit.subject (subject_id, rid, name, registered_by) VALUES
    (9103, pg_temp.person('11010519700101777'), '钱七（未公开）', '北京市市场监督管理局');
-- a Beijing record shown today, one disclosed only later (not public yet),
-- a Fuzhou record, and one on the serious-dishonesty list (caps the class)
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, corrected_on, ruleset) VALUES
    (9201, 9102, 'administrative_penalty', 'general', '北京市市场监督管理局', current_date - 200, current_date - 150, 'national'),
    (9202, 9103, 'administrative_penalty', 'serious', '北京市市场监督管理局', current_date - 10, NULL, 'national'),
    (9203, 9101, 'administrative_penalty', 'general', '福州市市场监督管理局', current_date - 300, current_date - 250, 'national'),
    (9204, 9101, 'serious_dishonesty_list', 'serious', '福州市市场监督管理局', current_date - 30, NULL, 'national');
UPDATE credit.record SET disclosed_on = current_date + 1 WHERE record_id = 9202;   -- disclosed tomorrow

-- ============================================= 1, 2: the audit tables
SELECT is((SELECT count(*)::int FROM unnest(ARRAY['credit_reader', 'credit_operator', 'credit_auditor', 'credit_admin']) r,
                 unnest(ARRAY['credit.audit_log', 'credit.audit_block', 'credit.audit_block_row']) t,
                 unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
           WHERE has_table_privilege(r, t, p)), 0,
          'no credit role holds INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES or TRIGGER on an audit table');
SELECT is((SELECT string_agg(r || ' ' || c.relname || ' ' || p, ', ')
           FROM unnest(ARRAY['credit_reader', 'credit_operator', 'credit_auditor', 'credit_admin']) r,
                pg_class c, unnest(ARRAY['TRUNCATE', 'REFERENCES', 'TRIGGER']) p
           WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind IN ('r', 'p')
             AND has_table_privilege(r, c.oid, p)), NULL,
          'no credit role holds TRUNCATE, REFERENCES or TRIGGER on any table of the extension');
SET ROLE t_admin;
CREATE FUNCTION pg_temp.evil() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
SELECT throws_ok($$CREATE TRIGGER evil BEFORE INSERT ON credit.audit_log FOR EACH ROW EXECUTE FUNCTION pg_temp.evil()$$,
                 '42501', NULL, 'credit_admin cannot put a trigger on the audit log (it would run as the owner)');
SELECT throws_ok($$CREATE TRIGGER evil BEFORE INSERT ON credit.audit_block FOR EACH ROW EXECUTE FUNCTION pg_temp.evil()$$,
                 '42501', NULL, '... nor on the blocks');
SELECT throws_ok($$CREATE TRIGGER evil BEFORE INSERT ON credit.record FOR EACH ROW EXECUTE FUNCTION pg_temp.evil()$$,
                 '42501', NULL, '... nor on a table the workflow writes as the owner');
SELECT throws_ok($$INSERT INTO credit.audit_log (schema_name, table_name, operation, session_user_name, current_user_name, txid, statement_ts, row_hash)
                   VALUES ('credit', 'record', 'UPDATE', 'op_bj', 'op_bj', '1', now(), '\x00')$$,
                 '42501', NULL, 'credit_admin cannot forge a log row');
RESET ROLE;
SET ROLE t_op_bj;
SELECT throws_ok($$SELECT credit.audit_row_hash(1, 'credit', 'record', 'UPDATE', NULL, NULL, NULL, 'a', 'a', NULL, NULL, '1', now())$$,
                 '42501', NULL, 'the hash functions are for auditors, not operators');
RESET ROLE;
SET ROLE t_auditor;
SELECT lives_ok($$SELECT credit.audit_merkle_root(ARRAY[sha256('x')])$$, 'auditors may recompute hashes');
RESET ROLE;

-- ============================================= 3: leak-proof views
CREATE TEMP TABLE leaked (v text);
GRANT INSERT ON leaked TO PUBLIC;
CREATE FUNCTION pg_temp.leak(text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS
$$ BEGIN INSERT INTO leaked VALUES ($1); RETURN true; END $$;
GRANT EXECUTE ON FUNCTION pg_temp.leak(text) TO PUBLIC;
SET ROLE t_reader;
SELECT count(*) FROM credit.repair_candidate WHERE pg_temp.leak(subject_name);
SELECT count(*) FROM credit.public_record WHERE pg_temp.leak(subject_name || '/' || coalesce(uscc::text, rid_masked));
RESET ROLE;
SELECT is((SELECT count(*)::int FROM leaked WHERE v LIKE '%钱七%' OR v LIKE '%110105197001%'), 0,
          'a reader''s cheap function sees no row the views do not show (the person disclosed tomorrow, unmasked IDs)');
SELECT ok((SELECT count(*) FROM leaked) > 0, '... the cheap function did run, on the rows the views show');
SELECT ok((SELECT bool_and(c.reloptions @> '{security_barrier=true}' OR c.reloptions @> '{security_invoker=true}')
           FROM pg_class c WHERE c.oid IN ('credit.public_record'::regclass, 'credit.repair_candidate'::regclass,
                                           'credit.class_distribution'::regclass, 'credit.class_migration_matrix'::regclass,
                                           'credit.audit_trail'::regclass)),
          'every view granted to a role over protected tables is a security barrier');

-- ============================================= 4: functions across authorities
SET ROLE t_op_fz;
SELECT throws_ok($$SELECT * FROM credit.repair_eligibility(9202)$$, 'P0002', 'record 9202 does not exist',
                 'an operator of Fuzhou learns nothing of a Beijing record that is not public');
SELECT lives_ok($$SELECT * FROM credit.repair_eligibility(9201)$$, '... a record public today may be asked about');
SELECT lives_ok($$SELECT * FROM credit.repair_eligibility(9203)$$, '... and its own records');
SELECT throws_ok($$SELECT credit.classify_period(current_date)$$, '42501', NULL, 'operators cannot run the monthly classification');
RESET ROLE;
SET ROLE t_op_bj;
SELECT lives_ok($$SELECT * FROM credit.repair_eligibility(9202)$$, 'the Beijing operator asks about its own record');
RESET ROLE;
SET ROLE t_reader;
SELECT lives_ok($$SELECT count(*) FROM credit.repair_candidate$$, 'a reader can use repair_candidate (it needed publicity_rule)');
SELECT lives_ok($$SELECT credit.is_working_day('2025-10-08')$$, 'a reader can call is_working_day (it needed calendar)');
RESET ROLE;
SELECT credit.classify_period(current_date) AS n_owner \gset
SELECT count(*) FILTER (WHERE capped) AS capped_owner FROM credit.classification WHERE period = date_trunc('month', current_date) \gset
SET SESSION AUTHORIZATION t_admin;
SELECT credit.classify_period(current_date);
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FILTER (WHERE capped) FROM credit.classification WHERE period = date_trunc('month', current_date)),
          :capped_owner::bigint, 'classify_period run by a login member of credit_admin keeps every veto');
SELECT ok(:capped_owner > 0, '... and there was a veto to keep');

-- ============================================= 5: subjects, IDs, flooding, TRUNCATE, setup_roles
SET ROLE t_op_fz;
UPDATE credit.subject SET name = '改名' WHERE subject_id = 9102;
SELECT throws_ok($$SELECT rid FROM credit.subject$$, '42501', NULL, 'operators cannot read unmasked resident ID numbers');
SELECT is(credit.subject_id_of(pg_temp.person('11010519700101777')), 9103::bigint, '... but can find a person whose number they know');
INSERT INTO credit.subject (uscc, name) VALUES (('91350100MA2000001' || credit.uscc_check_char('91350100MA2000001'))::credit.uscc, '福州丙公司');
SELECT is((SELECT registered_by FROM credit.subject WHERE name = '福州丙公司'), '福州市市场监督管理局',
          'a subject an operator registers belongs to its authority');
RESET ROLE;
SELECT is((SELECT name FROM credit.subject WHERE subject_id = 9102), '北京乙公司',
          'an operator cannot rewrite a subject another authority registered');
SET ROLE t_auditor;
SELECT throws_ok($$SELECT count(*) FROM credit.audit_log$$, '42501', NULL, 'auditors read the trail, not the raw log');
SELECT is((SELECT count(*)::int FROM credit.audit_trail WHERE new_row::text LIKE '%11010519700101777%'), 0,
          'resident ID numbers are masked in the audit trail');
SELECT ok((SELECT count(*) FROM credit.audit_trail WHERE new_row->>'rid' = credit.mask(pg_temp.person('11010519700101777'))) > 0,
          '... shown masked');
RESET ROLE;
SET ROLE t_reader;
CREATE TEMP TABLE flood (x int);
SELECT throws_ok($$SELECT credit.audit_enable('flood')$$, '0A000', NULL, 'a temporary table cannot be audited');
RESET ROLE;
CREATE TRIGGER flood AFTER INSERT ON flood FOR EACH ROW EXECUTE FUNCTION credit.audit_trigger();
SELECT throws_ok($$INSERT INTO flood VALUES (1)$$, '0A000', NULL, '... not even with the trigger added by hand');
SET ROLE t_admin;
SELECT throws_ok($$TRUNCATE credit.calendar$$, '42501', NULL, 'credit_admin cannot TRUNCATE the calendar');
SELECT throws_ok($$TRUNCATE credit.risk_model CASCADE$$, '42501', NULL, '... nor wipe the classifications');
RESET ROLE;
SELECT throws_ok($$TRUNCATE credit.calendar$$, '42501', 'cannot truncate credit.calendar',
                 'the calendar''s builtin rows survive even the owner''s TRUNCATE');
CREATE ROLE t_roles_admin NOLOGIN CREATEROLE;
GRANT USAGE ON SCHEMA credit TO t_roles_admin;
GRANT EXECUTE ON FUNCTION credit.setup_roles() TO t_roles_admin;
SET ROLE t_roles_admin;
SELECT lives_ok($$SELECT credit.setup_roles()$$, 'setup_roles needs CREATEROLE, not superuser');
RESET ROLE;
GRANT EXECUTE ON FUNCTION credit.setup_roles() TO t_reader;
SET ROLE t_reader;
SELECT throws_ok($$SELECT credit.setup_roles()$$, '42501', NULL, 'a role without CREATEROLE cannot run it');
SELECT throws_ok(format('SELECT * FROM credit.public_record_at(%L)', current_date + 1), '42501', NULL,
                 'a reader cannot see records before they are public (a date after today)');
SELECT is((SELECT count(*)::int FROM credit.public_record_at(current_date) WHERE record_id = 9202), 0,
          '... today the record disclosed tomorrow is not shown');
RESET ROLE;
SET ROLE t_op_bj;
SELECT is((SELECT count(*)::int FROM credit.public_record_at(current_date + 1) WHERE record_id = 9202), 1,
          'an operator may look ahead');
RESET ROLE;
SELECT ok(NOT (SELECT rolbypassrls FROM pg_roles WHERE rolname = 'credit_admin'), 'credit_admin needs no BYPASSRLS');

-- ============================================= 6: the workflow cannot be bypassed
INSERT INTO credit.objection (objection_id, record_id, raised_on, raised_by, reason)
VALUES (9301, 9201, current_date, '北京乙公司', '处罚对象有误');
SET ROLE t_op_bj;
SELECT throws_ok($$UPDATE credit.record SET state = 'under_repair' WHERE record_id = 9201$$, '42501', NULL,
                 'an operator cannot put a record under repair without an application');
SELECT throws_ok($$UPDATE credit.record SET under_verification = false WHERE record_id = 9201$$, '42501', NULL,
                 '... nor clear under_verification while an objection is open');
SELECT throws_ok($$INSERT INTO credit.record (subject_id, category, severity, authority, decided_on, state)
                   VALUES (9102, 'administrative_penalty', 'general', '北京市市场监督管理局', current_date - 5, 'repaired')$$,
                 '55000', NULL, '... nor insert a record as repaired');
SELECT throws_ok($$UPDATE credit.record SET subject_id = 9103 WHERE record_id = 9201$$, '55000', NULL,
                 '... nor move a record with an open objection to another subject');
RESET ROLE;
SELECT is((SELECT under_verification FROM credit.record WHERE record_id = 9201), true, 'the objection keeps the record under verification');

-- ============================================= 7: DROP EXTENSION
SELECT throws_ok($$DROP EXTENSION credit$$, '2BP01', 'extension credit holds data',
                 'DROP EXTENSION is refused while records and the log exist');
SELECT throws_ok($$DROP EXTENSION credit CASCADE$$, '2BP01', NULL, '... also with CASCADE');
SELECT throws_ok($$DROP SCHEMA credit CASCADE$$, '2BP01', NULL, '... and dropping its schema');

-- ============================================= 8: dates checked for sense
SELECT throws_ok($$SELECT credit.expire_records('infinity')$$, '22008', NULL, 'expire_records(''infinity'') is refused');
SELECT throws_ok(format('SELECT credit.expire_records(%L)', current_date + 1), '22008', NULL, '... and any date after today');
SELECT throws_ok($$SELECT credit.classify_period('infinity')$$, '22008', NULL, 'classify_period(''infinity'') is refused');
SELECT throws_ok($$SELECT credit.classify_period('1900-01-01')$$, '22008', NULL, 'classify_period(''1900-01-01'') is refused');
SELECT throws_ok($$INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
                   VALUES (9101, 'administrative_penalty', 'general', 'x', '2099-01-01')$$, '22008', NULL,
                 'a decision dated 2099 is refused');
SELECT throws_ok($$INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
                   VALUES (9101, 'administrative_penalty', 'general', 'x', '1066-10-14')$$, '22008', NULL,
                 'a decision dated 1066 is refused');
SELECT throws_ok($$INSERT INTO credit.objection (record_id, raised_on, raised_by, reason) VALUES (9203, '1999-01-01', 'a', 'b')$$,
                 '23514', NULL, 'an objection dated before the decision is refused');
SELECT throws_ok($$SELECT * FROM credit.draw_inspections(current_date, '{1,1,1,1}', NULL)$$, '22004', NULL,
                 'draw_inspections needs a seed');
SELECT throws_ok($$SELECT * FROM credit.repair_eligibility(9201, NULL)$$, '22004', NULL,
                 'repair_eligibility(id, NULL) is an error, not a NULL row');
SELECT throws_ok($$SELECT * FROM credit.publicity_window('administrative_penalty', 'general', '2025-01-01', NULL, 'atlantis')$$,
                 '22023', 'unknown ruleset "atlantis"', 'an unknown ruleset argument is invalid_parameter_value');
SELECT lives_ok($$SELECT credit.audit_enable(NULL)$$, 'audit_enable(NULL) does nothing (STRICT), no generated SQL error');
SELECT throws_ok($$SELECT * FROM credit.repair_eligibility(9201, 'infinity')$$, '22008', NULL,
                 'repair_eligibility refuses an infinite date');
SELECT ok((SELECT earliest_on IS NULL OR isfinite(earliest_on) FROM credit.repair_eligibility(9201, '9999-12-31')),
          'repair_eligibility on the last accepted day returns a valid date');

-- ============================================= 9: the rules as the law says
SELECT ok((SELECT bool_and(requires_commitment) FROM credit.publicity_rule WHERE ruleset = 'national' AND repairable),
          'national (令第36号) requires a public credit commitment for every repair');
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on) VALUES
    (9211, 9101, 'administrative_penalty', 'general', 'x', '2026-03-31'),
    (9212, 9101, 'administrative_penalty', 'general', 'x', '2026-04-01');
SELECT is((SELECT string_agg(ruleset, ',' ORDER BY record_id) FROM credit.record WHERE record_id IN (9211, 9212)),
          'national-2019,national', 'the default ruleset applies from its in_force date; a decision the day before falls under the one it replaced');
SELECT is((SELECT min_end FROM credit.publicity_window('administrative_penalty', 'serious', '2026-03-31')),
          '2026-09-30'::date, 'publicity_window without a ruleset follows the decision date too (527号: serious 6 months)');

-- ============================================= 10: public_record_at is historical
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, corrected_on, ruleset) VALUES
    (9221, 9101, 'administrative_penalty', 'general', '福州市市场监督管理局', '2025-01-10', '2025-02-01', 'national-2019');
INSERT INTO credit.repair_application (application_id, record_id, applicant, submitted_on) VALUES (9401, 9221, '福州甲公司', '2025-06-02');
UPDATE credit.repair_application SET state = 'accepted', accepted_on = '2025-06-03' WHERE application_id = 9401;
UPDATE credit.repair_application SET state = 'approved', decided_on = '2025-06-10' WHERE application_id = 9401;
UPDATE credit.repair_application SET state = 'processed', processed_on = '2025-06-11' WHERE application_id = 9401;
INSERT INTO credit.objection (record_id, raised_on, raised_by, reason) VALUES (9203, current_date, '福州甲公司', '金额有误');
SELECT is((SELECT under_repair FROM credit.public_record_at('2025-06-05') WHERE record_id = 9221), true,
          'a record repaired later was public, under repair, during its repair');
SELECT is((SELECT count(*)::int FROM credit.public_record_at('2025-05-01') WHERE record_id = 9221), 1,
          '... and public before it');
SELECT is((SELECT count(*)::int FROM credit.public_record_at('2025-06-10') WHERE record_id = 9221), 0,
          '... and not from the repair decision on');
SELECT is((SELECT under_verification FROM credit.public_record_at(current_date - 1) WHERE record_id = 9203), false,
          'an objection raised today does not show yesterday');
SELECT set_eq($$SELECT * FROM credit.public_record_at('2025-06-05', 9101)$$,
              $$SELECT * FROM credit.public_record_at('2025-06-05') WHERE subject_id = 9101$$,
              'public_record_at(as_of, subject_id): the subject''s rows of the whole day''s (an index lookup)');
SET ROLE t_reader;
SELECT set_eq($$SELECT * FROM credit.public_record_at(current_date, 9101)$$,
              $$SELECT * FROM credit.public_record_at(current_date) WHERE subject_id = 9101$$,
              '... also for a reader');
RESET ROLE;

-- ============================================= 12: publicity_trigger, calendar coverage
CREATE TABLE public.penalty_named (id int, category text, severity text, decided_on date, ruleset name,
                                   publicity_starts date, publicity_min_end date, publicity_max_end date);
CREATE TRIGGER p BEFORE INSERT ON public.penalty_named FOR EACH ROW EXECUTE FUNCTION credit.publicity_trigger();
INSERT INTO public.penalty_named (id, category, severity, decided_on) VALUES (1, 'administrative_penalty', 'general', '2026-05-01');
SELECT is((SELECT ruleset::text FROM public.penalty_named), 'national', 'a name-typed ruleset column gets the ruleset''s name');
INSERT INTO credit.calendar VALUES ('2027-01-01', 'holiday', '元旦');
SET credit.calendar_coverage = 'error';
SELECT throws_ok($$SELECT credit.add_working_days('2027-01-29', 5)$$, '22000', NULL,
                 'one 2027 row does not make 2027 covered (Spring Festival missing)');
SELECT ok(credit.is_working_day('2026-10-09'), 'a complete year stays covered');
RESET credit.calendar_coverage;

-- ============================================= 15: small things
SELECT throws_ok($$INSERT INTO credit.record (subject_id, category, severity, authority, decided_on) VALUES (9101, 'administrative_penalty', 'general', ' ', '2025-01-01')$$,
                 '23514', NULL, 'an empty authority is refused');
SELECT throws_ok($$INSERT INTO credit.subject (uscc, name) VALUES (('91350100MA2000002' || credit.uscc_check_char('91350100MA2000002'))::credit.uscc, '')$$,
                 '23514', NULL, 'an empty name is refused');
SELECT throws_ok($$INSERT INTO credit.repair_application (record_id, applicant) VALUES (9203, '')$$, '23514', NULL, 'an empty applicant is refused');
SELECT throws_ok($$INSERT INTO credit.objection (record_id, raised_by, reason) VALUES (9203, 'a', '')$$, '23514', NULL, 'an empty reason is refused');
SELECT throws_ok($$SELECT credit.sanction_active(987654321)$$, 'P0002', NULL, 'sanction_active of a missing record raises like repair_eligibility');

SELECT * FROM finish();
ROLLBACK;
