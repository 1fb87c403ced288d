--
-- credit.code_quality and credit.code_quality_detail: 重错码 reports over
-- any table or view of codes (exact results and errors)
--
CREATE EXTENSION IF NOT EXISTS credit;
\set SHOW_CONTEXT never

-- a small register with one of every fault
CREATE TABLE reg (id int, code text, name text);
INSERT INTO reg VALUES
    (1,  '91350100M000100Y43', '厦门甲公司'),
    (2,  '９１３５０１００Ｍ０００１００Ｙ４３', '厦门甲公司 '),        -- the same code and name, full width
    (3,  '91350100M000100Y43', '厦门乙公司'),                         -- 重码: a second name
    (4,  '91110000100010433L', '中国石油天然气集团有限公司'),
    (5,  '9111 0000-1000 1043 3l', '中国石油天然气集团有限公司'),      -- spaces, hyphens, lower case
    (6,  '91350203M0001QKT19', '厦门某贸易有限公司'),                 -- a legacy pilot code
    (7,  '91350211M0000XUF46', '中国石油天然气集团有限公司'),         -- a second (legacy) code of one name
    (8,  '91350100M000100Y44', '丙公司'),                              -- Fujian, check only: legacy_check_char
    (9,  '91110000100010433X', '丁公司'),                              -- check_char
    (10, '9135010', '戊公司'),                                         -- length
    (11, '91350100M000100YO3', '己公司'),                              -- character (and check)
    (12, '913501A0M000100Y43', '庚公司'),                              -- region_digits
    (13, NULL, '辛公司'),                                              -- missing
    (14, '   ', '壬公司'),                                             -- blank: missing
    (15, '94350100MA0000001E', '癸公司'),                              -- strict: category, org_code_check
    (16, '91350100M000100Y43(legacy)', '子公司'),                      -- marker on a right check character
    (17, '91440300MA5G2L3N64', NULL),                                  -- no name
    (18, '91440300MA5G2L3N64', '  ');                                  -- blank name
SELECT * FROM credit.code_quality('reg', 'code', 'name');
SELECT * FROM credit.code_quality_detail('reg', 'code', 'name') ORDER BY problem, code COLLATE "C", name COLLATE "C";
-- without names every row is a holder of its own
SELECT total, valid, invalid, legacy, duplicate_codes, duplicate_rows, names_with_several_codes, error_rate_per_10000
FROM credit.code_quality('reg', 'code');
SELECT * FROM credit.code_quality_detail('reg', 'code') WHERE problem = 'duplicate_code' ORDER BY code COLLATE "C";

-- a credit.uscc column (legacy values stored on purpose), a varchar name,
-- through a view, with schema and quoting
CREATE SCHEMA "Registry";
CREATE TABLE "Registry"."Subjects" ("Code" credit.uscc, "Name" varchar(40));
INSERT INTO "Registry"."Subjects" VALUES
    ('91350100M000100Y43', 'a'), ('91350100M000100Y43', 'b'), (credit.uscc_legacy('91350211M0000XUF46'), 'c'),
    (credit.try_uscc('94350100MA0000001E'), 'd'), (NULL, 'e');
SELECT * FROM credit.code_quality('"Registry"."Subjects"', 'Code', 'Name');
SELECT * FROM credit.code_quality_detail('"Registry"."Subjects"', 'Code', 'Name') ORDER BY problem, code COLLATE "C", name;
CREATE VIEW reg_view AS SELECT code::char(30) AS c, name FROM reg WHERE id <= 5;
SELECT total, valid, duplicate_codes, duplicate_rows FROM credit.code_quality('reg_view', 'c', 'name');

-- an empty source: no rate
CREATE TABLE empty_reg (code text);
SELECT * FROM credit.code_quality('empty_reg', 'code');

-- bad input: clear errors
SELECT * FROM credit.code_quality('no_such_table', 'code');
SELECT * FROM credit.code_quality('reg', 'cod');
SELECT * FROM credit.code_quality('reg', 'code', 'nmae');
SELECT * FROM credit.code_quality('reg', 'id');
SELECT * FROM credit.code_quality('reg', 'code', 'id');
SELECT * FROM credit.code_quality(NULL, 'code');
SELECT * FROM credit.code_quality('reg', NULL);
CREATE SEQUENCE s;
SELECT * FROM credit.code_quality('s', 'last_value');

-- the caller's rights: privileges and row-level security apply
CREATE ROLE quality_reader;
GRANT USAGE ON SCHEMA credit TO quality_reader;
SET ROLE quality_reader;
SELECT * FROM credit.code_quality('reg', 'code');
RESET ROLE;
GRANT SELECT ON reg TO quality_reader;
ALTER TABLE reg ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_fujian ON reg FOR SELECT TO quality_reader USING (code LIKE '9135%');
SET ROLE quality_reader;
SELECT total, valid, invalid, legacy FROM credit.code_quality('reg', 'code', 'name');
RESET ROLE;
DROP POLICY only_fujian ON reg;
REVOKE ALL ON reg FROM quality_reader;
REVOKE USAGE ON SCHEMA credit FROM quality_reader;
DROP ROLE quality_reader;
