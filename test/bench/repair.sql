-- test/bench/repair.sql -- issues 4 and 17: repair eligibility of every
-- record of credit.record, set-based (repair_eligibility_many) and per record
-- (repair_eligibility), against the plain join of the records with their
-- rules (run by test/bench/run.sh after common.sql).
--
-- psql variables: rep_records (records), rep_subjects (subjects).
--
-- The data goes into the extension's own tables through their triggers and
-- constraints, so it needs an empty credit.record (a fresh cluster).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\o /dev/null
SET max_parallel_workers_per_gather = 0;	-- random() must be deterministic
\ir gen_records.sql

DO $do$
BEGIN
    IF EXISTS (SELECT 1 FROM credit.record) OR EXISTS (SELECT 1 FROM credit.subject) THEN
        RAISE EXCEPTION 'the repair benchmark needs empty credit.subject and credit.record (a throwaway cluster)';
    END IF;
END
$do$;

SELECT setseed(0.2019);

-- subjects: mostly organisations (91/92/93 codes in a few regions, Dandong
-- among them), every 12th a natural person; the trigger fills the region
INSERT INTO credit.subject (subject_id, uscc, rid, name)
SELECT i,
       CASE WHEN i % 12 <> 0 THEN (b17 || credit.uscc_check_char(b17))::credit.uscc END,
       CASE WHEN i % 12 = 0 THEN (p17 || credit.rid_check_char(p17))::credit.rid END,
       CASE WHEN i % 12 <> 0 THEN 'bench enterprise ' || i ELSE 'bench person ' || i END
  FROM (SELECT i,
               (ARRAY['91', '91', '91', '92', '92', '93'])[1 + i % 6]
               || region || lpad(i::text, 9, '0') AS b17,
               region || to_char(date '1950-01-01' + (i % 18000)::int, 'YYYYMMDD')
               || lpad(((i / 18000) % 1000)::text, 3, '0') AS p17
          FROM (SELECT i, (ARRAY['210602', '210603', '210604', '110105', '310115', '440305',
                                 '330106', '370202', '510107', '210102'])[1 + floor(random() * 10)::int] AS region
                  FROM generate_series(1, :rep_subjects) i
                OFFSET 0) r) s;
SELECT setval('credit.subject_subject_id_seq', :rep_subjects);

-- records, through the publicity trigger and the foreign keys
INSERT INTO credit.record (record_id, subject_id, category, severity, excluded_category, authority,
                           decided_on, disclosed_on, corrected_on, ruleset)
SELECT * FROM bench.gen_records(:rep_records, :rep_subjects);
SELECT setval('credit.record_record_id_seq', :rep_records);

-- evidence for ~60% of the Dandong and national-2019 records whose rule
-- asks for some, each required piece present with 85% probability
INSERT INTO credit.repair_evidence (record_id, kind, provided_on, training_hours, reference)
SELECT r.record_id, k.kind,
       least(r.decided_on + 30 + floor(random() * 200)::int, current_date),
       CASE WHEN k.kind = 'training' THEN 1 + floor(random() * 6) END,
       'BENCH-' || r.record_id || '-' || k.kind
  FROM credit.record r
  JOIN credit.publicity_rule p USING (ruleset, category, severity)
 CROSS JOIN LATERAL (VALUES ('commitment', p.requires_commitment),
                            ('interview', p.requires_interview),
                            ('training', p.min_training_hours IS NOT NULL),
                            ('credit_report', p.requires_credit_report)) k(kind, needed)
 WHERE r.ruleset IN ('dandong', 'national-2019')
   AND k.needed
   AND (hashint8(r.record_id) & 1023) < 614
   AND random() < 0.85
 ORDER BY r.record_id, k.kind;

-- objections against ~0.2% of the records, a third of them still open
INSERT INTO credit.objection (record_id, raised_on, raised_by, reason, state, resolved_on)
SELECT record_id, raised,
       'bench subject ' || subject_id, '认定事实有误',
       st, CASE WHEN st <> 'open' THEN least(raised + 10 + (record_id % 30)::int, current_date) END
  FROM (SELECT r.record_id, r.subject_id,
               least(coalesce(r.disclosed_on, r.decided_on) + 5 + (r.record_id % 50)::int, current_date) AS raised,
               (ARRAY['open', 'upheld', 'dismissed'])[1 + (r.record_id % 3)::int] AS st
          FROM credit.record r
         WHERE (hashint8(r.record_id + 7) & 1023) < 2
         ORDER BY r.record_id) o;

-- repairs: ~4% of the published records past their minimum period go
-- under repair, three quarters of those are repaired (published ->
-- under_repair -> repaired, as the state guard allows)
UPDATE credit.record SET state = 'under_repair'
 WHERE state = 'published' AND publicity_min_end <= current_date
   AND (hashint8(record_id + 13) & 1023) < 41;
UPDATE credit.record
   SET state = 'repaired',
       repair_decided_on = least(publicity_min_end + (record_id % 60)::int, current_date)
 WHERE state = 'under_repair'
   AND (hashint8(record_id + 13) & 1023) < 31;

VACUUM (ANALYZE) credit.subject, credit.record, credit.repair_evidence, credit.objection;

-- ---------------------------------------------------------------------------
-- what is measured, and the report
-- ---------------------------------------------------------------------------
-- (the plain side of both: every record joined with its rule and ruleset)
INSERT INTO bench.cases (section, bench, side, ord, sql, must)
SELECT 'repair', c.bench, c.side, c.ord, q.sql, c.must FROM (VALUES
    ('repair_eligibility_many', 'credit', 1,
     'SELECT count(*) FILTER (WHERE eligible) FROM credit.repair_eligibility_many(NULL)',
     '{"Function Scan"}'::text[]),
    ('repair_eligibility_many', 'plain', 2, NULL, '{"Hash Join"}'),
    ('repair_eligibility', 'credit', 3,
     'SELECT count(*) FILTER (WHERE (credit.repair_eligibility(record_id)).eligible) FROM credit.record',
     '{Aggregate}'),			-- over a Seq Scan or an Index Only Scan of record_id_key
    ('repair_eligibility', 'plain', 4, NULL, '{"Hash Join"}')
) c(bench, side, ord, sql, must)
CROSS JOIN LATERAL (SELECT coalesce(c.sql,
     'SELECT count(*) FROM credit.record r '
     'JOIN credit.publicity_rule p ON (p.ruleset, p.category, p.severity) = (r.ruleset, r.category, r.severity) '
     'JOIN credit.ruleset rs ON rs.ruleset = r.ruleset') AS sql) q;

-- sanity (and the data line): the measured query finds eligible records and
-- ineligible ones; the plain join counts every record
DO $do$
DECLARE
    n bigint;
    eligible bigint;
    eligible_many bigint;
    joined bigint;
    differ bigint;
BEGIN
    SELECT count(*) INTO n FROM credit.record;
    EXECUTE (SELECT sql FROM bench.cases WHERE bench = 'repair_eligibility' AND side = 'credit') INTO eligible;
    EXECUTE (SELECT sql FROM bench.cases WHERE bench = 'repair_eligibility_many' AND side = 'credit') INTO eligible_many;
    EXECUTE (SELECT sql FROM bench.cases WHERE bench = 'repair_eligibility' AND side = 'plain') INTO joined;
    -- the set-based form gives every record the single form's answer
    SELECT count(*) INTO differ
      FROM credit.repair_eligibility_many(NULL) m, credit.repair_eligibility(m.record_id) o
     WHERE (m.eligible, m.earliest_on, m.reasons) IS DISTINCT FROM (o.eligible, o.earliest_on, o.reasons);
    IF eligible = 0 OR eligible = n OR joined <> n OR eligible_many <> eligible OR differ <> 0 THEN
        RAISE EXCEPTION 'repair data: % records, % eligible (% set-based, % answers differ), % joined with their rules',
            n, eligible, eligible_many, differ, joined;
    END IF;
    PERFORM set_config('bench.eligible', eligible::text, false);
END
$do$;

INSERT INTO bench.sections VALUES
    ('repair', 3, 'Issues 4 and 17: repair eligibility',
     (SELECT format('%s subjects (%s organisations, %s persons); ', count(*), count(uscc), count(rid)) FROM credit.subject)
     || bench.describe_records('credit.record')
     || (SELECT format('; states %s', string_agg(format('%s %s', state, c), ', ' ORDER BY c DESC))
           FROM (SELECT state, count(*) AS c FROM credit.record GROUP BY 1) s)
     || (SELECT format('; %s evidence rows for %s records', count(*), count(DISTINCT record_id)) FROM credit.repair_evidence)
     || (SELECT format('; %s objections (%s open)', count(*), count(*) FILTER (WHERE state = 'open')) FROM credit.objection)
     || format('; %s records eligible for repair on %s', current_setting('bench.eligible'), current_date));

INSERT INTO bench.report_spec (section, ord, label, bench, side, base, target) VALUES
    ('repair', 1, format('eligibility of %s records, set-based: repair_eligibility_many(NULL) vs join with the rules', :rep_records),
     'repair_eligibility_many', 'credit', 'plain', 3.0),
    ('repair', 2, 'the same per record: repair_eligibility(record_id) vs join with the rules',
     'repair_eligibility', 'credit', 'plain', NULL);
