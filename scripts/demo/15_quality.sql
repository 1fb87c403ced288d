-- Part 1b: 重错码 governance over the import, and a legacy pilot code
\echo
\echo '== 1b. 重错码 governance: credit.code_quality() over the import (target: at most 1 per 10 000)'
-- The register as a governance drive finds it: every import line is a
-- subject (the generator reuses a few thousand names, so each line's name
-- gets its number), and a second batch brings what a county clean-up turns
-- up: codes registered again under another name (重码), subjects entered
-- with a second code, three codes from the Fujian pilot.
CREATE TABLE demo.register (code text, name text);
INSERT INTO demo.register SELECT raw_code, name || '·' || line_no FROM demo.import_org;
INSERT INTO demo.register
SELECT raw_code, '厦门某贸易有限公司·' || line_no
  FROM demo.import_org WHERE credit.uscc_is_valid(raw_code) AND line_no % 997 = 0 AND line_no <= 12 * 997
UNION ALL
SELECT b || credit.uscc_check_char(b), name || '·' || line_no
  FROM demo.import_org, LATERAL (SELECT left(credit.try_uscc(raw_code)::text, 12) || lpad(line_no::text, 4, '0') AS b16) x,
       LATERAL (SELECT b16 || demo.org_check(substr(b16, 9, 8)) AS b) y
 WHERE credit.uscc_is_valid(raw_code) AND line_no % 991 = 0 AND line_no <= 8 * 991
UNION ALL
VALUES ('91350203M0001QKT19', '厦门某贸易有限公司'), ('91350211M0000XUF46', '厦门云上晴空航空科技有限公司'),
       ('91350203M0001FUE2P', '厦门黑脉网络科技有限公司');

\x on
SELECT * FROM credit.code_quality('demo.register', 'code', 'name');
\x off

\echo
\echo '-- the correction list (credit.code_quality_detail): rows per problem, and some of them'
SELECT problem, count(*) AS rows FROM credit.code_quality_detail('demo.register', 'code', 'name') GROUP BY 1 ORDER BY 2 DESC;
(SELECT * FROM credit.code_quality_detail('demo.register', 'code', 'name') WHERE problem = 'duplicate_code' ORDER BY code, name LIMIT 4)
UNION ALL
(SELECT * FROM credit.code_quality_detail('demo.register', 'code', 'name') WHERE problem = 'several_codes' ORDER BY name, code LIMIT 4)
UNION ALL
(SELECT * FROM credit.code_quality_detail('demo.register', 'code', 'name') WHERE problem = 'legacy_check_char' ORDER BY code LIMIT 3);

\echo
\echo '-- a pilot code is refused as ordinary input, stored on purpose with credit.uscc_legacy(), and flagged'
\set ON_ERROR_STOP 0
SELECT '91350203M0001QKT19'::credit.uscc;
\set ON_ERROR_STOP 1
INSERT INTO demo.organisation (code, name) VALUES (credit.uscc_legacy('91350203M0001QKT19'), '厦门某贸易有限公司');
SELECT code, code::text AS as_text, credit.uscc_is_legacy(code) AS legacy, (credit.uscc_info(code)).province_name
  FROM demo.organisation WHERE credit.uscc_is_legacy(code);
