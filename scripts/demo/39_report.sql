-- Part: the credit report (信用报告) a bank or an approving authority asks for
\echo
\echo '== Credit report: everything public on record for one subject, in one call, with a digest'
-- the organisation of the generated data with the most public records (a full page)
SELECT s.subject_id AS report_subject
FROM credit.public_record p JOIN credit.subject s USING (subject_id)
WHERE s.uscc IS NOT NULL
GROUP BY s.subject_id ORDER BY count(*) DESC, s.subject_id LIMIT 1 \gset
\pset format unaligned
\pset tuples_only on
SELECT credit.credit_report_text(:report_subject);
\pset format aligned
\pset tuples_only off
\echo '-- the report as JSON is what a bank keeps; verify_report() proves it was not edited:'
CREATE TEMP TABLE the_report AS SELECT credit.credit_report(:report_subject) AS r;
SELECT r->>'report_no' AS report_no, credit.verify_report(r) AS as_made,
       credit.verify_report(jsonb_set(r, '{records,0,severity}', '"minor"')) AS after_editing_a_severity
FROM the_report;
\echo '-- 恒达, repaired in the previous part: the report says only that and when (令第36号):'
SELECT r->'records' AS records, r->'repairs' AS repairs, jsonb_array_length(r->'measures') AS measures
FROM (SELECT credit.credit_report(subject_id) AS r FROM credit.subject WHERE name = '恒达建设工程有限公司') x;
