-- 重错码 governance (SPEC §9): code-quality reports over any table or view of
-- codes, read with the caller's rights (never SECURITY DEFINER)

CREATE OR REPLACE FUNCTION credit.code_quality(source regclass, code_column name, name_column name DEFAULT NULL,
    OUT total bigint, OUT valid bigint, OUT invalid bigint, OUT invalid_by_problem jsonb,
    OUT legacy bigint, OUT duplicate_codes bigint, OUT duplicate_rows bigint,
    OUT names_with_several_codes bigint, OUT error_rate_per_10000 numeric)
    AS 'MODULE_PATHNAME', 'credit_code_quality' LANGUAGE C STABLE CALLED ON NULL INPUT;
COMMENT ON FUNCTION credit.code_quality(regclass, name, name) IS
    'code-quality report (重错码) over the code column (text, varchar, char or credit.uscc) of a table or view, in one pass with the caller''s rights. Codes are normalised as credit.uscc input is. total: rows; valid: no problem under uscc_problems(code, strict => true); legacy: legacy pilot codes (strict problem legacy_check_char only), counted apart; invalid: every other row, NULL or blank codes included (problem missing); invalid_by_problem: rows per problem code (a row with several problems counts under each); duplicate_codes (重码): valid or legacy codes held by two or more different names (names compared after removing white space, full-width forms made ASCII, ASCII upper-cased; rows without a name take no part), or found on two or more rows when no name_column is given; duplicate_rows: the rows that carry them; names_with_several_codes: names found with two or more different valid or legacy codes (NULL without name_column); error_rate_per_10000 = (invalid + duplicate_rows) * 10000 / total, to 4 decimal places (target <= 1: 将全县重错码率降低至万分之一; NULL when the source is empty)';

CREATE OR REPLACE FUNCTION credit.code_quality_detail(source regclass, code_column name, name_column name DEFAULT NULL)
    RETURNS TABLE (code text, name text, problem text)
    AS 'MODULE_PATHNAME', 'credit_code_quality_detail' LANGUAGE C STABLE CALLED ON NULL INPUT;
COMMENT ON FUNCTION credit.code_quality_detail(regclass, name, name) IS
    'the correction list behind credit.code_quality, one row per problem found: an invalid row once per problem code (code as stored; missing for NULL or blank), a legacy pilot code as legacy_check_char, each different name of a duplicate code as duplicate_code (without name_column one row per duplicate code, name NULL), each code of a name with several codes as several_codes; valid and legacy codes in canonical form, names as stored; in no particular order';
