-- The closing summary: one screen
\echo
\echo '================================ credit demo: summary ================================'
\pset border 0
\pset tuples_only on
SELECT format('%-44s %s', 'identifier types', format('%s organisations and %s persons loaded from %s import lines; %s lines kept aside with reasons',
              (SELECT count(*) FROM demo.organisation), (SELECT count(*) FROM demo.person),
              (SELECT count(*) FROM demo.import_org) + (SELECT count(*) FROM demo.import_person),
              (SELECT count(*) FROM demo.import_rejected)))
-- (the label has 3 double-width characters: 41 + 3 columns)
UNION ALL SELECT format('%-41s %s', 'code quality (重错码)', format('%s per 10 000 in the import register (target: at most 1); %s legacy pilot code(s) stored',
              (SELECT error_rate_per_10000 FROM credit.code_quality('demo.register', 'code', 'name')),
              (SELECT count(*) FROM demo.organisation WHERE credit.uscc_is_legacy(code))))
UNION ALL SELECT format('%-44s %s', 'records (credit.record)', format('%s in all: %s shown today in credit.public_record, %s expired, %s repaired',
              (SELECT count(*) FROM credit.record), (SELECT count(*) FROM credit.public_record),
              (SELECT count(*) FROM credit.record WHERE state = 'expired'),
              (SELECT count(*) FROM credit.record WHERE state = 'repaired')))
UNION ALL SELECT format('%-44s %s', 'credit repair', format('%s records may be repaired today (credit.repair_candidate)',
              (SELECT count(*) FROM credit.repair_candidate)))
UNION ALL SELECT format('%-44s %s', 'classification, October 2026', format('{A,B,C,D} = %s',
              (SELECT credit.class_counts(class) FROM credit.classification WHERE period = '2026-10-01')))
UNION ALL SELECT format('%-44s %s', 'audit log', format('%s rows in %s sealed block(s); verify now: %s',
              (SELECT count(*) FROM credit.audit_log), (SELECT count(*) FROM credit.audit_block),
              (SELECT CASE WHEN ok THEN 'ok' ELSE 'BROKEN at log row ' || broken_log_id || ' (' || problem || '), as expected after the tampering above' END
               FROM credit.audit_verify())));
\echo
\echo 'Try it yourself: README.md has a tour of every function.  `make test` runs all the suites.'
\echo '====================================================================================='
