-- credit.uscc: the Unified Social Credit Code (统一社会信用代码, GB 32100-2015)

CREATE TYPE credit.uscc;

CREATE FUNCTION credit.uscc_in(cstring) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'uscc_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_out(credit.uscc) RETURNS cstring
    AS 'MODULE_PATHNAME', 'uscc_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_recv(internal) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'uscc_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_send(credit.uscc) RETURNS bytea
    AS 'MODULE_PATHNAME', 'uscc_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE credit.uscc (
    INPUT = credit.uscc_in,
    OUTPUT = credit.uscc_out,
    RECEIVE = credit.uscc_recv,
    SEND = credit.uscc_send,
    INTERNALLENGTH = 10,
    ALIGNMENT = char,
    STORAGE = plain
);
COMMENT ON TYPE credit.uscc IS
    'Unified Social Credit Code (统一社会信用代码, GB 32100-2015): validated on input (NFKC, spaces and hyphens removed, upper-cased), stored packed in 10 bytes, ordered like its canonical text';
COMMENT ON FUNCTION credit.uscc_in(cstring) IS 'input function of credit.uscc';
COMMENT ON FUNCTION credit.uscc_out(credit.uscc) IS 'output function of credit.uscc: the 18 canonical characters, followed by "(legacy)" for a legacy pilot code (input accepts that form back)';
COMMENT ON FUNCTION credit.uscc_recv(internal) IS 'binary input of credit.uscc: the 18 canonical characters, followed by "(legacy)" exactly for a legacy pilot code';
COMMENT ON FUNCTION credit.uscc_send(credit.uscc) IS 'binary output of credit.uscc: the 18 canonical characters, followed by "(legacy)" for a legacy pilot code';

-- casts to and from text
CREATE FUNCTION credit.uscc(text) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'uscc_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.text(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (text AS credit.uscc) WITH FUNCTION credit.uscc(text) AS ASSIGNMENT;
CREATE CAST (credit.uscc AS text) WITH FUNCTION credit.text(credit.uscc) AS ASSIGNMENT;
COMMENT ON FUNCTION credit.uscc(text) IS 'convert text to credit.uscc; raises 22P02 with the exact fault on bad input';
COMMENT ON FUNCTION credit.text(credit.uscc) IS 'the canonical 18-character text of a credit.uscc (of a legacy pilot code: its 18 characters, without the "(legacy)" marker)';
COMMENT ON CAST (text AS credit.uscc) IS 'validating cast from text (assignment)';
COMMENT ON CAST (credit.uscc AS text) IS 'canonical text of the code (assignment)';

-- functions that never raise on bad text (NULL in, NULL out)
CREATE FUNCTION credit.uscc_is_valid(code text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_is_valid_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.try_uscc(code text) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'try_uscc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_check_char(code text) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_check_char_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_problems(code text, strict boolean DEFAULT false) RETURNS text[]
    AS 'MODULE_PATHNAME', 'uscc_problems_text' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_is_valid(text) IS 'true if the text is a valid unified social credit code after normalisation; never raises';
COMMENT ON FUNCTION credit.try_uscc(text) IS 'the code, or NULL when the text is not a valid code: imports keep every row';
COMMENT ON FUNCTION credit.uscc_check_char(text) IS 'the GB 32100 check character for 17 leading characters (NULL when they are not 17 valid characters)';
COMMENT ON FUNCTION credit.uscc_problems(text, boolean) IS
    'stable problem codes for a text (empty when valid): length, character, region_digits, check_char, legacy_marker; with strict also department, category, org_code_check, province, and legacy_check_char (in place of check_char) for a legacy pilot code';

-- legacy pilot codes: real codes issued before 2016 in the Fujian pilot whose
-- check character fails GB 32100, stored on purpose
CREATE OR REPLACE FUNCTION credit.uscc_legacy(code text) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'uscc_legacy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION credit.uscc_is_legacy(code credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_is_legacy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_legacy(text) IS
    'stores a legacy pilot code on purpose: normalised as input is, 18 characters, region digits, and a check character that is not GB 32100''s, when department and category are valid, the GB 11714 check of positions 9-17 passes and positions 3-4 are 35 (Fujian); a code with the right check character is stored as usual; anything else raises 22P02 saying what fails';
COMMENT ON FUNCTION credit.uscc_is_legacy(credit.uscc) IS
    'true for a legacy pilot code stored by credit.uscc_legacy (its text form ends in "(legacy)")';

-- reference data (kept as data in the C module, shown as views)
CREATE FUNCTION credit._uscc_departments(OUT code text, OUT name text) RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'credit_uscc_departments' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 12;
CREATE FUNCTION credit._uscc_categories(OUT department text, OUT code text, OUT name text) RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'credit_uscc_categories' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 36;
CREATE FUNCTION credit._provinces(OUT code text, OUT name text, OUT in_uscc boolean, OUT in_rid boolean) RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'credit_province_list' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 36;
COMMENT ON FUNCTION credit._uscc_departments() IS 'internal: rows of credit.uscc_department';
COMMENT ON FUNCTION credit._uscc_categories() IS 'internal: rows of credit.uscc_category';
COMMENT ON FUNCTION credit._provinces() IS 'internal: rows of credit.province';

CREATE VIEW credit.uscc_department AS SELECT code, name FROM credit._uscc_departments();
CREATE VIEW credit.uscc_category AS SELECT department, code, name FROM credit._uscc_categories();
CREATE VIEW credit.province AS SELECT code, name, in_uscc, in_rid FROM credit._provinces();
COMMENT ON VIEW credit.uscc_department IS 'GB 32100 registration departments (position 1 of a unified social credit code)';
COMMENT ON VIEW credit.uscc_category IS 'GB 32100 organisation categories per department (position 2)';
COMMENT ON VIEW credit.province IS 'GB/T 2260 province-level codes (positions 3-4 of a USCC, 1-2 of a resident ID number)';

CREATE FUNCTION credit.uscc_info(code credit.uscc,
    OUT department text, OUT department_name text,
    OUT category text, OUT category_name text,
    OUT region text, OUT province text, OUT province_name text,
    OUT org_code text)
    AS 'MODULE_PATHNAME', 'uscc_info' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_info(credit.uscc) IS
    'the parts of a code: registration department and organisation category (with names), region, province (with name) and the 9-character organisation code';
