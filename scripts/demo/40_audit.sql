-- Part 5: the audit trail and least privilege
\echo
\echo '== 12. Everything above was audited: one log row per changed row (credit.audit_log)'
SELECT table_name, operation, count(*) AS log_rows
FROM credit.audit_log GROUP BY 1, 2 ORDER BY 1, 2;

\echo
\echo '-- least privilege: an operator of one authority writes its own records only (row-level security)'
SELECT credit.setup_roles();
CREATE ROLE demo_fuzhou_clerk IN ROLE credit_operator;
INSERT INTO credit.operator_authority VALUES ('demo_fuzhou_clerk', '市场监督管理局');
SET ROLE demo_fuzhou_clerk;
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
VALUES (1, 'administrative_penalty', 'general', '市场监督管理局', '2026-11-20');
\set ON_ERROR_STOP 0
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
VALUES (1, 'administrative_penalty', 'general', '税务局', '2026-11-20');
\set ON_ERROR_STOP 1
RESET ROLE;
SELECT log_id, table_name, operation, current_user_name, session_user_name, new_row->>'authority' AS authority
FROM credit.audit_log ORDER BY log_id DESC LIMIT 1;

\echo
\echo '== 13. Sealing: committed log rows become a block (Merkle root, chained to the previous block)'
SELECT block_id, row_count, left(block_hash, 16) || '...' AS block_hash FROM credit.audit_seal();
SELECT credit.audit_digest() AS digest \gset
\echo '-- keep this digest outside the database:' :digest
SELECT ok, rows_checked, blocks_checked, problem FROM credit.audit_verify(:'digest');

\echo
\echo '== 14. Tampering: the log refuses changes, also from its owner...'
\set ON_ERROR_STOP 0
UPDATE credit.audit_log SET new_row = '{}' WHERE log_id = 42;
DELETE FROM credit.audit_log WHERE log_id = 42;
\set ON_ERROR_STOP 1
\echo '-- ...and a superuser who switches the triggers off to rewrite history is caught:'
SET session_replication_role = replica;
UPDATE credit.audit_log SET new_row = jsonb_set(new_row, '{name}', '"某某清白公司"') WHERE log_id = 42;
RESET session_replication_role;
SELECT ok, broken_log_id, broken_block_id, problem FROM credit.audit_verify(:'digest');
