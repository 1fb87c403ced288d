-- pgTAP: the audit log (what it records, append-only, tamper evidence) and
-- the least-privilege roles with row-level security.
--
-- Not one transaction: sealing takes the rows of finished transactions only,
-- so the writes here commit (the test database is thrown away), and each
-- tampering runs in its own transaction and is rolled back.
\set ON_ERROR_STOP 1
SELECT plan(39);
SELECT credit.setup_roles();

-- ------------------------------------------------------ what is recorded
CREATE TABLE public.my_ledger (id int PRIMARY KEY, amount numeric, note text);
SELECT credit.audit_enable('public.my_ledger');
SELECT credit.audit_enable('public.my_ledger');   -- idempotent
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'public.my_ledger'::regclass AND tgname LIKE 'credit_audit%'), 2,
          'audit_enable adds the row and TRUNCATE triggers once');
SELECT ok(EXISTS (SELECT 1 FROM credit.audited_table WHERE table_name = 'credit.record'::regclass),
          'the extension''s tables are audited by default');
SET application_name = 'tap-suite';
INSERT INTO public.my_ledger VALUES (1, 10.5, 'first'), (2, 20, 'second');
UPDATE public.my_ledger SET note = 'changed' WHERE id = 1;
UPDATE public.my_ledger SET note = note WHERE id = 2;      -- changes nothing
UPDATE public.my_ledger SET amount = 10.5 WHERE id = 1;    -- changes nothing
DELETE FROM public.my_ledger WHERE id = 2;
CREATE TEMP TABLE mine AS SELECT * FROM credit.audit_log WHERE table_name = 'my_ledger' ORDER BY log_id;
SELECT is(ARRAY(SELECT operation FROM mine ORDER BY log_id), '{INSERT,INSERT,UPDATE,DELETE}',
          'one row per changed row; updates that change nothing are skipped');
SELECT is((SELECT changed_columns FROM mine WHERE operation = 'UPDATE'), '{note}', 'changed columns of an UPDATE');
SELECT is((SELECT old_row->>'note' || '>' || (new_row->>'note') FROM mine WHERE operation = 'UPDATE'), 'first>changed',
          'old and new rows as jsonb');
SELECT is((SELECT new_row FROM mine WHERE log_id = (SELECT min(log_id) FROM mine)),
          '{"id": 1, "note": "first", "amount": 10.5}'::jsonb, 'the inserted row');
SELECT ok((SELECT bool_and(session_user_name = session_user AND current_user_name = current_user
                           AND application_name = 'tap-suite' AND txid::text::bigint > 0
                           AND statement_ts <= clock_timestamp() AND length(row_hash) = 32) FROM mine),
          'users, application, transaction, statement time and a 32-byte hash are recorded');
TRUNCATE public.my_ledger;
SELECT is((SELECT operation FROM credit.audit_log ORDER BY log_id DESC LIMIT 1), 'TRUNCATE', 'TRUNCATE is logged');
SELECT credit.audit_disable('public.my_ledger');
INSERT INTO public.my_ledger VALUES (3, 1, 'unaudited');
SELECT is((SELECT count(*)::int FROM credit.audit_log WHERE table_name = 'my_ledger'), 5, 'audit_disable stops it');
SELECT throws_ok($$SELECT credit.audit_enable('credit.audit_log')$$, '22023', NULL, 'the log cannot audit itself');

-- ------------------------------------------------------------ append-only
SELECT throws_ok($$UPDATE credit.audit_log SET operation = 'DELETE'$$, '42501', NULL, 'UPDATE refused, also for the owner');
SELECT throws_ok($$DELETE FROM credit.audit_log$$, '42501', NULL, 'DELETE refused');
SELECT throws_ok($$TRUNCATE credit.audit_log$$, '42501', NULL, 'TRUNCATE refused');
SELECT throws_ok($$DELETE FROM credit.audit_block WHERE false$$, '42501', NULL,
                 'blocks are append-only too, even for a statement touching no row');

-- ------------------------------------------------------ seal and verify
SELECT ok((SELECT row_count > 0 FROM credit.audit_seal()), 'sealing makes a block');
SELECT is((SELECT count(*)::int FROM credit.audit_seal()), 0, 'nothing left to seal');
SELECT credit.audit_digest() AS digest \gset
SELECT ok((SELECT ok FROM credit.audit_verify(:'digest')), 'verify passes with the digest');
INSERT INTO public.my_ledger VALUES (4, 4, 'x');
SELECT credit.audit_enable('public.my_ledger');
INSERT INTO public.my_ledger VALUES (5, 5, 'y'), (6, 6, 'z');
SELECT is((SELECT row_count::int FROM credit.audit_seal()), 4,
          'the next block holds the two rows there when auditing resumed (SNAPSHOT) and the two written since');
SELECT ok((SELECT ok FROM credit.audit_verify(:'digest')), 'the chain still verifies against the older digest');
SELECT is((SELECT problem FROM credit.audit_verify('99:' || repeat('0', 64))), 'digest_not_found', 'an unknown digest is reported');

-- tampering by a superuser who switches the triggers off
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE credit.audit_log SET new_row = jsonb_set(new_row, '{note}', '"forged"')
WHERE log_id = (SELECT min(log_id) FROM mine);
SELECT is((SELECT problem || ' ' || (broken_log_id = (SELECT min(log_id) FROM mine))::text FROM credit.audit_verify()),
          'row_hash_mismatch true', 'an edited row is caught, and named');
ROLLBACK;
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE credit.audit_log l SET new_row = jsonb_set(l.new_row, '{note}', '"forged"'),
       row_hash = credit.audit_row_hash(l.log_id, l.schema_name, l.table_name, l.operation, l.old_row,
                    jsonb_set(l.new_row, '{note}', '"forged"'), l.changed_columns, l.session_user_name,
                    l.current_user_name, l.application_name, l.client_addr, l.txid, l.statement_ts)
WHERE log_id = (SELECT min(log_id) FROM mine);
SELECT is((SELECT problem FROM credit.audit_verify()), 'merkle_root_mismatch',
          'an edited row with a recomputed hash is caught by its block');
ROLLBACK;
BEGIN;
SET LOCAL session_replication_role = replica;
DELETE FROM credit.audit_log WHERE log_id = (SELECT min(log_id) FROM mine);
SELECT is((SELECT problem FROM credit.audit_verify()), 'sealed_row_missing', 'a deleted sealed row is caught');
ROLLBACK;
BEGIN;
SET LOCAL session_replication_role = replica;
DELETE FROM credit.audit_block WHERE block_id = 1;
SELECT is((SELECT problem FROM credit.audit_verify()), 'block_missing', 'a deleted block is caught');
ROLLBACK;
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE credit.audit_block SET prev_hash = NULL WHERE block_id = 2;
SELECT is((SELECT problem FROM credit.audit_verify()), 'chain_broken', 'a cut chain is caught');
ROLLBACK;
SELECT ok((SELECT ok FROM credit.audit_verify(:'digest')), 'after the rollbacks the log verifies again');

-- ------------------------------------------------------------------- roles
INSERT INTO credit.subject (subject_id, rid, name) VALUES (700001, '11010519491231002X', '张三');
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on) VALUES
    (700001, 700001, 'administrative_penalty', 'general', '甲局', current_date - 30),
    (700002, 700001, 'administrative_penalty', 'general', '乙局', current_date - 30);
CREATE ROLE tap_op_a IN ROLE credit_operator;
INSERT INTO credit.operator_authority VALUES ('tap_op_a', '甲局');

SET ROLE credit_reader;
SELECT is((SELECT rid_masked FROM credit.public_record WHERE record_id = 700001), '110105********002X',
          'credit_reader sees the public view, ID masked');
SELECT throws_ok($$SELECT * FROM credit.subject$$, '42501', NULL, 'credit_reader cannot read subjects');
SELECT throws_ok($$SELECT * FROM credit.record$$, '42501', NULL, 'credit_reader cannot read records');
SELECT throws_ok($$SELECT * FROM credit.audit_log$$, '42501', NULL, 'credit_reader cannot read the log');
RESET ROLE;

SET ROLE tap_op_a;
SELECT is(ARRAY(SELECT record_id FROM credit.record WHERE record_id >= 700001 ORDER BY 1), '{700001}'::bigint[],
          'an operator sees only its authority''s records');
SELECT lives_ok($$INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
                  VALUES (700001, 'administrative_penalty', 'serious', '甲局', current_date)$$,
                'an operator writes a record of its authority');
SELECT throws_ok($$INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
                   VALUES (700001, 'administrative_penalty', 'serious', '乙局', current_date)$$,
                 '42501', NULL, 'and cannot write another authority''s');
SELECT is((SELECT count(*)::int FROM (SELECT 1 FROM credit.record WHERE record_id = 700002 FOR UPDATE) x), 0,
          'nor touch it');
SELECT throws_ok($$SELECT * FROM credit.audit_log$$, '42501', NULL, 'an operator cannot read the log');
RESET ROLE;
SELECT is((SELECT current_user_name FROM credit.audit_log WHERE table_name = 'record' ORDER BY log_id DESC LIMIT 1),
          'tap_op_a', 'the operator''s write is logged under its name (written as the log owner)');

SET ROLE credit_auditor;
SELECT ok((SELECT count(*) > 0 FROM credit.audit_trail), 'credit_auditor reads the log (as credit.audit_trail)');
SELECT ok((SELECT ok FROM credit.audit_verify()), 'and verifies it');
SELECT throws_ok($$SELECT * FROM credit.record$$, '42501', NULL, 'but not the records');
RESET ROLE;

SELECT * FROM finish();
DROP TABLE public.my_ledger;
