-- test/bench/scale_data.sql -- the data of one size of the growth bench
-- (test/bench/scale.sh): :records records of :subjects subjects, loaded
-- with the triggers off (session_replication_role = replica) and the
-- columns the triggers keep computed in bulk, as sanctions.sh does, so 10^7
-- records load in minutes; nothing is audited.
--
--   bench.stage         the records as an application inserts them (the
--                       generator of records.sql and repair.sql), for the
--                       insert through the publicity trigger
--   credit.subject      80 % organisations, 20 % persons, over 31 provinces
--   credit.record       the staged records with their rulesets (the default
--                       by decision date where none is given), publicity
--                       windows (credit.publicity_window), repair states
--                       (4 % of the records past their minimum period under
--                       repair, three quarters of those repaired), evidence,
--                       repair commitments and objection counts
--   credit.repair_evidence, credit.commitment (repair), credit.objection
--   credit.indicator_value   5 indicators a subject for this month

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\o /dev/null
SET max_parallel_workers_per_gather = 0;	-- random() must be deterministic
SET maintenance_work_mem = '1GB';
CREATE EXTENSION IF NOT EXISTS credit;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
\ir gen_records.sql

SELECT setseed(0.17);
CREATE TABLE bench.stage AS SELECT * FROM bench.gen_records(:records, :subjects);

-- the evidence kinds a record has on file: ~60 % of the records whose rule
-- asks for some, each piece with 85 % probability (as repair.sql), from a
-- hash of the record id, so the counts on the records agree with the rows
CREATE FUNCTION bench.evidence_of(id bigint, rs text, commitment boolean, interview boolean,
                                  training boolean, credit_report boolean) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN rs IN ('dandong', 'national-2019') AND (hashint8(id) & 1023) < 614
                THEN array_remove(ARRAY[
                         CASE WHEN commitment AND (hashint8(id + 1) & 1023) < 870 THEN 'commitment' END,
                         CASE WHEN interview AND (hashint8(id + 2) & 1023) < 870 THEN 'interview' END,
                         CASE WHEN training AND (hashint8(id + 3) & 1023) < 870 THEN 'training' END,
                         CASE WHEN credit_report AND (hashint8(id + 4) & 1023) < 870 THEN 'credit_report' END], NULL)
                ELSE '{}' END
$$;
-- a public repair commitment for ~30 % of the national records that need one
CREATE FUNCTION bench.repair_commitment(id bigint, rs text, commitment boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT rs = 'national' AND commitment AND (hashint8(id + 5) & 1023) < 307 $$;

SET session_replication_role = replica;

-- subjects: organisations by code, persons by ID number, in 31 provinces
INSERT INTO credit.subject (subject_id, uscc, rid, name, region, registered_by)
SELECT i,
       CASE WHEN i % 5 <> 0 THEN (b17 || credit.uscc_check_char(b17))::credit.uscc END,
       CASE WHEN i % 5 = 0 THEN (p17 || credit.rid_check_char(p17))::credit.rid END,
       CASE WHEN i % 5 <> 0 THEN '企业' || i ELSE '自然人' || i END,
       region, '市场监督管理局'
FROM (SELECT i, region, '91' || region || lpad((i % 1000000000)::text, 9, '0') AS b17,
             region || to_char(DATE '1950-01-01' + (i / 1000 % 18000)::int, 'YYYYMMDD') || lpad((i % 1000)::text, 3, '0') AS p17
      FROM (SELECT i, (ARRAY['11','12','13','14','15','21','22','23','31','32','33','34','35','36','37','41',
                             '42','43','44','45','46','50','51','52','53','54','61','62','63','64','65'])[1 + i % 31] || '0100' AS region
            FROM generate_series(1, :subjects) i) r) s;
SELECT setval('credit.subject_subject_id_seq', :subjects);

-- records, with what the triggers would have filled
INSERT INTO credit.record (record_id, subject_id, category, severity, excluded_category, authority, decided_on,
                           disclosed_on, corrected_on, ruleset, state, publicity_starts, publicity_min_end,
                           publicity_max_end, repair_decided_on, under_verification, objection_count, evidence_count)
SELECT g.record_id, g.subject_id, g.category, g.severity, g.excluded_category, g.authority, g.decided_on,
       coalesce(g.disclosed_on, g.decided_on), g.corrected_on, g.rs,
       CASE WHEN NOT g.fix THEN 'published' WHEN (hashint8(g.record_id + 13) & 1023) < 31 THEN 'repaired' ELSE 'under_repair' END,
       (g.w).starts, (g.w).min_end, (g.w).max_end,
       CASE WHEN g.fix AND (hashint8(g.record_id + 13) & 1023) < 31
            THEN least((g.w).min_end + (g.record_id % 60)::int, current_date) END,
       g.objected AND g.record_id % 3 = 0, g.objected::int,
       cardinality(bench.evidence_of(g.record_id, g.rs, p.requires_commitment, p.requires_interview,
                                     p.min_training_hours IS NOT NULL, p.requires_credit_report))
       + bench.repair_commitment(g.record_id, g.rs, p.requires_commitment)::int
FROM (SELECT g.*, rs, w,
             coalesce((w).published AND (w).min_end <= current_date, false)
             AND (hashint8(g.record_id + 13) & 1023) < 41 AS fix,
             (hashint8(g.record_id + 7) & 1023) < 2 AS objected
      FROM bench.stage g,
           LATERAL (SELECT coalesce(g.ruleset, CASE WHEN g.decided_on >= DATE '2026-04-01' THEN 'national'
                                                    ELSE 'national-2019' END) AS rs) r,
           LATERAL (SELECT credit.publicity_window(g.category, g.severity, g.decided_on, g.disclosed_on, r.rs) AS w) x) g
JOIN credit.publicity_rule p ON (p.ruleset, p.category, p.severity) = (g.rs, g.category, g.severity);
SELECT setval('credit.record_record_id_seq', :records);

-- (the triggers are off: subject_id given, as the fill trigger would)
INSERT INTO credit.repair_evidence (subject_id, record_id, kind, provided_on, training_hours, reference)
SELECT r.subject_id, r.record_id, k, least(r.decided_on + 30 + (r.record_id % 200)::int, current_date),
       CASE WHEN k = 'training' THEN 1 + r.record_id % 6 END, 'BENCH-' || r.record_id
FROM credit.record r
JOIN credit.publicity_rule p USING (ruleset, category, severity),
     unnest(bench.evidence_of(r.record_id, r.ruleset, p.requires_commitment, p.requires_interview,
                              p.min_training_hours IS NOT NULL, p.requires_credit_report)) k
WHERE r.evidence_count > 0;
INSERT INTO credit.commitment (subject_id, kind, authority, content, signed_on, record_id, public)
SELECT r.subject_id, 'repair', r.authority, '信用修复承诺', least(r.decided_on + 20 + (r.record_id % 90)::int, current_date),
       r.record_id, true
FROM credit.record r JOIN credit.publicity_rule p USING (ruleset, category, severity)
WHERE r.evidence_count > 0 AND bench.repair_commitment(r.record_id, r.ruleset, p.requires_commitment);
INSERT INTO credit.objection (subject_id, record_id, raised_on, raised_by, reason, state, resolved_on)
SELECT subject_id, record_id, least(disclosed_on + 5, current_date), '申请人', '认定事实有误',
       CASE WHEN under_verification THEN 'open' ELSE 'dismissed' END,
       CASE WHEN NOT under_verification THEN least(disclosed_on + 25, current_date) END
FROM credit.record WHERE objection_count > 0;

INSERT INTO credit.indicator_value (period, subject_id, indicator, score)
SELECT date_trunc('month', current_date)::date, s, i.indicator, 40 + (s * 7 + length(i.indicator) * 13) % 61
FROM generate_series(1, :subjects) s, credit.risk_indicator i WHERE i.model = 'default';

RESET session_replication_role;
VACUUM ANALYZE;
