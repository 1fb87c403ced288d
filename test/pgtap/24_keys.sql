-- pgTAP: the distribution-ready keys (SPEC §0, §10).  Every table of
-- per-subject data leads its primary key with subject_id; a record is
-- referred to by (subject_id, record_id), so the repair tables, objections
-- and commitments carry the subject of their record (filled when the writer
-- gives only the record, refused when it names another subject's record);
-- record_id alone stays unique on one node.
\set ON_ERROR_STOP 1
BEGIN;
SELECT * FROM no_plan();
SET datestyle = ISO;
SET LOCAL credit.calendar_coverage = 'ignore';

-- ============================================================ the catalogue
-- tables with a subject_id column, and the first column of their primary key
CREATE TEMP VIEW keyed AS
SELECT c.relname::text AS tbl,
       (SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = c.oid AND i.indisprimary) AS first_key
FROM pg_class c
WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind IN ('r', 'p')
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'subject_id' AND NOT a.attisdropped)
  -- the codes' lookups are keyed by the code: on a cluster they are distributed by it
  AND c.relname NOT IN ('uscc_subject', 'rid_subject');
SELECT is(ARRAY(SELECT c::text FROM credit.data_tables() c ORDER BY 1),
          ARRAY(SELECT 'credit.' || tbl FROM keyed ORDER BY 1),
          'credit.data_tables() lists the per-subject tables credit.distribute distributes by subject_id');
SELECT cmp_ok((SELECT count(*) FROM keyed), '>=', 10::bigint, 'the per-subject tables are found in the catalogue');
-- classification and indicator_value lead with the month (classify_period
-- replaces a month through that key); Citus needs the distribution column
-- in the key, which they have
SELECT is(ARRAY(SELECT tbl FROM keyed WHERE first_key IS DISTINCT FROM 'subject_id' ORDER BY tbl),
          '{classification,indicator_value}',
          'every other per-subject table leads its primary key with subject_id');
SELECT is(ARRAY(SELECT tbl FROM keyed k
                WHERE NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                                  WHERE i.indrelid = ('credit.' || k.tbl)::regclass AND i.indisprimary AND a.attname = 'subject_id')
                ORDER BY tbl),
          '{}', '... and every one has subject_id in its primary key');
SELECT is((SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
           CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
           WHERE i.indexrelid = 'credit.record_pkey'::regclass),
          '{subject_id,record_id}', 'credit.record''s key is (subject_id, record_id)');
SELECT is(ARRAY(SELECT conrelid::regclass::text || ':' || conname FROM pg_constraint
                WHERE contype = 'f' AND confrelid = 'credit.record'::regclass ORDER BY 1),
          '{credit.commitment:commitment_record_id_fkey,credit.commitment:commitment_violation_record_id_fkey,credit.objection:objection_record_fkey,credit.repair_application:repair_application_record_fkey,credit.repair_evidence:repair_evidence_record_fkey}',
          'the tables that refer to a record');
SELECT is(ARRAY(SELECT DISTINCT array_length(conkey, 1) FROM pg_constraint
                WHERE contype = 'f' AND confrelid IN ('credit.record'::regclass, 'credit.repair_application'::regclass)),
          '{2}', '... all by (subject_id, the record or application)');

-- ============================================================ behaviour
CREATE FUNCTION pg_temp.code(n int) RETURNS credit.uscc LANGUAGE sql AS $$
    SELECT (b || credit.uscc_check_char(b))::credit.uscc
    FROM (SELECT '913502' || lpad((n % 100)::text, 2, '0') || 'MK' || lpad(n::text, 7, '0') AS b) s $$;
INSERT INTO credit.subject (subject_id, uscc, name) VALUES
    (9801, pg_temp.code(1), '键测试甲公司'), (9802, pg_temp.code(2), '键测试乙公司');
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, ruleset, corrected_on) VALUES
    (98011, 9801, 'administrative_penalty', 'general', '厦门市市场监督管理局', '2025-01-10', 'national-2019', '2025-01-20'),
    (98021, 9802, 'administrative_penalty', 'general', '厦门市市场监督管理局', '2025-01-10', 'national-2019', '2025-01-20');

INSERT INTO credit.repair_evidence (record_id, kind, provided_on) VALUES (98011, 'commitment', '2025-06-01');
SELECT is((SELECT subject_id FROM credit.repair_evidence WHERE record_id = 98011), 9801::bigint,
          'evidence given with the record only gets the record''s subject');
INSERT INTO credit.objection (record_id, raised_on, raised_by, reason) VALUES (98021, '2025-06-01', '乙公司', '处罚主体有误');
SELECT is((SELECT subject_id FROM credit.objection WHERE record_id = 98021), 9802::bigint,
          'an objection gets its record''s subject');
SELECT lives_ok($$INSERT INTO credit.repair_evidence (subject_id, record_id, kind, provided_on) VALUES (9801, 98011, 'interview', '2025-06-02')$$,
                'the subject may be given with the record (as on a cluster, where it routes the row)');
SELECT throws_ok($$INSERT INTO credit.repair_evidence (subject_id, record_id, kind, provided_on) VALUES (9802, 98011, 'interview', '2025-06-02')$$,
                 '23503', NULL, 'another subject''s record is refused (foreign key on (subject_id, record_id))');
SELECT throws_ok($$INSERT INTO credit.objection (subject_id, record_id, raised_on, raised_by, reason) VALUES (9801, 98021, '2025-06-01', 'x', 'y')$$,
                 '23503', NULL, '... for objections too');
SELECT throws_ok($$INSERT INTO credit.repair_evidence (record_id, kind, provided_on) VALUES (99999999, 'interview', '2025-06-02')$$,
                 '23502', NULL, 'an unknown record leaves no subject: refused (not null)');
SELECT throws_ok($$INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, ruleset)
                   VALUES (98011, 9802, 'administrative_penalty', 'general', '厦门市市场监督管理局', '2025-01-10', 'national-2019')$$,
                 '23505', NULL, 'record_id alone stays unique on one node (record_id_key)');
SELECT throws_ok($$INSERT INTO credit.objection (subject_id, record_id, application_id, raised_on, raised_by, reason)
                   VALUES (9802, 98021, 1, '2025-06-01', 'x', 'y')$$,
                 '23503', NULL, 'an objection to an application of another subject (or none) is refused');
SELECT throws_ok($$INSERT INTO credit.commitment (subject_id, kind, authority, content, signed_on, record_id)
                   VALUES (9802, 'repair', '厦门市市场监督管理局', '按期整改', '2025-06-01', 98011)$$,
                 '23503', NULL, 'a repair commitment for another subject''s record is refused');
UPDATE credit.repair_evidence SET record_id = 98021 WHERE record_id = 98011 AND kind = 'commitment';
SELECT is((SELECT subject_id FROM credit.repair_evidence WHERE record_id = 98021), 9802::bigint,
          'evidence moved to another record follows its subject');
SELECT is((SELECT array_agg(evidence_count ORDER BY record_id) FROM credit.record WHERE record_id IN (98011, 98021)), '{1,1}',
          '... and both records'' evidence counts follow');

SELECT * FROM finish();
ROLLBACK;
