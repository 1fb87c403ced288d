-- pgTAP: audit log v2 -- every attack, each in a transaction rolled back,
-- tried as a superuser with the triggers off, and the problem code
-- audit_verify() names; sealing by ranges with deferred and late rows.
--
-- Not one transaction: sealing takes the rows of finished transactions only.
\set ON_ERROR_STOP 1
SELECT * FROM no_plan();

CREATE TABLE public.tamper_t (id int PRIMARY KEY, v text);
INSERT INTO public.tamper_t VALUES (1, 'there before auditing');
SELECT credit.audit_enable('public.tamper_t');
SELECT is((SELECT count(*)::int FROM credit.audit_log WHERE table_name = 'tamper_t' AND operation = 'SNAPSHOT'), 1,
          'audit_enable logs the rows already there as SNAPSHOT');
INSERT INTO public.tamper_t VALUES (2, 'a');
INSERT INTO public.tamper_t VALUES (3, 'b');
-- a number no committed row takes: a gap in the range
BEGIN; INSERT INTO public.tamper_t VALUES (99, 'rolled back'); ROLLBACK;
UPDATE public.tamper_t SET v = 'b2' WHERE id = 3;
SELECT ok((SELECT count(*) FROM credit.audit_seal()) = 1, 'a first seal');
SELECT credit.audit_digest() AS d1 \gset
SELECT max(block_id) AS b1 FROM credit.audit_block \gset
SELECT ok((SELECT cardinality(deferred_log_ids) >= 1 FROM credit.audit_block ORDER BY block_id DESC LIMIT 1),
          'the rolled-back row''s number is deferred, not sealed');
INSERT INTO public.tamper_t VALUES (4, 'c');
INSERT INTO public.tamper_t VALUES (5, 'd');
SELECT ok((SELECT count(*) FROM credit.audit_seal()) = 1, 'a second seal');
SELECT credit.audit_digest() AS d2 \gset
SELECT max(block_id) AS b2 FROM credit.audit_block \gset
INSERT INTO public.tamper_t VALUES (6, 'unsealed');
SELECT is((SELECT ok FROM credit.audit_verify(:'d2', check_tables => true)), true, 'untouched: verifies, tables included');
SELECT is((SELECT relkind FROM pg_class WHERE oid = 'credit.audit_block_row'::regclass), 'v',
          'audit_block_row is a view over the ranges');

-- the attacks
CREATE FUNCTION pg_temp.rehash(l credit.audit_log) RETURNS bytea LANGUAGE sql AS $$
    SELECT credit.audit_row_hash(l.log_id, l.schema_name, l.table_name, l.operation, l.old_row, l.new_row,
           l.changed_columns, l.session_user_name, l.current_user_name, l.application_name, l.client_addr,
           l.txid, l.statement_ts) $$;
CREATE FUNCTION pg_temp.sealed_id(k int) RETURNS bigint LANGUAGE sql AS $$
    SELECT r.log_id FROM credit.audit_block_row r JOIN credit.audit_log l USING (log_id)
    WHERE r.block_id = (SELECT max(block_id) - 1 FROM credit.audit_block) AND l.table_name = 'tamper_t'
    ORDER BY r.log_id OFFSET k LIMIT 1 $$;

BEGIN; SET LOCAL session_replication_role = replica;
UPDATE credit.audit_log SET new_row = '{"id": 2, "v": "forged"}' WHERE log_id = pg_temp.sealed_id(1);
SELECT is((SELECT problem FROM credit.audit_verify()), 'row_hash_mismatch', 'an edited row: row_hash_mismatch');
ROLLBACK;

BEGIN; SET LOCAL session_replication_role = replica;
UPDATE credit.audit_log l SET new_row = '{"id": 2, "v": "forged"}' WHERE log_id = pg_temp.sealed_id(1);
UPDATE credit.audit_log l SET row_hash = pg_temp.rehash(l) WHERE log_id = pg_temp.sealed_id(1);
SELECT is((SELECT problem FROM credit.audit_verify()), 'merkle_root_mismatch', 'an edited sealed row with a valid hash: merkle_root_mismatch');
ROLLBACK;

BEGIN; SET LOCAL session_replication_role = replica;
DELETE FROM credit.audit_log WHERE log_id = pg_temp.sealed_id(1);
SELECT is((SELECT problem FROM credit.audit_verify()), 'sealed_row_missing', 'a deleted sealed row: sealed_row_missing');
ROLLBACK;

BEGIN; SET LOCAL session_replication_role = replica;
INSERT INTO credit.audit_log (log_id, schema_name, table_name, operation, new_row, session_user_name, current_user_name, txid, statement_ts, row_hash)
SELECT g, 'public', 'tamper_t', 'INSERT', '{"id": 7, "v": "backdated"}', 'x', 'x', '1', '2020-01-01', '\x00'
FROM (SELECT min(x) AS g FROM credit.audit_block b, unnest(b.deferred_log_ids) x WHERE b.block_id = :b1) s;
UPDATE credit.audit_log l SET row_hash = pg_temp.rehash(l) WHERE new_row->>'v' = 'backdated';
SELECT is((SELECT problem FROM credit.audit_verify()), 'row_outside_block',
          'a backdated row with a valid hash in a gap of the sealed range: row_outside_block');
ROLLBACK;

BEGIN; SET LOCAL session_replication_role = replica;
INSERT INTO credit.audit_log (log_id, schema_name, table_name, operation, new_row, session_user_name, current_user_name, txid, statement_ts, row_hash)
VALUES (-1, 'public', 'tamper_t', 'INSERT', '{"id": 8, "v": "below"}', 'x', 'x', '1', '2020-01-01', '\x00');
UPDATE credit.audit_log l SET row_hash = pg_temp.rehash(l) WHERE log_id = -1;
SELECT is((SELECT problem FROM credit.audit_verify()), 'row_outside_block', 'a row below the first block: row_outside_block');
ROLLBACK;

BEGIN; SET LOCAL session_replication_role = replica;
UPDATE credit.audit_log l SET new_row = '{"id": 6, "v": "forged"}' WHERE new_row->>'v' = 'unsealed';
UPDATE credit.audit_log l SET row_hash = pg_temp.rehash(l) WHERE new_row->>'v' = 'forged';
SELECT is((SELECT ok FROM credit.audit_verify()), true, 'an edited unsealed row with a valid hash passes the log''s own checks ...');
SELECT is((SELECT problem FROM credit.audit_verify(check_tables => true)), 'unlogged_change',
          '... but not check_tables: the table row differs from its last logged image');
ROLLBACK;

BEGIN; SET LOCAL session_replication_role = replica;
DELETE FROM credit.audit_log WHERE new_row->>'v' = 'unsealed';
SELECT is((SELECT problem FROM credit.audit_verify(check_tables => true)), 'unlogged_change',
          'a deleted unsealed row: its table row was never logged (unlogged_change)');
ROLLBACK;

BEGIN; SET LOCAL session_replication_role = replica;
UPDATE public.tamper_t SET v = 'changed with the trigger off' WHERE id = 2;
SELECT is((SELECT ok FROM credit.audit_verify()), true, 'data changed with the audit trigger off: the log alone cannot see it ...');
SELECT is((SELECT problem FROM credit.audit_verify(check_tables => true)), 'unlogged_change', '... check_tables can');
ROLLBACK;

BEGIN; SET LOCAL session_replication_role = replica;
DELETE FROM public.tamper_t WHERE id = 3;
SELECT is((SELECT problem FROM credit.audit_verify(check_tables => true)), 'unlogged_change', 'a row deleted with the trigger off: unlogged_change');
ROLLBACK;

BEGIN; SET LOCAL session_replication_role = replica;
DELETE FROM credit.audit_block WHERE block_id = :b1;
SELECT is((SELECT problem FROM credit.audit_verify()), 'block_missing', 'a missing block: block_missing');
ROLLBACK;

BEGIN; SET LOCAL session_replication_role = replica;
UPDATE credit.audit_block SET prev_hash = sha256('x') WHERE block_id = :b2;
SELECT is((SELECT problem FROM credit.audit_verify()), 'chain_broken', 'a rewritten link: chain_broken');
ROLLBACK;

BEGIN; SET LOCAL session_replication_role = replica;
UPDATE credit.audit_block SET deferred_log_ids = deferred_log_ids || 999999 WHERE block_id = :b2;
SELECT is((SELECT problem FROM credit.audit_verify()), 'block_hash_mismatch', 'a changed deferred list: block_hash_mismatch');
ROLLBACK;

-- the newest block dropped with its rows, and a block rewritten and re-chained:
-- only the digest kept outside catches them
BEGIN; SET LOCAL session_replication_role = replica;
DELETE FROM credit.audit_log WHERE log_id IN (SELECT log_id FROM credit.audit_block_row WHERE block_id = :b2);
DELETE FROM credit.audit_block WHERE block_id = :b2;
SELECT is((SELECT ok FROM credit.audit_verify()), true, 'the newest block dropped with its rows: the chain alone is consistent ...');
SELECT is((SELECT problem FROM credit.audit_verify(:'d2')), 'digest_not_found', '... the digest kept outside is not');
ROLLBACK;

BEGIN; SET LOCAL session_replication_role = replica;
UPDATE credit.audit_log l SET new_row = '{"id": 2, "v": "rewritten"}' WHERE log_id = pg_temp.sealed_id(1);
UPDATE credit.audit_log l SET row_hash = pg_temp.rehash(l) WHERE log_id = pg_temp.sealed_id(1);
UPDATE credit.audit_block b SET merkle_root = (SELECT credit.audit_merkle_root(array_agg(l.row_hash ORDER BY l.log_id))
                                               FROM credit.audit_block_row r JOIN credit.audit_log l USING (log_id) WHERE r.block_id = :b1)
WHERE b.block_id = :b1;
UPDATE credit.audit_block b SET block_hash = credit.audit_block_hash(b.block_id, b.row_count, b.merkle_root, b.prev_hash, b.sealed_at,
                                                                     b.high_log_id, b.late_log_ids, b.deferred_log_ids) WHERE b.block_id = :b1;
UPDATE credit.audit_block b SET prev_hash = (SELECT p.block_hash FROM credit.audit_block p WHERE p.block_id = :b1) WHERE b.block_id = :b2;
UPDATE credit.audit_block b SET block_hash = credit.audit_block_hash(b.block_id, b.row_count, b.merkle_root, b.prev_hash, b.sealed_at,
                                                                     b.high_log_id, b.late_log_ids, b.deferred_log_ids) WHERE b.block_id = :b2;
SELECT is((SELECT ok FROM credit.audit_verify()), true, 'a block rewritten and the next re-chained: consistent without a digest ...');
SELECT is((SELECT problem FROM credit.audit_verify(:'d2')), 'digest_not_found', '... caught by the digest kept outside');
SELECT is((SELECT problem FROM credit.audit_verify(since_digest => :'d1')), 'digest_not_found',
          '... and by since_digest: the block of the digest changed');
ROLLBACK;

-- since_digest: what came after
SELECT is((SELECT ok FROM credit.audit_verify(since_digest => :'d1')), true, 'since_digest verifies what came after');
SELECT ok((SELECT rows_checked FROM credit.audit_verify(since_digest => :'d2')) < (SELECT rows_checked FROM credit.audit_verify()),
          '... checking fewer rows than a full verify');
BEGIN; SET LOCAL session_replication_role = replica;
UPDATE credit.audit_log SET new_row = '{"id": 4, "v": "forged"}' WHERE new_row->>'v' = 'c';
SELECT is((SELECT problem FROM credit.audit_verify(since_digest => :'d1')), 'row_hash_mismatch', '... and finds an edit after the digest');
ROLLBACK;

-- derived data: one RUN row per classify_period, recomputed by check_tables
SELECT credit.classify_period(current_date);
SELECT is((SELECT count(*)::int FROM credit.audit_log WHERE table_name = 'classification' AND operation = 'RUN'), 1,
          'classify_period logs one RUN row ...');
SELECT is((SELECT count(*)::int FROM credit.audit_log WHERE table_name = 'classification' AND operation <> 'RUN'), 0,
          '... and no row per subject');
SELECT ok((SELECT new_row ?& ARRAY['period', 'model', 'rows', 'run_by', 'sha256'] FROM credit.audit_log
           WHERE table_name = 'classification' AND operation = 'RUN'), '... with who, model, period, count and digest');
SELECT is((SELECT ok FROM credit.audit_verify(check_tables => true)), true, 'the classification matches its run');
BEGIN;
UPDATE credit.classification SET class = 'A' WHERE class <> 'A' AND period = date_trunc('month', current_date);
INSERT INTO credit.classification (period, subject_id, model, class, capped)
SELECT date_trunc('month', current_date), (SELECT min(subject_id) FROM credit.subject), (SELECT model FROM credit.risk_model WHERE is_default), 'A', false
WHERE NOT EXISTS (SELECT 1 FROM credit.classification WHERE period = date_trunc('month', current_date));
SELECT is((SELECT problem FROM credit.audit_verify(check_tables => true)), 'unlogged_change', 'a changed classification: unlogged_change');
ROLLBACK;

-- bad input
SELECT throws_ok($$SELECT * FROM credit.audit_verify('not a digest')$$, '22023', NULL, 'a malformed digest: 22023');
SELECT throws_ok($$SELECT * FROM credit.audit_verify(since_digest => '1:xyz')$$, '22023', NULL, 'a malformed since_digest: 22023');
SELECT is((SELECT problem FROM credit.audit_verify('999999:' || repeat('0', 64))), 'digest_not_found', 'an unknown digest: digest_not_found');
SELECT throws_ok($$SELECT credit.audit_log_event('public.tamper_t', 'SNAPSHOT', '{}')$$, '55000', NULL,
                 'no SNAPSHOT for a table already audited');
SELECT throws_ok($$SELECT credit.audit_log_event('public.tamper_t', 'UPDATE', '{}')$$, '22023', NULL, 'no row change logged by hand');

SELECT * FROM finish();
DROP TABLE public.tamper_t;
