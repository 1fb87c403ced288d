-- test/bench/commitments.sql -- issue 14: credit.commitment_allowed for every
-- subject in one query (credit.commitment_allowed_many) against the same
-- decision written by hand in plain SQL over the same tables and indexes
-- (run by test/bench/run.sh after common.sql).
--
-- psql variables: com_subjects (subjects in credit.subject after loading),
-- com_records (records added), com_violations (commitment violations added).
--
-- Runs on what earlier sections left in credit.subject/credit.record (the
-- repair section's data) or on empty tables: it adds subjects up to
-- com_subjects, then records spread over all of them.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\o /dev/null
SET max_parallel_workers_per_gather = 0;	-- random() must be deterministic
\ir gen_records.sql
SELECT setseed(0.1442);

-- subjects up to com_subjects: organisations, every 12th a person
INSERT INTO credit.subject (subject_id, uscc, rid, name)
SELECT i,
       CASE WHEN i % 12 <> 0 THEN (b17 || credit.uscc_check_char(b17))::credit.uscc END,
       CASE WHEN i % 12 = 0 THEN (p17 || credit.rid_check_char(p17))::credit.rid END,
       'commitment bench ' || i
  FROM (SELECT i, (ARRAY['91', '92', '93'])[1 + i % 3] || '350102' || lpad(i::text, 9, '0') AS b17,
               '350102' || to_char(date '1950-01-01' + (i % 18000)::int, 'YYYYMMDD')
               || lpad(((i / 18000) % 1000)::text, 3, '0') AS p17
          FROM generate_series(coalesce((SELECT max(subject_id) FROM credit.subject), 0) + 1, :com_subjects) i) s
ON CONFLICT DO NOTHING;
SELECT setval('credit.subject_subject_id_seq', greatest(:com_subjects, (SELECT max(subject_id) FROM credit.subject)));

-- records over all subjects (the lists among them), through the publicity trigger
INSERT INTO credit.record (record_id, subject_id, category, severity, excluded_category, authority,
                           decided_on, disclosed_on, corrected_on, ruleset)
SELECT g.record_id + o.off, g.subject_id, g.category, g.severity, g.excluded_category, g.authority,
       g.decided_on, g.disclosed_on, g.corrected_on, g.ruleset
  FROM bench.gen_records(:com_records, :com_subjects) g,
       (SELECT coalesce(max(record_id), 0) AS off FROM credit.record) o;

-- violations of commitments, recorded as credit.commitment_violate does (a
-- record of the kind's violation category and severity), 2024 .. 2026, for
-- com_violations subjects; a tenth of them repaired since
INSERT INTO credit.record (record_id, subject_id, category, severity, authority, decided_on, ruleset)
SELECT o.off + i, 1 + floor(random() * :com_subjects)::bigint, 'commitment_violation',
       CASE WHEN random() < 0.2 THEN 'serious' ELSE 'general' END, '行政审批局',
       date '2024-01-01' + floor(random() * (date '2026-11-01' - date '2024-01-01'))::int, 'national'
  FROM generate_series(1, :com_violations) i, (SELECT max(record_id) AS off FROM credit.record) o;
SELECT setval('credit.record_record_id_seq', (SELECT max(record_id) FROM credit.record));
UPDATE credit.record SET state = 'under_repair'
 WHERE category = 'commitment_violation' AND state = 'published' AND (hashint8(record_id) & 1023) < 102;
UPDATE credit.record SET state = 'repaired', repair_decided_on = least(publicity_min_end + (record_id % 60)::int, date '2026-11-20')
 WHERE category = 'commitment_violation' AND state = 'under_repair' AND publicity_min_end <= date '2026-11-20';
INSERT INTO credit.commitment_matter VALUES ('bench_food_business', '食品经营许可（基准测试）') ON CONFLICT DO NOTHING;
VACUUM (ANALYZE) credit.subject, credit.record;

-- ---------------------------------------------------------------------------
-- what is measured, and the report
-- ---------------------------------------------------------------------------
-- the decision of credit.commitment_allowed, written by hand: the same
-- tables, literal categories, ban and day, the reasons in the same order;
-- first the records that bar on the day
SELECT set_config('bench.com_bars', $c$
                 r.category IN ('judgment_defaulter', 'serious_dishonesty_list', 'commitment_violation')
                   AND r.decided_on <= date '2026-11-20'
                   AND (r.publicity_max_end IS NULL OR date '2026-11-20' < r.publicity_max_end)
                   AND CASE r.state WHEN 'repaired' THEN date '2026-11-20' < r.repair_decided_on
                                    WHEN 'revoked' THEN date '2026-11-20' < r.revoked_on
                                    WHEN 'expired' THEN r.publicity_max_end IS NOT NULL
                                    ELSE true END
                   AND (r.category <> 'commitment_violation' OR date '2026-11-20' < r.decided_on + interval '3 years')
$c$, false);
SELECT set_config('bench.com_plain', replace($q$
SELECT count(*) FILTER (WHERE t.allowed) AS allowed, count(*) FILTER (WHERE 'black_list' = ANY (t.reasons)) AS black,
       count(*) FILTER (WHERE 'violated_commitment' = ANY (t.reasons)) AS violated, sum(cardinality(t.record_ids)) AS ids
FROM (SELECT s.subject_id, cardinality(x.reasons) = 0 AS allowed, x.reasons, coalesce(b.ids, '{}'::bigint[]) AS record_ids
      FROM credit.subject s
      LEFT JOIN (SELECT r.subject_id, array_agg(r.record_id ORDER BY r.record_id) AS ids,
                        bool_or(r.category IN ('judgment_defaulter', 'serious_dishonesty_list')) AS black,
                        bool_or(r.category = 'commitment_violation') AS violated
                 FROM credit.record r
                 WHERE @bars@
                 GROUP BY r.subject_id) b ON b.subject_id = s.subject_id
      CROSS JOIN LATERAL (SELECT array_remove(ARRAY[CASE WHEN b.black THEN 'black_list' END,
                                                    CASE WHEN b.violated THEN 'violated_commitment' END], NULL) AS reasons) x) t
$q$, '@bars@', current_setting('bench.com_bars')), false);
SELECT set_config('bench.com_credit', $q$
SELECT count(*) FILTER (WHERE a.allowed) AS allowed, count(*) FILTER (WHERE 'black_list' = ANY (a.reasons)) AS black,
       count(*) FILTER (WHERE 'violated_commitment' = ANY (a.reasons)) AS violated, sum(cardinality(a.record_ids)) AS ids
FROM credit.commitment_allowed_many(NULL, 'bench_food_business', '2026-11-20') a
$q$, false);

INSERT INTO bench.cases (section, bench, side, ord, sql, must) VALUES
    ('commitments', 'commitment_allowed', 'credit', 1, current_setting('bench.com_credit'), NULL),
    ('commitments', 'commitment_allowed', 'plain', 2, current_setting('bench.com_plain'), NULL),
    ('commitments', 'commitment_allowed_ids', 'credit', 3,
     replace(current_setting('bench.com_credit'), 'commitment_allowed_many(NULL,',
             'commitment_allowed_many(ARRAY(SELECT subject_id FROM credit.subject),'), NULL),
    ('commitments', 'commitment_allowed_ids', 'plain', 4, current_setting('bench.com_plain'), NULL),
    -- one call per subject, as an approval screen asks (10 000 subjects)
    ('commitments', 'commitment_allowed_one', 'credit', 5,
     $q$SELECT count(*) FILTER (WHERE a.allowed) FROM credit.subject s,
            credit.commitment_allowed(s.subject_id, 'bench_food_business', '2026-11-20') a
        WHERE s.subject_id % 100 = 7$q$, NULL),
    ('commitments', 'commitment_allowed_one', 'plain', 6,
     format($q$SELECT count(*) FILTER (WHERE NOT EXISTS (
                   SELECT 1 FROM credit.record r WHERE r.subject_id = s.subject_id AND %s))
               FROM credit.subject s WHERE s.subject_id %% 100 = 7$q$, current_setting('bench.com_bars')), NULL);

-- sanity (and the data line): both sides agree, on every subject, and find
-- subjects of each kind
DO $do$
DECLARE
    c record;
    p record;
    diff bigint;
BEGIN
    EXECUTE current_setting('bench.com_credit') INTO c;
    EXECUTE current_setting('bench.com_plain') INTO p;
    IF c IS DISTINCT FROM p THEN
        RAISE EXCEPTION 'commitments: credit % <> plain %', c, p;
    END IF;
    EXECUTE 'SELECT count(*) FROM credit.commitment_allowed_many(NULL, ''bench_food_business'', ''2026-11-20'') a
             JOIN (SELECT s.subject_id, o.allowed, o.reasons, o.record_ids FROM credit.subject s,
                          credit.commitment_allowed(s.subject_id, ''bench_food_business'', ''2026-11-20'') o
                   WHERE s.subject_id % 997 = 1) o USING (subject_id)
             WHERE (a.allowed, a.reasons, a.record_ids) IS DISTINCT FROM (o.allowed, o.reasons, o.record_ids)' INTO diff;
    IF diff <> 0 OR c.allowed = 0 OR c.allowed = (SELECT count(*) FROM credit.subject) OR c.violated = 0 THEN
        RAISE EXCEPTION 'commitments data: % differ from the single form; allowed %', diff, c.allowed;
    END IF;
    PERFORM set_config('bench.com_counts', format('%s allowed, %s on a black list, %s with a violation in force, %s records named',
                                                  c.allowed, c.black, c.violated, c.ids), false);
END
$do$;

INSERT INTO bench.sections VALUES
    ('commitments', 5, 'Issue 14: commitment_allowed',
     (SELECT format('%s subjects; ', count(*)) FROM credit.subject)
     || bench.describe_records('credit.record')
     || (SELECT format('; %s commitment violations (%s repaired)', count(*), count(*) FILTER (WHERE state = 'repaired'))
           FROM credit.record WHERE category = 'commitment_violation')
     || format('; on 2026-11-20: %s', current_setting('bench.com_counts')));

INSERT INTO bench.report_spec (section, ord, label, bench, side, base, target) VALUES
    ('commitments', 1, format('commitment_allowed_many(NULL) over %s subjects vs the same decision in hand-written SQL', :com_subjects),
     'commitment_allowed', 'credit', 'plain', 1.5),
    ('commitments', 2, 'commitment_allowed_many(ARRAY of every subject_id) vs hand-written SQL',
     'commitment_allowed_ids', 'credit', 'plain', NULL),
    ('commitments', 3, 'commitment_allowed(subject_id) once per subject, 1% of the subjects, vs NOT EXISTS by hand',
     'commitment_allowed_one', 'credit', 'plain', NULL);
