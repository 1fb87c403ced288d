-- credit 0.1.0: the identifier types (uscc, rid).  Frozen release script.

\echo Use "CREATE EXTENSION credit" to load this file. \quit

COMMENT ON SCHEMA credit IS 'credit extension: social-credit supervision data (统一社会信用代码, 公示期, 信用修复, 分类监管, 审计)';

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
COMMENT ON FUNCTION credit.uscc_out(credit.uscc) IS 'output function of credit.uscc: the 18 canonical characters';
COMMENT ON FUNCTION credit.uscc_recv(internal) IS 'binary input of credit.uscc: the 18 canonical characters';
COMMENT ON FUNCTION credit.uscc_send(credit.uscc) IS 'binary output of credit.uscc: the 18 canonical characters';

-- casts to and from text
CREATE FUNCTION credit.uscc(text) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'uscc_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.text(credit.uscc) RETURNS text
    AS 'MODULE_PATHNAME', 'uscc_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (text AS credit.uscc) WITH FUNCTION credit.uscc(text) AS ASSIGNMENT;
CREATE CAST (credit.uscc AS text) WITH FUNCTION credit.text(credit.uscc) AS ASSIGNMENT;
COMMENT ON FUNCTION credit.uscc(text) IS 'convert text to credit.uscc; raises 22P02 with the exact fault on bad input';
COMMENT ON FUNCTION credit.text(credit.uscc) IS 'the canonical 18-character text of a credit.uscc';
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
    'stable problem codes for a text (empty when valid): length, character, region_digits, check_char; with strict also department, category, org_code_check, province';

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

-- comparison operators, btree and hash operator classes of credit.uscc
-- (template: the Makefile instantiates it for each identifier type)
CREATE FUNCTION credit.uscc_eq(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_ne(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_lt(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_le(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_gt(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_ge(credit.uscc, credit.uscc) RETURNS boolean
    AS 'MODULE_PATHNAME', 'uscc_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_cmp(credit.uscc, credit.uscc) RETURNS integer
    AS 'MODULE_PATHNAME', 'uscc_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_hash(credit.uscc) RETURNS integer
    AS 'MODULE_PATHNAME', 'uscc_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_hash_extended(credit.uscc, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'uscc_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.uscc_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'uscc_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.uscc_eq(credit.uscc, credit.uscc) IS 'implementation of = for credit.uscc';
COMMENT ON FUNCTION credit.uscc_ne(credit.uscc, credit.uscc) IS 'implementation of <> for credit.uscc';
COMMENT ON FUNCTION credit.uscc_lt(credit.uscc, credit.uscc) IS 'implementation of < for credit.uscc';
COMMENT ON FUNCTION credit.uscc_le(credit.uscc, credit.uscc) IS 'implementation of <= for credit.uscc';
COMMENT ON FUNCTION credit.uscc_gt(credit.uscc, credit.uscc) IS 'implementation of > for credit.uscc';
COMMENT ON FUNCTION credit.uscc_ge(credit.uscc, credit.uscc) IS 'implementation of >= for credit.uscc';
COMMENT ON FUNCTION credit.uscc_cmp(credit.uscc, credit.uscc) IS 'btree comparison support for credit.uscc';
COMMENT ON FUNCTION credit.uscc_hash(credit.uscc) IS 'hash support for credit.uscc';
COMMENT ON FUNCTION credit.uscc_hash_extended(credit.uscc, bigint) IS 'extended (seeded 64-bit) hash support for credit.uscc';
COMMENT ON FUNCTION credit.uscc_sortsupport(internal) IS 'sort support for credit.uscc';

CREATE OPERATOR credit.= (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_eq,
    COMMUTATOR = OPERATOR(credit.=), NEGATOR = OPERATOR(credit.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR credit.<> (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_ne,
    COMMUTATOR = OPERATOR(credit.<>), NEGATOR = OPERATOR(credit.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR credit.< (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_lt,
    COMMUTATOR = OPERATOR(credit.>), NEGATOR = OPERATOR(credit.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR credit.<= (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_le,
    COMMUTATOR = OPERATOR(credit.>=), NEGATOR = OPERATOR(credit.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR credit.> (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_gt,
    COMMUTATOR = OPERATOR(credit.<), NEGATOR = OPERATOR(credit.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR credit.>= (
    LEFTARG = credit.uscc, RIGHTARG = credit.uscc, FUNCTION = credit.uscc_ge,
    COMMUTATOR = OPERATOR(credit.<=), NEGATOR = OPERATOR(credit.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR credit.= (credit.uscc, credit.uscc) IS 'equal';
COMMENT ON OPERATOR credit.<> (credit.uscc, credit.uscc) IS 'not equal';
COMMENT ON OPERATOR credit.< (credit.uscc, credit.uscc) IS 'less than (order of the canonical text)';
COMMENT ON OPERATOR credit.<= (credit.uscc, credit.uscc) IS 'less than or equal (order of the canonical text)';
COMMENT ON OPERATOR credit.> (credit.uscc, credit.uscc) IS 'greater than (order of the canonical text)';
COMMENT ON OPERATOR credit.>= (credit.uscc, credit.uscc) IS 'greater than or equal (order of the canonical text)';

CREATE OPERATOR CLASS credit.uscc_ops DEFAULT FOR TYPE credit.uscc USING btree AS
    OPERATOR 1 credit.<,
    OPERATOR 2 credit.<=,
    OPERATOR 3 credit.=,
    OPERATOR 4 credit.>=,
    OPERATOR 5 credit.>,
    FUNCTION 1 credit.uscc_cmp(credit.uscc, credit.uscc),
    FUNCTION 2 credit.uscc_sortsupport(internal);
CREATE OPERATOR CLASS credit.uscc_hash_ops DEFAULT FOR TYPE credit.uscc USING hash AS
    OPERATOR 1 credit.=,
    FUNCTION 1 credit.uscc_hash(credit.uscc),
    FUNCTION 2 credit.uscc_hash_extended(credit.uscc, bigint);
COMMENT ON OPERATOR CLASS credit.uscc_ops USING btree IS 'default btree operator class for credit.uscc';
COMMENT ON OPERATOR CLASS credit.uscc_hash_ops USING hash IS 'default hash operator class for credit.uscc';
COMMENT ON OPERATOR FAMILY credit.uscc_ops USING btree IS 'btree operator family for credit.uscc';
COMMENT ON OPERATOR FAMILY credit.uscc_hash_ops USING hash IS 'hash operator family for credit.uscc';


-- min() and max(): index-optimisable (SORTOP), parallel (COMBINEFUNC)
CREATE FUNCTION credit.uscc_smaller(credit.uscc, credit.uscc) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'uscc_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.uscc_larger(credit.uscc, credit.uscc) RETURNS credit.uscc
    AS 'MODULE_PATHNAME', 'uscc_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE credit.min(credit.uscc) (
    SFUNC = credit.uscc_smaller, STYPE = credit.uscc, COMBINEFUNC = credit.uscc_smaller,
    SORTOP = OPERATOR(credit.<), PARALLEL = SAFE
);
CREATE AGGREGATE credit.max(credit.uscc) (
    SFUNC = credit.uscc_larger, STYPE = credit.uscc, COMBINEFUNC = credit.uscc_larger,
    SORTOP = OPERATOR(credit.>), PARALLEL = SAFE
);
COMMENT ON FUNCTION credit.uscc_smaller(credit.uscc, credit.uscc) IS 'the smaller of two values (state function of min)';
COMMENT ON FUNCTION credit.uscc_larger(credit.uscc, credit.uscc) IS 'the larger of two values (state function of max)';
COMMENT ON AGGREGATE credit.min(credit.uscc) IS 'smallest value, in the order of the canonical text';
COMMENT ON AGGREGATE credit.max(credit.uscc) IS 'largest value, in the order of the canonical text';

-- credit.rid: the resident ID number (居民身份证号码, GB 11643-1999)

CREATE TYPE credit.rid;

CREATE FUNCTION credit.rid_in(cstring) RETURNS credit.rid
    AS 'MODULE_PATHNAME', 'rid_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.rid_out(credit.rid) RETURNS cstring
    AS 'MODULE_PATHNAME', 'rid_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.rid_recv(internal) RETURNS credit.rid
    AS 'MODULE_PATHNAME', 'rid_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.rid_send(credit.rid) RETURNS bytea
    AS 'MODULE_PATHNAME', 'rid_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- 8 bytes passed by value: the 17-digit body; the check character is recomputed
CREATE TYPE credit.rid (
    INPUT = credit.rid_in,
    OUTPUT = credit.rid_out,
    RECEIVE = credit.rid_recv,
    SEND = credit.rid_send,
    INTERNALLENGTH = 8,
    PASSEDBYVALUE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE credit.rid IS
    'resident ID number (居民身份证号码, GB 11643-1999): validated on input (check character, birth date), stored in 8 bytes, ordered like its text';
COMMENT ON FUNCTION credit.rid_in(cstring) IS 'input function of credit.rid';
COMMENT ON FUNCTION credit.rid_out(credit.rid) IS 'output function of credit.rid: the 18 canonical characters';
COMMENT ON FUNCTION credit.rid_recv(internal) IS 'binary input of credit.rid: the 18 canonical characters';
COMMENT ON FUNCTION credit.rid_send(credit.rid) IS 'binary output of credit.rid: the 18 canonical characters';

CREATE FUNCTION credit.rid(text) RETURNS credit.rid
    AS 'MODULE_PATHNAME', 'rid_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.text(credit.rid) RETURNS text
    AS 'MODULE_PATHNAME', 'rid_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (text AS credit.rid) WITH FUNCTION credit.rid(text) AS ASSIGNMENT;
CREATE CAST (credit.rid AS text) WITH FUNCTION credit.text(credit.rid) AS ASSIGNMENT;
COMMENT ON FUNCTION credit.rid(text) IS 'convert text to credit.rid; raises 22P02 with the exact fault on bad input';
COMMENT ON FUNCTION credit.text(credit.rid) IS 'the canonical 18-character text of a credit.rid (unmasked)';
COMMENT ON CAST (text AS credit.rid) IS 'validating cast from text (assignment)';
COMMENT ON CAST (credit.rid AS text) IS 'canonical text of the number (assignment)';

-- functions that never raise on bad text (NULL in, NULL out)
CREATE FUNCTION credit.rid_is_valid(id text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rid_is_valid_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.try_rid(id text) RETURNS credit.rid
    AS 'MODULE_PATHNAME', 'try_rid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.rid_check_char(id text) RETURNS text
    AS 'MODULE_PATHNAME', 'rid_check_char_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- STABLE: strict mode compares the birth date with current_date
CREATE FUNCTION credit.rid_problems(id text, strict boolean DEFAULT false) RETURNS text[]
    AS 'MODULE_PATHNAME', 'rid_problems_text' LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION credit.rid_is_valid(text) IS 'true if the text is a valid resident ID number after normalisation; never raises';
COMMENT ON FUNCTION credit.try_rid(text) IS 'the number, or NULL when the text is not valid: imports keep every row';
COMMENT ON FUNCTION credit.rid_check_char(text) IS 'the ISO 7064 MOD 11-2 check character for 17 digits (NULL otherwise)';
COMMENT ON FUNCTION credit.rid_problems(text, boolean) IS
    'stable problem codes (empty when valid): length, character, birth_date, check_char; with strict also future_birth_date, province';

CREATE FUNCTION credit.rid_birth_date(id credit.rid) RETURNS date
    AS 'MODULE_PATHNAME', 'rid_birth_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.rid_sex(id credit.rid) RETURNS text
    AS 'MODULE_PATHNAME', 'rid_sex' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.rid_region(id credit.rid) RETURNS text
    AS 'MODULE_PATHNAME', 'rid_region' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.mask(id credit.rid) RETURNS text
    AS 'MODULE_PATHNAME', 'rid_mask' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.rid_birth_date(credit.rid) IS 'birth date (positions 7-14)';
COMMENT ON FUNCTION credit.rid_sex(credit.rid) IS 'M or F from position 17 (odd = M)';
COMMENT ON FUNCTION credit.rid_region(credit.rid) IS 'the 6-digit region code of registration (positions 1-6)';
COMMENT ON FUNCTION credit.mask(credit.rid) IS
    'masked number for display: region (1-6) and last four kept, birth date hidden, e.g. 110105********002X';

-- comparison operators, btree and hash operator classes of credit.rid
-- (template: the Makefile instantiates it for each identifier type)
CREATE FUNCTION credit.rid_eq(credit.rid, credit.rid) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rid_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.rid_ne(credit.rid, credit.rid) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rid_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.rid_lt(credit.rid, credit.rid) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rid_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.rid_le(credit.rid, credit.rid) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rid_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.rid_gt(credit.rid, credit.rid) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rid_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.rid_ge(credit.rid, credit.rid) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rid_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.rid_cmp(credit.rid, credit.rid) RETURNS integer
    AS 'MODULE_PATHNAME', 'rid_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.rid_hash(credit.rid) RETURNS integer
    AS 'MODULE_PATHNAME', 'rid_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.rid_hash_extended(credit.rid, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'rid_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION credit.rid_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'rid_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.rid_eq(credit.rid, credit.rid) IS 'implementation of = for credit.rid';
COMMENT ON FUNCTION credit.rid_ne(credit.rid, credit.rid) IS 'implementation of <> for credit.rid';
COMMENT ON FUNCTION credit.rid_lt(credit.rid, credit.rid) IS 'implementation of < for credit.rid';
COMMENT ON FUNCTION credit.rid_le(credit.rid, credit.rid) IS 'implementation of <= for credit.rid';
COMMENT ON FUNCTION credit.rid_gt(credit.rid, credit.rid) IS 'implementation of > for credit.rid';
COMMENT ON FUNCTION credit.rid_ge(credit.rid, credit.rid) IS 'implementation of >= for credit.rid';
COMMENT ON FUNCTION credit.rid_cmp(credit.rid, credit.rid) IS 'btree comparison support for credit.rid';
COMMENT ON FUNCTION credit.rid_hash(credit.rid) IS 'hash support for credit.rid';
COMMENT ON FUNCTION credit.rid_hash_extended(credit.rid, bigint) IS 'extended (seeded 64-bit) hash support for credit.rid';
COMMENT ON FUNCTION credit.rid_sortsupport(internal) IS 'sort support for credit.rid';

CREATE OPERATOR credit.= (
    LEFTARG = credit.rid, RIGHTARG = credit.rid, FUNCTION = credit.rid_eq,
    COMMUTATOR = OPERATOR(credit.=), NEGATOR = OPERATOR(credit.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR credit.<> (
    LEFTARG = credit.rid, RIGHTARG = credit.rid, FUNCTION = credit.rid_ne,
    COMMUTATOR = OPERATOR(credit.<>), NEGATOR = OPERATOR(credit.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR credit.< (
    LEFTARG = credit.rid, RIGHTARG = credit.rid, FUNCTION = credit.rid_lt,
    COMMUTATOR = OPERATOR(credit.>), NEGATOR = OPERATOR(credit.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR credit.<= (
    LEFTARG = credit.rid, RIGHTARG = credit.rid, FUNCTION = credit.rid_le,
    COMMUTATOR = OPERATOR(credit.>=), NEGATOR = OPERATOR(credit.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR credit.> (
    LEFTARG = credit.rid, RIGHTARG = credit.rid, FUNCTION = credit.rid_gt,
    COMMUTATOR = OPERATOR(credit.<), NEGATOR = OPERATOR(credit.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR credit.>= (
    LEFTARG = credit.rid, RIGHTARG = credit.rid, FUNCTION = credit.rid_ge,
    COMMUTATOR = OPERATOR(credit.<=), NEGATOR = OPERATOR(credit.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR credit.= (credit.rid, credit.rid) IS 'equal';
COMMENT ON OPERATOR credit.<> (credit.rid, credit.rid) IS 'not equal';
COMMENT ON OPERATOR credit.< (credit.rid, credit.rid) IS 'less than (order of the canonical text)';
COMMENT ON OPERATOR credit.<= (credit.rid, credit.rid) IS 'less than or equal (order of the canonical text)';
COMMENT ON OPERATOR credit.> (credit.rid, credit.rid) IS 'greater than (order of the canonical text)';
COMMENT ON OPERATOR credit.>= (credit.rid, credit.rid) IS 'greater than or equal (order of the canonical text)';

CREATE OPERATOR CLASS credit.rid_ops DEFAULT FOR TYPE credit.rid USING btree AS
    OPERATOR 1 credit.<,
    OPERATOR 2 credit.<=,
    OPERATOR 3 credit.=,
    OPERATOR 4 credit.>=,
    OPERATOR 5 credit.>,
    FUNCTION 1 credit.rid_cmp(credit.rid, credit.rid),
    FUNCTION 2 credit.rid_sortsupport(internal);
CREATE OPERATOR CLASS credit.rid_hash_ops DEFAULT FOR TYPE credit.rid USING hash AS
    OPERATOR 1 credit.=,
    FUNCTION 1 credit.rid_hash(credit.rid),
    FUNCTION 2 credit.rid_hash_extended(credit.rid, bigint);
COMMENT ON OPERATOR CLASS credit.rid_ops USING btree IS 'default btree operator class for credit.rid';
COMMENT ON OPERATOR CLASS credit.rid_hash_ops USING hash IS 'default hash operator class for credit.rid';
COMMENT ON OPERATOR FAMILY credit.rid_ops USING btree IS 'btree operator family for credit.rid';
COMMENT ON OPERATOR FAMILY credit.rid_hash_ops USING hash IS 'hash operator family for credit.rid';


-- min() and max(): index-optimisable (SORTOP), parallel (COMBINEFUNC)
CREATE FUNCTION credit.rid_smaller(credit.rid, credit.rid) RETURNS credit.rid
    AS 'MODULE_PATHNAME', 'rid_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.rid_larger(credit.rid, credit.rid) RETURNS credit.rid
    AS 'MODULE_PATHNAME', 'rid_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE credit.min(credit.rid) (
    SFUNC = credit.rid_smaller, STYPE = credit.rid, COMBINEFUNC = credit.rid_smaller,
    SORTOP = OPERATOR(credit.<), PARALLEL = SAFE
);
CREATE AGGREGATE credit.max(credit.rid) (
    SFUNC = credit.rid_larger, STYPE = credit.rid, COMBINEFUNC = credit.rid_larger,
    SORTOP = OPERATOR(credit.>), PARALLEL = SAFE
);
COMMENT ON FUNCTION credit.rid_smaller(credit.rid, credit.rid) IS 'the smaller of two values (state function of min)';
COMMENT ON FUNCTION credit.rid_larger(credit.rid, credit.rid) IS 'the larger of two values (state function of max)';
COMMENT ON AGGREGATE credit.min(credit.rid) IS 'smallest value, in the order of the canonical text';
COMMENT ON AGGREGATE credit.max(credit.rid) IS 'largest value, in the order of the canonical text';

