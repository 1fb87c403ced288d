-- pgTAP: registering subjects and relations through the functions a Citus
-- cluster needs (credit.register_subject, credit.relate_subjects), on one
-- node: the same rights as the INSERTs they stand for, logged in as each
-- role with SET ROLE; and the cluster-only parts answering "not a cluster".
\set ON_ERROR_STOP 1
BEGIN;
SELECT * FROM no_plan();
SELECT credit.setup_roles();
SET LOCAL credit.calendar_coverage = 'ignore';
CREATE ROLE r_op_a NOLOGIN IN ROLE credit_operator;
CREATE ROLE r_op_b NOLOGIN IN ROLE credit_operator;
CREATE ROLE r_reader NOLOGIN IN ROLE credit_reader;
CREATE ROLE r_admin NOLOGIN IN ROLE credit_admin;
INSERT INTO credit.operator_authority VALUES ('r_op_a', '甲局'), ('r_op_b', '乙局');

-- ================================================================ subjects
SET ROLE r_op_a;
SELECT isnt((SELECT credit.register_subject(uscc => '91350100M000100Y43', name => '甲公司')), NULL,
            'an operator registers an organisation and gets its subject_id');
RESET ROLE;
SELECT is((SELECT registered_by FROM credit.subject WHERE uscc::text = '91350100M000100Y43'), '甲局',
          '... for its own authority (filled: it has exactly one)');
SELECT is((SELECT region FROM credit.subject WHERE uscc::text = '91350100M000100Y43'), '350100',
          '... and the subject''s defaults are filled as for an INSERT (the region from the code)');
SELECT is(credit.subject_id_of('91350100M000100Y43'::credit.uscc),
          (SELECT subject_id FROM credit.subject WHERE uscc::text = '91350100M000100Y43'),
          'subject_id_of finds it by its code');
SET ROLE r_op_b;
SELECT throws_ok($$SELECT credit.register_subject(uscc => '91110000600037341L', name => 'x', registered_by => '甲局')$$,
                 '42501', NULL, 'an operator may not register a subject for another authority');
SELECT throws_ok($$SELECT credit.register_subject(uscc => '91350100M000100Y43', name => 'again')$$,
                 '23505', 'uscc 91350100M000100Y43 is already registered',
                 'a code registered already is refused, by its code (as UNIQUE (uscc) would)');
SELECT throws_ok($$SELECT credit.register_subject(name => 'nobody')$$,
                 '23514', NULL, 'a subject needs exactly one identifier, as for an INSERT');
SELECT isnt((SELECT credit.register_subject(rid => '440305198706113215', name => '张三')), NULL,
            'an operator registers a natural person by resident ID number');
SET ROLE r_reader;
SELECT throws_ok($$SELECT credit.register_subject(uscc => '91110000600037341L', name => 'x')$$,
                 '42501', NULL, 'a reader may not register subjects (no EXECUTE)');
RESET ROLE;
SELECT is(credit.citus_distributed('credit.subject'), false, 'credit.subject is not distributed on one node');
SELECT is((SELECT count(*) FROM credit.uscc_subject) + (SELECT count(*) FROM credit.rid_subject), 0::bigint,
          '... so the codes'' lookups stay empty (UNIQUE (uscc) and UNIQUE (rid) do their work)');
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'credit.subject'::regclass AND tgname = 'subject_code_guard'), 0,
          '... and direct INSERTs of subjects stay allowed (the guard is added by credit.distribute)');

-- =============================================================== relations
SET ROLE r_op_a;
SELECT lives_ok($$SELECT credit.relate_subjects(credit.subject_id_of('91350100M000100Y43'::credit.uscc),
                                                credit.subject_id_of('440305198706113215'::credit.rid),
                                                'legal_representative', DATE '2020-01-01')$$,
                'an operator relates a person to an organisation for its authority');
RESET ROLE;
SELECT is((SELECT authority FROM credit.subject_relation), '甲局', '... filled with its authority');
SET ROLE r_op_a;
SELECT throws_ok($$SELECT credit.relate_subjects(credit.subject_id_of('91350100M000100Y43'::credit.uscc),
                                                 credit.subject_id_of('91350100M000100Y43'::credit.uscc),
                                                 'principal', DATE '2020-01-01')$$,
                 '23514', NULL, '... and not an organisation as the person');
SELECT throws_ok($$SELECT credit.relate_subjects(credit.subject_id_of('91350100M000100Y43'::credit.uscc),
                                                 credit.subject_id_of('440305198706113215'::credit.rid),
                                                 'principal', DATE '2020-01-01', NULL, '乙局')$$,
                 '42501', NULL, '... nor for another authority');
SELECT throws_ok($$SELECT credit.relate_subjects(credit.subject_id_of('91350100M000100Y43'::credit.uscc),
                                                 credit.subject_id_of('440305198706113215'::credit.rid),
                                                 'legal_representative', DATE '2021-01-01')$$,
                 '23P01', NULL, '... and overlapping periods are refused by the guard, as for an INSERT');
RESET ROLE;

-- ==================================== may_access from command to command
-- (the same call site of a PL/pgSQL loop, one transaction: what the test
-- worked out for a role is kept for one command only)
CREATE FUNCTION pg_temp.access_each_time() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    seen text[] := '{}';
BEGIN
    FOR i IN 1..3 LOOP
        SET LOCAL ROLE r_op_b;
        seen := seen || credit.may_access('丙局')::text;
        RESET ROLE;
        IF i = 1 THEN
            INSERT INTO credit.operator_authority VALUES ('r_op_b', '丙局');
        ELSIF i = 2 THEN
            DELETE FROM credit.operator_authority WHERE role_name = 'r_op_b'::regrole AND authority = '丙局';
        END IF;
    END LOOP;
    RETURN array_to_string(seen, ',');
END $$;
SELECT is(pg_temp.access_each_time(), 'false,true,false',
          'may_access follows a mapping added and removed between two commands of one transaction');

-- ============================================= cluster-only parts, one node
SELECT throws_ok($$SELECT * FROM credit.distribute()$$, '0A000', NULL,
                 'credit.distribute() is refused in a database without Citus');
SELECT is(credit.citus_logical_table('credit.record'), 'credit.record'::regclass,
          'citus_logical_table of a table that is no shard is the table');

SELECT * FROM finish();
ROLLBACK;
