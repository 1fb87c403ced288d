-- Part 1: the identifier types on an import
\echo
\echo '== 1. Importing: credit.try_uscc() keeps every row; bad ones are kept aside with reasons'
CREATE TABLE demo.organisation (
    org_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code    credit.uscc NOT NULL UNIQUE,
    name    text NOT NULL
);
CREATE TABLE demo.import_rejected (line_no int PRIMARY KEY, raw_code text, name text, problems text[]);

INSERT INTO demo.organisation (code, name)
SELECT DISTINCT ON (credit.try_uscc(raw_code)) credit.try_uscc(raw_code), name
FROM demo.import_org WHERE credit.try_uscc(raw_code) IS NOT NULL
ORDER BY credit.try_uscc(raw_code), line_no;
INSERT INTO demo.import_rejected
SELECT line_no, raw_code, name, credit.uscc_problems(raw_code)
FROM demo.import_org WHERE credit.try_uscc(raw_code) IS NULL;

SELECT (SELECT count(*) FROM demo.import_org) AS lines_received,
       (SELECT count(*) FROM demo.organisation) AS organisations_loaded,
       (SELECT count(*) FROM demo.import_rejected) AS kept_aside,
       (SELECT count(*) FROM demo.import_org) - (SELECT count(*) FROM demo.organisation)
         - (SELECT count(*) FROM demo.import_rejected) AS duplicates_merged;

\echo
\echo '-- messy input, as typed, and what the type stored'
SELECT i.raw_code AS as_typed, credit.try_uscc(i.raw_code) AS stored
FROM demo.import_org i
WHERE i.raw_code !~ '^[0-9A-Z]{18}$' AND credit.uscc_is_valid(i.raw_code)
ORDER BY i.line_no LIMIT 4;

\echo
\echo '-- why rows were kept aside (stable problem codes for the clerk''s work list)'
SELECT coalesce(array_to_string(problems, ','), '(no code given)') AS problems, count(*) AS rows
FROM demo.import_rejected GROUP BY 1 ORDER BY 2 DESC;

\echo
\echo '-- the exact error a clerk sees when typing one of them'
\set VERBOSITY default
\set ON_ERROR_STOP 0
SELECT raw_code AS rejected_example FROM demo.import_rejected WHERE problems = '{check_char}' ORDER BY line_no LIMIT 1 \gset
SELECT :'rejected_example'::credit.uscc;
SELECT raw_code AS rejected_example FROM demo.import_rejected WHERE problems = '{character}' ORDER BY line_no LIMIT 1 \gset
SELECT :'rejected_example'::credit.uscc;
SELECT raw_code AS rejected_example FROM demo.import_rejected WHERE raw_code LIKE E'\u200B%' ORDER BY line_no LIMIT 1 \gset
SELECT :'rejected_example'::credit.uscc;
\set ON_ERROR_STOP 1

\echo
\echo '== 2. What a code says: credit.uscc_info() by province and kind of organisation'
SELECT i.province_name AS province, count(*) AS organisations,
       count(*) FILTER (WHERE i.category_name = '企业') AS enterprises,
       count(*) FILTER (WHERE i.category_name = '个体工商户') AS individual_businesses,
       count(*) FILTER (WHERE i.department <> '9') AS non_market
FROM demo.organisation o, credit.uscc_info(o.code) i
GROUP BY 1 ORDER BY 2 DESC LIMIT 8;

\echo
\echo '== 3. Resident ID numbers: validated, masked for display'
CREATE TABLE demo.person (id credit.rid PRIMARY KEY, name text NOT NULL);
INSERT INTO demo.person SELECT credit.try_rid(raw_id), name FROM demo.import_person
WHERE credit.try_rid(raw_id) IS NOT NULL ON CONFLICT DO NOTHING;
SELECT (SELECT count(*) FROM demo.import_person) AS received,
       (SELECT count(*) FROM demo.person) AS loaded,
       (SELECT count(*) FROM demo.import_person WHERE NOT credit.rid_is_valid(raw_id)) AS bad_check_digit;
SELECT name, credit.mask(id) AS id_masked, credit.rid_sex(id) AS sex,
       date_part('year', age(DATE '2026-11-21', credit.rid_birth_date(id)))::int AS age
FROM demo.person ORDER BY credit.rid_hash(id) LIMIT 5;

\echo
\echo '-- storage: 10 bytes per USCC, 8 per ID number'
SELECT pg_size_pretty(pg_relation_size('demo.organisation_code_key')) AS uscc_index,
       pg_size_pretty(pg_relation_size('demo.person_pkey')) AS rid_index;
