-- credit 0.2.0: install script.  Frozen when 0.2.0 was released (generated from src/sql at that time).

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

-- Working-day calendar, rule sets and publicity periods (SPEC §2)

-- messages of the PL/pgSQL parts go through the extension's gettext domain
CREATE FUNCTION credit.tr(msgid text) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_tr' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.tr(text) IS
    'a message of the extension translated under lc_messages (gettext domain credit-<major>; po/ has the catalogues)';

-- Rows that ship with the extension are marked builtin: they are recreated by
-- CREATE EXTENSION, so pg_dump keeps only the users' own rows, and they cannot
-- be changed or deleted (copy a ruleset to adapt it).
CREATE FUNCTION credit.protect_builtin() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('rows of %s.%s marked builtin ship with the extension'), TG_TABLE_SCHEMA, TG_TABLE_NAME),
            ERRCODE = 'insufficient_privilege',
            HINT = credit.tr('Insert your own rows with builtin = false (the default).');
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = format(credit.tr('cannot %s a builtin row of %s.%s'), lower(TG_OP), TG_TABLE_SCHEMA, TG_TABLE_NAME),
        ERRCODE = 'insufficient_privilege',
        DETAIL = credit.tr('Builtin rows ship with the extension and change only with ALTER EXTENSION credit UPDATE.'),
        HINT = CASE WHEN TG_TABLE_NAME IN ('ruleset', 'publicity_rule')
                    THEN credit.tr('Copy the ruleset with credit.copy_ruleset() and change the copy.')
                    ELSE credit.tr('Add your own rows instead.') END;
END $$;
COMMENT ON FUNCTION credit.protect_builtin() IS
    'trigger: refuses changes to rows that ship with the extension (builtin = true)';

CREATE FUNCTION credit.config_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_config_changed' LANGUAGE C;
COMMENT ON FUNCTION credit.config_changed() IS
    'statement trigger on calendar and rule tables: makes every session drop its cached copy';

-- ---------------------------------------------------------------- calendar
CREATE TABLE credit.calendar (
    day     date PRIMARY KEY,
    kind    text NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name    text,
    builtin boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE credit.calendar IS
    'China''s official holidays and adjusted working days (调休): one row per day that differs from the Monday-Friday week. Seeded with the State Council arrangements 2015-2026 (source: NateScarlet/holiday-cn, MIT); add later years with plain INSERTs';
COMMENT ON COLUMN credit.calendar.day IS 'the day';
COMMENT ON COLUMN credit.calendar.kind IS 'holiday: a weekday off; workday: a weekend day worked (调休)';
COMMENT ON COLUMN credit.calendar.name IS 'the holiday the arrangement belongs to, e.g. 国庆节';
COMMENT ON COLUMN credit.calendar.builtin IS 'true for the rows shipped with the extension';

-- ------------------------------------------------------- categories, rules
CREATE TABLE credit.record_category (
    category text PRIMARY KEY CHECK (category ~ '^[a-z][a-z0-9_]*$'),
    name     text NOT NULL,
    builtin  boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE credit.record_category IS 'kinds of dishonesty/penalty record (stable codes); users add their own';
COMMENT ON COLUMN credit.record_category.category IS 'stable code, e.g. administrative_penalty';
COMMENT ON COLUMN credit.record_category.name IS 'official name';
COMMENT ON COLUMN credit.record_category.builtin IS 'true for the categories shipped with the extension';

CREATE TABLE credit.ruleset (
    ruleset      text PRIMARY KEY CHECK (ruleset ~ '^[a-z0-9][a-z0-9_-]*$'),
    name         text NOT NULL,
    legal_basis  text,
    in_force     date,
    excluded_categories smallint[] NOT NULL DEFAULT '{}'
        CHECK (excluded_categories <@ '{1,2,3,4,5,6}'::smallint[]),
    same_type_window    interval CHECK (same_type_window > interval '0'),
    repair_limit        integer CHECK (repair_limit > 0),
    repair_limit_window interval CHECK (repair_limit_window > interval '0'),
    notice_working_days     integer NOT NULL DEFAULT 0 CHECK (notice_working_days >= 0),
    processing_working_days integer NOT NULL DEFAULT 3 CHECK (processing_working_days >= 0),
    builtin      boolean NOT NULL DEFAULT false,
    CHECK ((repair_limit IS NULL) = (repair_limit_window IS NULL))
);
COMMENT ON TABLE credit.ruleset IS 'a set of publicity and repair rules (national, national-2019, dandong, or the users'' own)';
COMMENT ON COLUMN credit.ruleset.ruleset IS 'stable code, referred to by records and credit.default_ruleset';
COMMENT ON COLUMN credit.ruleset.name IS 'title of the rules';
COMMENT ON COLUMN credit.ruleset.legal_basis IS 'the instrument the rules come from';
COMMENT ON COLUMN credit.ruleset.in_force IS 'date the rules took effect';
COMMENT ON COLUMN credit.ruleset.excluded_categories IS 'values of record.excluded_category that are never repairable under this ruleset';
COMMENT ON COLUMN credit.ruleset.same_type_window IS 'no repair if a record of the same category was repaired within this period (NULL: no such limit)';
COMMENT ON COLUMN credit.ruleset.repair_limit IS 'no repair once the subject had this many repairs within repair_limit_window (NULL: no limit)';
COMMENT ON COLUMN credit.ruleset.repair_limit_window IS 'the period repair_limit counts over';
COMMENT ON COLUMN credit.ruleset.notice_working_days IS 'working days a repair decision is publicly noticed before it takes effect (0: no notice)';
COMMENT ON COLUMN credit.ruleset.processing_working_days IS 'working days allowed to process an approved repair';
COMMENT ON COLUMN credit.ruleset.builtin IS 'true for the rulesets shipped with the extension';

CREATE TABLE credit.publicity_rule (
    ruleset   text NOT NULL REFERENCES credit.ruleset ON UPDATE CASCADE ON DELETE CASCADE,
    category  text NOT NULL REFERENCES credit.record_category ON UPDATE CASCADE,
    severity  text NOT NULL CHECK (severity IN ('minor', 'general', 'serious')),
    published boolean NOT NULL,
    anchor    text NOT NULL DEFAULT 'decided_on' CHECK (anchor IN ('decided_on', 'disclosed_on')),
    min_period interval CHECK (min_period >= interval '0' AND date_trunc('day', min_period) = min_period),
    max_period interval CHECK (max_period > interval '0' AND date_trunc('day', max_period) = max_period),
    repairable boolean NOT NULL DEFAULT true,
    requires_correction    boolean NOT NULL DEFAULT true,
    requires_commitment    boolean NOT NULL DEFAULT false,
    requires_interview     boolean NOT NULL DEFAULT false,
    min_training_hours     numeric CHECK (min_training_hours >= 0),
    requires_credit_report boolean NOT NULL DEFAULT false,
    note      text,
    builtin   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (ruleset, category, severity),
    CHECK (min_period IS NULL OR max_period IS NULL OR min_period <= max_period),
    CHECK (published OR (min_period IS NULL AND max_period IS NULL))
);
COMMENT ON TABLE credit.publicity_rule IS
    'per ruleset, record category and severity: whether the record is published, its minimum and maximum publicity period and what a repair needs';
COMMENT ON COLUMN credit.publicity_rule.ruleset IS 'the ruleset';
COMMENT ON COLUMN credit.publicity_rule.category IS 'record category';
COMMENT ON COLUMN credit.publicity_rule.severity IS 'minor, general or serious';
COMMENT ON COLUMN credit.publicity_rule.published IS 'whether such records are published at all';
COMMENT ON COLUMN credit.publicity_rule.anchor IS 'the date periods are counted from: decided_on or disclosed_on';
COMMENT ON COLUMN credit.publicity_rule.min_period IS 'minimum publicity period: repair (or removal) may be applied for once it has passed; NULL: never by lapse of time';
COMMENT ON COLUMN credit.publicity_rule.max_period IS 'maximum publicity period: publication stops automatically; NULL: no automatic end';
COMMENT ON COLUMN credit.publicity_rule.repairable IS 'whether credit repair applies at all (false e.g. for court lists)';
COMMENT ON COLUMN credit.publicity_rule.requires_correction IS 'the conduct must have been corrected (record.corrected_on set)';
COMMENT ON COLUMN credit.publicity_rule.requires_commitment IS 'a credit commitment (信用承诺) is required';
COMMENT ON COLUMN credit.publicity_rule.requires_interview IS 'an interview (约谈) is required';
COMMENT ON COLUMN credit.publicity_rule.min_training_hours IS 'credit training required, in class hours (NULL: none required)';
COMMENT ON COLUMN credit.publicity_rule.requires_credit_report IS 'a credit report (信用报告) is required';
COMMENT ON COLUMN credit.publicity_rule.note IS 'where the rule comes from';
COMMENT ON COLUMN credit.publicity_rule.builtin IS 'true for the rules shipped with the extension';

INSERT INTO credit.record_category (category, name, builtin) VALUES
    ('administrative_penalty',  '行政处罚信息', true),
    ('serious_dishonesty_list', '严重失信主体名单', true),
    ('abnormal_operations',     '经营异常名录', true),
    ('judgment_defaulter',      '失信被执行人', true);

INSERT INTO credit.ruleset (ruleset, name, legal_basis, in_force, excluded_categories,
                            same_type_window, repair_limit, repair_limit_window,
                            notice_working_days, processing_working_days, builtin) VALUES
    ('national', '全国信用修复规则（默认）', '国家发展和改革委员会令第36号', DATE '2026-04-01',
     '{}', NULL, NULL, NULL, 0, 3, true),
    ('national-2019', '全国信用修复规则（2019）',
     '关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知（发改办财金规〔2019〕527号）',
     DATE '2019-07-01', '{}', NULL, NULL, NULL, 0, 3, true),
    ('dandong', '丹东市企业法人公共信用信息修复', '丹东市企业法人公共信用信息修复管理办法（试行）',
     DATE '2019-01-01', '{1,2,3,4,5,6}', interval '3 years', 2, interval '3 years', 5, 1, true);

INSERT INTO credit.publicity_rule (ruleset, category, severity, published, anchor, min_period, max_period,
        repairable, requires_correction, requires_commitment, requires_interview, min_training_hours,
        requires_credit_report, note, builtin) VALUES
    -- national (令第36号): counted from the decision; publication ends at the maximum
    ('national', 'administrative_penalty', 'minor',   false, 'decided_on', NULL, NULL, false, false, false, false, NULL, false, '轻微失信：不公示', true),
    ('national', 'administrative_penalty', 'general', true,  'decided_on', '3 months', '1 year', true, true, false, false, NULL, false, '一般失信：最短3个月，最长1年', true),
    ('national', 'administrative_penalty', 'serious', true,  'decided_on', '1 year', '3 years', true, true, false, false, NULL, false, '严重失信：最短1年，最长3年', true),
    ('national', 'serious_dishonesty_list', 'serious', true, 'decided_on', '1 year', '3 years', true, true, false, false, NULL, false, '满1年可申请移出，满3年自动移出', true),
    ('national', 'abnormal_operations', 'general', true, 'decided_on', '0 days', NULL, true, true, false, false, NULL, false, '改正后即可申请移出', true),
    ('national', 'judgment_defaulter', 'serious', true, 'decided_on', NULL, NULL, false, false, false, false, NULL, false, '由人民法院决定移除，无自动期满', true),
    -- national-2019 (527号)
    ('national-2019', 'administrative_penalty', 'minor',   false, 'decided_on', NULL, NULL, false, false, false, false, NULL, false, '不公示', true),
    ('national-2019', 'administrative_penalty', 'general', true,  'decided_on', '3 months', '1 year', true, true, false, false, NULL, false, '一般失信：最短3个月，最长1年', true),
    ('national-2019', 'administrative_penalty', 'serious', true,  'decided_on', '6 months', '3 years', true, true, false, false, 3, true, '严重失信：最短6个月，最长3年；修复需参加信用修复培训（不少于3学时）并提交信用报告', true),
    ('national-2019', 'serious_dishonesty_list', 'serious', true, 'decided_on', '1 year', '3 years', true, true, false, false, 3, true, '满1年可申请移出，满3年自动移出', true),
    ('national-2019', 'abnormal_operations', 'general', true, 'decided_on', '0 days', NULL, true, true, false, false, NULL, false, '改正后即可申请移出', true),
    ('national-2019', 'judgment_defaulter', 'serious', true, 'decided_on', NULL, NULL, false, false, false, false, NULL, false, '由人民法院决定移除', true),
    -- dandong (2019): repair only 6 months after disclosure; commitment, interview and training
    ('dandong', 'administrative_penalty', 'minor',   false, 'disclosed_on', NULL, NULL, false, false, false, false, NULL, false, '不公示', true),
    ('dandong', 'administrative_penalty', 'general', true,  'disclosed_on', '6 months', '1 year', true, true, true, true, 0, false, '公示满6个月方可申请修复；需承诺、约谈、培训', true),
    ('dandong', 'administrative_penalty', 'serious', true,  'disclosed_on', '6 months', '3 years', true, true, true, true, 0, false, '公示满6个月方可申请修复；需承诺、约谈、培训', true),
    ('dandong', 'serious_dishonesty_list', 'serious', true, 'disclosed_on', '1 year', '3 years', true, true, true, true, 0, false, '满1年可申请移出，满3年自动移出', true),
    ('dandong', 'abnormal_operations', 'general', true, 'disclosed_on', '6 months', NULL, true, true, true, true, 0, false, '公示满6个月方可申请修复', true),
    ('dandong', 'judgment_defaulter', 'serious', true, 'disclosed_on', NULL, NULL, false, false, false, false, NULL, false, '由人民法院决定移除', true);

CREATE FUNCTION credit.copy_ruleset(source text, target text, name text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM credit.ruleset r WHERE r.ruleset = source) THEN
        RAISE EXCEPTION USING MESSAGE = format(credit.tr('unknown ruleset "%s"'), source), ERRCODE = 'undefined_object';
    END IF;
    INSERT INTO credit.ruleset (ruleset, name, legal_basis, in_force, excluded_categories, same_type_window,
                                repair_limit, repair_limit_window, notice_working_days, processing_working_days)
    SELECT target, coalesce(copy_ruleset.name, r.name || ' (' || target || ')'), r.legal_basis, r.in_force,
           r.excluded_categories, r.same_type_window, r.repair_limit, r.repair_limit_window,
           r.notice_working_days, r.processing_working_days
    FROM credit.ruleset r WHERE r.ruleset = source;
    INSERT INTO credit.publicity_rule (ruleset, category, severity, published, anchor, min_period, max_period,
            repairable, requires_correction, requires_commitment, requires_interview, min_training_hours,
            requires_credit_report, note)
    SELECT target, category, severity, published, anchor, min_period, max_period, repairable,
           requires_correction, requires_commitment, requires_interview, min_training_hours,
           requires_credit_report, note
    FROM credit.publicity_rule WHERE ruleset = source;
END $$;
COMMENT ON FUNCTION credit.copy_ruleset(text, text, text) IS
    'copy a ruleset and its rules under a new code (to adapt a builtin ruleset to local rules)';

-- -------------------------------------------------------- working days
CREATE FUNCTION credit.is_working_day(day date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_is_working_day_fn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.add_working_days(day date, n integer) RETURNS date
    AS 'MODULE_PATHNAME', 'credit_add_working_days_fn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.working_days_between(from_day date, to_day date) RETURNS integer
    AS 'MODULE_PATHNAME', 'credit_working_days_between_fn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.is_working_day(date) IS
    'true for Monday-Friday days that are not holidays, and for adjusted working days (调休), per credit.calendar';
COMMENT ON FUNCTION credit.add_working_days(date, integer) IS
    'the n-th working day after the day (n > 0), before it (n < 0), or the day itself (n = 0)';
COMMENT ON FUNCTION credit.working_days_between(date, date) IS
    'number of working days in (from_day, to_day]; negative when to_day < from_day';

CREATE FUNCTION credit.publicity_window(category text, severity text, decided_on date,
        disclosed_on date DEFAULT NULL, ruleset text DEFAULT NULL,
        OUT published boolean, OUT starts date, OUT min_end date, OUT max_end date)
    AS 'MODULE_PATHNAME', 'credit_publicity_window' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.publicity_window(text, text, date, date, text) IS
    'publicity of a record under a ruleset (default credit.default_ruleset): whether published, the first day shown, the first day repair may be applied for (min_end) and the first day no longer shown (max_end); ends are exclusive';

CREATE FUNCTION credit.publicity_trigger() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_publicity_trigger' LANGUAGE C;
COMMENT ON FUNCTION credit.publicity_trigger() IS
    'BEFORE INSERT OR UPDATE row trigger that fills publicity_starts/min_end/max_end from the rules; arguments key=column rename the columns (category, severity, decided_on, disclosed_on, ruleset, corrected_on, excluded_category, publicity_starts, publicity_min_end, publicity_max_end)';

-- State Council holiday arrangements (src/data/cn_calendar.csv; source NateScarlet/holiday-cn, MIT)
INSERT INTO credit.calendar (day, kind, name, builtin) VALUES
('2015-01-01', 'holiday', '元旦', true),
('2015-01-02', 'holiday', '元旦', true),
('2015-01-03', 'holiday', '元旦', true),
('2015-01-04', 'workday', '元旦', true),
('2015-02-15', 'workday', '春节', true),
('2015-02-18', 'holiday', '春节', true),
('2015-02-19', 'holiday', '春节', true),
('2015-02-20', 'holiday', '春节', true),
('2015-02-21', 'holiday', '春节', true),
('2015-02-22', 'holiday', '春节', true),
('2015-02-23', 'holiday', '春节', true),
('2015-02-24', 'holiday', '春节', true),
('2015-02-28', 'workday', '春节', true),
('2015-04-05', 'holiday', '清明节', true),
('2015-04-06', 'holiday', '清明节', true),
('2015-05-01', 'holiday', '劳动节', true),
('2015-06-20', 'holiday', '端午节', true),
('2015-06-22', 'holiday', '端午节', true),
('2015-09-03', 'holiday', '抗日战争暨世界反法西斯战争胜利70周年纪念日', true),
('2015-09-04', 'holiday', '抗日战争暨世界反法西斯战争胜利70周年纪念日', true),
('2015-09-05', 'holiday', '抗日战争暨世界反法西斯战争胜利70周年纪念日', true),
('2015-09-06', 'workday', '抗日战争暨世界反法西斯战争胜利70周年纪念日', true),
('2015-09-27', 'holiday', '中秋节', true),
('2015-10-01', 'holiday', '国庆节', true),
('2015-10-02', 'holiday', '国庆节', true),
('2015-10-03', 'holiday', '国庆节', true),
('2015-10-04', 'holiday', '国庆节', true),
('2015-10-05', 'holiday', '国庆节', true),
('2015-10-06', 'holiday', '国庆节', true),
('2015-10-07', 'holiday', '国庆节', true),
('2015-10-10', 'workday', '国庆节', true),
('2016-01-01', 'holiday', '元旦', true),
('2016-02-06', 'workday', '春节', true),
('2016-02-07', 'holiday', '春节', true),
('2016-02-08', 'holiday', '春节', true),
('2016-02-09', 'holiday', '春节', true),
('2016-02-10', 'holiday', '春节', true),
('2016-02-11', 'holiday', '春节', true),
('2016-02-12', 'holiday', '春节', true),
('2016-02-13', 'holiday', '春节', true),
('2016-02-14', 'workday', '春节', true),
('2016-04-04', 'holiday', '清明节', true),
('2016-05-01', 'holiday', '劳动节', true),
('2016-05-02', 'holiday', '劳动节', true),
('2016-06-09', 'holiday', '端午节', true),
('2016-06-10', 'holiday', '端午节', true),
('2016-06-11', 'holiday', '端午节', true),
('2016-06-12', 'workday', '端午节', true),
('2016-09-15', 'holiday', '中秋节', true),
('2016-09-16', 'holiday', '中秋节', true),
('2016-09-17', 'holiday', '中秋节', true),
('2016-09-18', 'workday', '中秋节', true),
('2016-10-01', 'holiday', '国庆节', true),
('2016-10-02', 'holiday', '国庆节', true),
('2016-10-03', 'holiday', '国庆节', true),
('2016-10-04', 'holiday', '国庆节', true),
('2016-10-05', 'holiday', '国庆节', true),
('2016-10-06', 'holiday', '国庆节', true),
('2016-10-07', 'holiday', '国庆节', true),
('2016-10-08', 'workday', '国庆节', true),
('2016-10-09', 'workday', '国庆节', true),
('2017-01-01', 'holiday', '元旦', true),
('2017-01-02', 'holiday', '元旦', true),
('2017-01-22', 'workday', '春节', true),
('2017-01-27', 'holiday', '春节', true),
('2017-01-28', 'holiday', '春节', true),
('2017-01-29', 'holiday', '春节', true),
('2017-01-30', 'holiday', '春节', true),
('2017-01-31', 'holiday', '春节', true),
('2017-02-01', 'holiday', '春节', true),
('2017-02-02', 'holiday', '春节', true),
('2017-02-04', 'workday', '春节', true),
('2017-04-01', 'workday', '清明节', true),
('2017-04-02', 'holiday', '清明节', true),
('2017-04-03', 'holiday', '清明节', true),
('2017-04-04', 'holiday', '清明节', true),
('2017-05-01', 'holiday', '劳动节', true),
('2017-05-27', 'workday', '端午节', true),
('2017-05-28', 'holiday', '端午节', true),
('2017-05-29', 'holiday', '端午节', true),
('2017-05-30', 'holiday', '端午节', true),
('2017-09-30', 'workday', '中秋节、国庆节', true),
('2017-10-01', 'holiday', '中秋节、国庆节', true),
('2017-10-02', 'holiday', '中秋节、国庆节', true),
('2017-10-03', 'holiday', '中秋节、国庆节', true),
('2017-10-04', 'holiday', '中秋节、国庆节', true),
('2017-10-05', 'holiday', '中秋节、国庆节', true),
('2017-10-06', 'holiday', '中秋节、国庆节', true),
('2017-10-07', 'holiday', '中秋节、国庆节', true),
('2017-10-08', 'holiday', '中秋节、国庆节', true),
('2018-01-01', 'holiday', '元旦', true),
('2018-02-11', 'workday', '春节', true),
('2018-02-15', 'holiday', '春节', true),
('2018-02-16', 'holiday', '春节', true),
('2018-02-17', 'holiday', '春节', true),
('2018-02-18', 'holiday', '春节', true),
('2018-02-19', 'holiday', '春节', true),
('2018-02-20', 'holiday', '春节', true),
('2018-02-21', 'holiday', '春节', true),
('2018-02-24', 'workday', '春节', true),
('2018-04-05', 'holiday', '清明节', true),
('2018-04-06', 'holiday', '清明节', true),
('2018-04-07', 'holiday', '清明节', true),
('2018-04-08', 'workday', '清明节', true),
('2018-04-28', 'workday', '劳动节', true),
('2018-04-29', 'holiday', '劳动节', true),
('2018-04-30', 'holiday', '劳动节', true),
('2018-05-01', 'holiday', '劳动节', true),
('2018-06-18', 'holiday', '端午节', true),
('2018-09-24', 'holiday', '中秋节', true),
('2018-09-29', 'workday', '国庆节', true),
('2018-09-30', 'workday', '国庆节', true),
('2018-10-01', 'holiday', '国庆节', true),
('2018-10-02', 'holiday', '国庆节', true),
('2018-10-03', 'holiday', '国庆节', true),
('2018-10-04', 'holiday', '国庆节', true),
('2018-10-05', 'holiday', '国庆节', true),
('2018-10-06', 'holiday', '国庆节', true),
('2018-10-07', 'holiday', '国庆节', true),
('2018-12-29', 'workday', '元旦', true),
('2018-12-30', 'holiday', '元旦', true),
('2018-12-31', 'holiday', '元旦', true),
('2019-01-01', 'holiday', '元旦', true),
('2019-02-02', 'workday', '春节', true),
('2019-02-03', 'workday', '春节', true),
('2019-02-04', 'holiday', '春节', true),
('2019-02-05', 'holiday', '春节', true),
('2019-02-06', 'holiday', '春节', true),
('2019-02-07', 'holiday', '春节', true),
('2019-02-08', 'holiday', '春节', true),
('2019-02-09', 'holiday', '春节', true),
('2019-02-10', 'holiday', '春节', true),
('2019-04-05', 'holiday', '清明节', true),
('2019-04-28', 'workday', '劳动节', true),
('2019-05-01', 'holiday', '劳动节', true),
('2019-05-02', 'holiday', '劳动节', true),
('2019-05-03', 'holiday', '劳动节', true),
('2019-05-04', 'holiday', '劳动节', true),
('2019-05-05', 'workday', '劳动节', true),
('2019-06-07', 'holiday', '端午节', true),
('2019-09-13', 'holiday', '中秋节', true),
('2019-09-29', 'workday', '国庆节', true),
('2019-10-01', 'holiday', '国庆节', true),
('2019-10-02', 'holiday', '国庆节', true),
('2019-10-03', 'holiday', '国庆节', true),
('2019-10-04', 'holiday', '国庆节', true),
('2019-10-05', 'holiday', '国庆节', true),
('2019-10-06', 'holiday', '国庆节', true),
('2019-10-07', 'holiday', '国庆节', true),
('2019-10-12', 'workday', '国庆节', true),
('2020-01-01', 'holiday', '元旦', true),
('2020-01-19', 'workday', '春节', true),
('2020-01-24', 'holiday', '春节', true),
('2020-01-25', 'holiday', '春节', true),
('2020-01-26', 'holiday', '春节', true),
('2020-01-27', 'holiday', '春节', true),
('2020-01-28', 'holiday', '春节', true),
('2020-01-29', 'holiday', '春节', true),
('2020-01-30', 'holiday', '春节', true),
('2020-01-31', 'holiday', '春节', true),
('2020-02-01', 'holiday', '春节', true),
('2020-02-02', 'holiday', '春节', true),
('2020-02-03', 'workday', '春节', true),
('2020-04-04', 'holiday', '清明节', true),
('2020-04-05', 'holiday', '清明节', true),
('2020-04-06', 'holiday', '清明节', true),
('2020-04-26', 'workday', '劳动节', true),
('2020-05-01', 'holiday', '劳动节', true),
('2020-05-02', 'holiday', '劳动节', true),
('2020-05-03', 'holiday', '劳动节', true),
('2020-05-04', 'holiday', '劳动节', true),
('2020-05-05', 'holiday', '劳动节', true),
('2020-05-09', 'workday', '劳动节', true),
('2020-06-25', 'holiday', '端午节', true),
('2020-06-26', 'holiday', '端午节', true),
('2020-06-27', 'holiday', '端午节', true),
('2020-06-28', 'workday', '端午节', true),
('2020-09-27', 'workday', '国庆节、中秋节', true),
('2020-10-01', 'holiday', '国庆节、中秋节', true),
('2020-10-02', 'holiday', '国庆节、中秋节', true),
('2020-10-03', 'holiday', '国庆节、中秋节', true),
('2020-10-04', 'holiday', '国庆节、中秋节', true),
('2020-10-05', 'holiday', '国庆节、中秋节', true),
('2020-10-06', 'holiday', '国庆节、中秋节', true),
('2020-10-07', 'holiday', '国庆节、中秋节', true),
('2020-10-08', 'holiday', '国庆节、中秋节', true),
('2020-10-10', 'workday', '国庆节、中秋节', true),
('2021-01-01', 'holiday', '元旦', true),
('2021-01-02', 'holiday', '元旦', true),
('2021-01-03', 'holiday', '元旦', true),
('2021-02-07', 'workday', '春节', true),
('2021-02-11', 'holiday', '春节', true),
('2021-02-12', 'holiday', '春节', true),
('2021-02-13', 'holiday', '春节', true),
('2021-02-14', 'holiday', '春节', true),
('2021-02-15', 'holiday', '春节', true),
('2021-02-16', 'holiday', '春节', true),
('2021-02-17', 'holiday', '春节', true),
('2021-02-20', 'workday', '春节', true),
('2021-04-03', 'holiday', '清明节', true),
('2021-04-04', 'holiday', '清明节', true),
('2021-04-05', 'holiday', '清明节', true),
('2021-04-25', 'workday', '劳动节', true),
('2021-05-01', 'holiday', '劳动节', true),
('2021-05-02', 'holiday', '劳动节', true),
('2021-05-03', 'holiday', '劳动节', true),
('2021-05-04', 'holiday', '劳动节', true),
('2021-05-05', 'holiday', '劳动节', true),
('2021-05-08', 'workday', '劳动节', true),
('2021-06-12', 'holiday', '端午节', true),
('2021-06-13', 'holiday', '端午节', true),
('2021-06-14', 'holiday', '端午节', true),
('2021-09-18', 'workday', '中秋节', true),
('2021-09-19', 'holiday', '中秋节', true),
('2021-09-20', 'holiday', '中秋节', true),
('2021-09-21', 'holiday', '中秋节', true),
('2021-09-26', 'workday', '国庆节', true),
('2021-10-01', 'holiday', '国庆节', true),
('2021-10-02', 'holiday', '国庆节', true),
('2021-10-03', 'holiday', '国庆节', true),
('2021-10-04', 'holiday', '国庆节', true),
('2021-10-05', 'holiday', '国庆节', true),
('2021-10-06', 'holiday', '国庆节', true),
('2021-10-07', 'holiday', '国庆节', true),
('2021-10-09', 'workday', '国庆节', true),
('2022-01-01', 'holiday', '元旦', true),
('2022-01-02', 'holiday', '元旦', true),
('2022-01-03', 'holiday', '元旦', true),
('2022-01-29', 'workday', '春节', true),
('2022-01-30', 'workday', '春节', true),
('2022-01-31', 'holiday', '春节', true),
('2022-02-01', 'holiday', '春节', true),
('2022-02-02', 'holiday', '春节', true),
('2022-02-03', 'holiday', '春节', true),
('2022-02-04', 'holiday', '春节', true),
('2022-02-05', 'holiday', '春节', true),
('2022-02-06', 'holiday', '春节', true),
('2022-04-02', 'workday', '清明节', true),
('2022-04-03', 'holiday', '清明节', true),
('2022-04-04', 'holiday', '清明节', true),
('2022-04-05', 'holiday', '清明节', true),
('2022-04-24', 'workday', '劳动节', true),
('2022-04-30', 'holiday', '劳动节', true),
('2022-05-01', 'holiday', '劳动节', true),
('2022-05-02', 'holiday', '劳动节', true),
('2022-05-03', 'holiday', '劳动节', true),
('2022-05-04', 'holiday', '劳动节', true),
('2022-05-07', 'workday', '劳动节', true),
('2022-06-03', 'holiday', '端午节', true),
('2022-06-04', 'holiday', '端午节', true),
('2022-06-05', 'holiday', '端午节', true),
('2022-09-10', 'holiday', '中秋节', true),
('2022-09-11', 'holiday', '中秋节', true),
('2022-09-12', 'holiday', '中秋节', true),
('2022-10-01', 'holiday', '国庆节', true),
('2022-10-02', 'holiday', '国庆节', true),
('2022-10-03', 'holiday', '国庆节', true),
('2022-10-04', 'holiday', '国庆节', true),
('2022-10-05', 'holiday', '国庆节', true),
('2022-10-06', 'holiday', '国庆节', true),
('2022-10-07', 'holiday', '国庆节', true),
('2022-10-08', 'workday', '国庆节', true),
('2022-10-09', 'workday', '国庆节', true),
('2022-12-31', 'holiday', '元旦', true),
('2023-01-01', 'holiday', '元旦', true),
('2023-01-02', 'holiday', '元旦', true),
('2023-01-21', 'holiday', '春节', true),
('2023-01-22', 'holiday', '春节', true),
('2023-01-23', 'holiday', '春节', true),
('2023-01-24', 'holiday', '春节', true),
('2023-01-25', 'holiday', '春节', true),
('2023-01-26', 'holiday', '春节', true),
('2023-01-27', 'holiday', '春节', true),
('2023-01-28', 'workday', '春节', true),
('2023-01-29', 'workday', '春节', true),
('2023-04-05', 'holiday', '清明节', true),
('2023-04-23', 'workday', '劳动节', true),
('2023-04-29', 'holiday', '劳动节', true),
('2023-04-30', 'holiday', '劳动节', true),
('2023-05-01', 'holiday', '劳动节', true),
('2023-05-02', 'holiday', '劳动节', true),
('2023-05-03', 'holiday', '劳动节', true),
('2023-05-06', 'workday', '劳动节', true),
('2023-06-22', 'holiday', '端午节', true),
('2023-06-23', 'holiday', '端午节', true),
('2023-06-24', 'holiday', '端午节', true),
('2023-06-25', 'workday', '端午节', true),
('2023-09-29', 'holiday', '中秋节、国庆节', true),
('2023-09-30', 'holiday', '中秋节、国庆节', true),
('2023-10-01', 'holiday', '中秋节、国庆节', true),
('2023-10-02', 'holiday', '中秋节、国庆节', true),
('2023-10-03', 'holiday', '中秋节、国庆节', true),
('2023-10-04', 'holiday', '中秋节、国庆节', true),
('2023-10-05', 'holiday', '中秋节、国庆节', true),
('2023-10-06', 'holiday', '中秋节、国庆节', true),
('2023-10-07', 'workday', '中秋节、国庆节', true),
('2023-10-08', 'workday', '中秋节、国庆节', true),
('2024-01-01', 'holiday', '元旦', true),
('2024-02-04', 'workday', '春节', true),
('2024-02-10', 'holiday', '春节', true),
('2024-02-11', 'holiday', '春节', true),
('2024-02-12', 'holiday', '春节', true),
('2024-02-13', 'holiday', '春节', true),
('2024-02-14', 'holiday', '春节', true),
('2024-02-15', 'holiday', '春节', true),
('2024-02-16', 'holiday', '春节', true),
('2024-02-17', 'holiday', '春节', true),
('2024-02-18', 'workday', '春节', true),
('2024-04-04', 'holiday', '清明节', true),
('2024-04-05', 'holiday', '清明节', true),
('2024-04-06', 'holiday', '清明节', true),
('2024-04-07', 'workday', '清明节', true),
('2024-04-28', 'workday', '劳动节', true),
('2024-05-01', 'holiday', '劳动节', true),
('2024-05-02', 'holiday', '劳动节', true),
('2024-05-03', 'holiday', '劳动节', true),
('2024-05-04', 'holiday', '劳动节', true),
('2024-05-05', 'holiday', '劳动节', true),
('2024-05-11', 'workday', '劳动节', true),
('2024-06-10', 'holiday', '端午节', true),
('2024-09-14', 'workday', '中秋节', true),
('2024-09-15', 'holiday', '中秋节', true),
('2024-09-16', 'holiday', '中秋节', true),
('2024-09-17', 'holiday', '中秋节', true),
('2024-09-29', 'workday', '国庆节', true),
('2024-10-01', 'holiday', '国庆节', true),
('2024-10-02', 'holiday', '国庆节', true),
('2024-10-03', 'holiday', '国庆节', true),
('2024-10-04', 'holiday', '国庆节', true),
('2024-10-05', 'holiday', '国庆节', true),
('2024-10-06', 'holiday', '国庆节', true),
('2024-10-07', 'holiday', '国庆节', true),
('2024-10-12', 'workday', '国庆节', true),
('2025-01-01', 'holiday', '元旦', true),
('2025-01-26', 'workday', '春节', true),
('2025-01-28', 'holiday', '春节', true),
('2025-01-29', 'holiday', '春节', true),
('2025-01-30', 'holiday', '春节', true),
('2025-01-31', 'holiday', '春节', true),
('2025-02-01', 'holiday', '春节', true),
('2025-02-02', 'holiday', '春节', true),
('2025-02-03', 'holiday', '春节', true),
('2025-02-04', 'holiday', '春节', true),
('2025-02-08', 'workday', '春节', true),
('2025-04-04', 'holiday', '清明节', true),
('2025-04-05', 'holiday', '清明节', true),
('2025-04-06', 'holiday', '清明节', true),
('2025-04-27', 'workday', '劳动节', true),
('2025-05-01', 'holiday', '劳动节', true),
('2025-05-02', 'holiday', '劳动节', true),
('2025-05-03', 'holiday', '劳动节', true),
('2025-05-04', 'holiday', '劳动节', true),
('2025-05-05', 'holiday', '劳动节', true),
('2025-05-31', 'holiday', '端午节', true),
('2025-06-01', 'holiday', '端午节', true),
('2025-06-02', 'holiday', '端午节', true),
('2025-09-28', 'workday', '国庆节、中秋节', true),
('2025-10-01', 'holiday', '国庆节、中秋节', true),
('2025-10-02', 'holiday', '国庆节、中秋节', true),
('2025-10-03', 'holiday', '国庆节、中秋节', true),
('2025-10-04', 'holiday', '国庆节、中秋节', true),
('2025-10-05', 'holiday', '国庆节、中秋节', true),
('2025-10-06', 'holiday', '国庆节、中秋节', true),
('2025-10-07', 'holiday', '国庆节、中秋节', true),
('2025-10-08', 'holiday', '国庆节、中秋节', true),
('2025-10-11', 'workday', '国庆节、中秋节', true),
('2026-01-01', 'holiday', '元旦', true),
('2026-01-02', 'holiday', '元旦', true),
('2026-01-03', 'holiday', '元旦', true),
('2026-01-04', 'workday', '元旦', true),
('2026-02-14', 'workday', '春节', true),
('2026-02-15', 'holiday', '春节', true),
('2026-02-16', 'holiday', '春节', true),
('2026-02-17', 'holiday', '春节', true),
('2026-02-18', 'holiday', '春节', true),
('2026-02-19', 'holiday', '春节', true),
('2026-02-20', 'holiday', '春节', true),
('2026-02-21', 'holiday', '春节', true),
('2026-02-22', 'holiday', '春节', true),
('2026-02-23', 'holiday', '春节', true),
('2026-02-28', 'workday', '春节', true),
('2026-04-04', 'holiday', '清明节', true),
('2026-04-05', 'holiday', '清明节', true),
('2026-04-06', 'holiday', '清明节', true),
('2026-05-01', 'holiday', '劳动节', true),
('2026-05-02', 'holiday', '劳动节', true),
('2026-05-03', 'holiday', '劳动节', true),
('2026-05-04', 'holiday', '劳动节', true),
('2026-05-05', 'holiday', '劳动节', true),
('2026-05-09', 'workday', '劳动节', true),
('2026-06-19', 'holiday', '端午节', true),
('2026-06-20', 'holiday', '端午节', true),
('2026-06-21', 'holiday', '端午节', true),
('2026-09-20', 'workday', '国庆节', true),
('2026-09-25', 'holiday', '中秋节', true),
('2026-09-26', 'holiday', '中秋节', true),
('2026-09-27', 'holiday', '中秋节', true),
('2026-10-01', 'holiday', '国庆节', true),
('2026-10-02', 'holiday', '国庆节', true),
('2026-10-03', 'holiday', '国庆节', true),
('2026-10-04', 'holiday', '国庆节', true),
('2026-10-05', 'holiday', '国庆节', true),
('2026-10-06', 'holiday', '国庆节', true),
('2026-10-07', 'holiday', '国庆节', true),
('2026-10-10', 'workday', '国庆节', true);

-- Protection and cache invalidation for the configuration tables (after the seed data)

-- builtin rows are kept by CREATE EXTENSION; pg_dump keeps the rest
SELECT pg_catalog.pg_extension_config_dump('credit.calendar', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('credit.record_category', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('credit.ruleset', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('credit.publicity_rule', 'WHERE NOT builtin');

CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.calendar
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.calendar
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.calendar
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.record_category
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.record_category
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.record_category
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.ruleset
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.ruleset
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.ruleset
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.publicity_rule
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.publicity_rule
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.publicity_rule
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();

CREATE TRIGGER config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.calendar
    FOR EACH STATEMENT EXECUTE FUNCTION credit.config_changed();
CREATE TRIGGER config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.record_category
    FOR EACH STATEMENT EXECUTE FUNCTION credit.config_changed();
CREATE TRIGGER config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.ruleset
    FOR EACH STATEMENT EXECUTE FUNCTION credit.config_changed();
CREATE TRIGGER config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credit.publicity_rule
    FOR EACH STATEMENT EXECUTE FUNCTION credit.config_changed();


-- Reference schema: subjects and dishonesty/penalty records (SPEC §3)

CREATE TABLE credit.subject (
    subject_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    uscc       credit.uscc UNIQUE,
    rid        credit.rid UNIQUE,
    name       text NOT NULL,
    region     text CHECK (region ~ '^[0-9]{6}$'),
    industry   text,
    CONSTRAINT subject_one_identifier CHECK ((uscc IS NULL) <> (rid IS NULL))
);
COMMENT ON TABLE credit.subject IS 'one row per legal person (by USCC) or natural person (by resident ID number)';
COMMENT ON COLUMN credit.subject.subject_id IS 'surrogate key';
COMMENT ON COLUMN credit.subject.uscc IS 'unified social credit code of a legal person or other organisation';
COMMENT ON COLUMN credit.subject.rid IS 'resident ID number of a natural person (shown masked in views)';
COMMENT ON COLUMN credit.subject.name IS 'registered name';
COMMENT ON COLUMN credit.subject.region IS '6-digit administrative region; filled from the code when not given';
COMMENT ON COLUMN credit.subject.industry IS 'industry (free text or a GB/T 4754 code)';

CREATE FUNCTION credit.subject_defaults() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF (NEW.uscc IS NULL) = (NEW.rid IS NULL) THEN
        RAISE EXCEPTION USING
            MESSAGE = credit.tr('a subject needs exactly one identifier'),
            ERRCODE = 'check_violation',
            DETAIL = CASE WHEN NEW.uscc IS NULL THEN credit.tr('Both uscc and rid are null.')
                          ELSE credit.tr('Both uscc and rid are set.') END,
            HINT = credit.tr('Give an organisation its uscc, a natural person its rid.');
    END IF;
    IF NEW.region IS NULL THEN
        NEW.region := coalesce((credit.uscc_info(NEW.uscc)).region, credit.rid_region(NEW.rid));
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION credit.subject_defaults() IS 'trigger: checks the identifier and fills the region of a subject';
CREATE TRIGGER subject_defaults BEFORE INSERT OR UPDATE OF uscc, rid, region ON credit.subject
    FOR EACH ROW EXECUTE FUNCTION credit.subject_defaults();

CREATE TABLE credit.record (
    record_id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    subject_id        bigint NOT NULL REFERENCES credit.subject,
    category          text NOT NULL,
    severity          text NOT NULL CHECK (severity IN ('minor', 'general', 'serious')),
    excluded_category smallint CHECK (excluded_category BETWEEN 1 AND 6),
    authority         text NOT NULL,
    decided_on        date NOT NULL,
    disclosed_on      date,
    corrected_on      date,
    ruleset           text,
    state             text NOT NULL DEFAULT 'published'
                      CHECK (state IN ('published', 'under_repair', 'repaired', 'expired', 'revoked')),
    publicity_starts  date,
    publicity_min_end date,
    publicity_max_end date,
    repair_decided_on date,
    under_verification boolean NOT NULL DEFAULT false,
    objection_count   integer NOT NULL DEFAULT 0,
    evidence_count    integer NOT NULL DEFAULT 0,
    CHECK (disclosed_on >= decided_on),
    CHECK (corrected_on >= decided_on),
    -- every record has its rule (the trigger fills ruleset first); this also
    -- makes pg_restore load the rules before the records
    CONSTRAINT record_rule_fkey FOREIGN KEY (ruleset, category, severity)
        REFERENCES credit.publicity_rule (ruleset, category, severity) ON UPDATE CASCADE
);
CREATE INDEX record_subject ON credit.record (subject_id);
-- earlier repairs of a subject (Dandong's limits): most subjects have none
CREATE INDEX record_subject_repaired ON credit.record (subject_id, repair_decided_on) WHERE state = 'repaired';
CREATE INDEX record_active ON credit.record (publicity_max_end) WHERE state IN ('published', 'under_repair');
COMMENT ON TABLE credit.record IS
    'dishonesty/penalty records (失信信息); never deleted: repaired or expired records leave public view and stay as archive rows (档案保存)';
COMMENT ON COLUMN credit.record.record_id IS 'surrogate key';
COMMENT ON COLUMN credit.record.subject_id IS 'the subject the record is about';
COMMENT ON COLUMN credit.record.category IS 'record category (credit.record_category)';
COMMENT ON COLUMN credit.record.severity IS 'minor, general or serious';
COMMENT ON COLUMN credit.record.excluded_category IS '1-6: one of the categories never repairable (Dandong Art. 7); NULL if none';
COMMENT ON COLUMN credit.record.authority IS 'the deciding authority (认定单位)';
COMMENT ON COLUMN credit.record.decided_on IS 'date of the decision';
COMMENT ON COLUMN credit.record.disclosed_on IS 'date the record was disclosed; defaults to decided_on';
COMMENT ON COLUMN credit.record.corrected_on IS 'date the conduct was corrected (NULL: not yet)';
COMMENT ON COLUMN credit.record.ruleset IS 'ruleset the record is judged under; defaults to credit.default_ruleset';
COMMENT ON COLUMN credit.record.state IS 'published, under_repair, repaired, expired or revoked';
COMMENT ON COLUMN credit.record.publicity_starts IS 'first day shown (trigger-maintained)';
COMMENT ON COLUMN credit.record.publicity_min_end IS 'first day the minimum period has passed: repair may be applied for (trigger-maintained)';
COMMENT ON COLUMN credit.record.publicity_max_end IS 'first day no longer shown; NULL: no automatic end (trigger-maintained)';
COMMENT ON COLUMN credit.record.repair_decided_on IS 'date of the decision that repaired the record (set when its repair is processed)';
COMMENT ON COLUMN credit.record.under_verification IS 'an objection (异议) to the record is open: the record is under verification and the sanction is not active (trigger-maintained)';
COMMENT ON COLUMN credit.record.objection_count IS 'number of objections ever raised on the record (trigger-maintained)';
COMMENT ON COLUMN credit.record.evidence_count IS 'number of repair_evidence rows of the record (trigger-maintained; lets repair_eligibility skip the lookup)';

CREATE TRIGGER record_publicity
    BEFORE INSERT OR UPDATE OF category, severity, excluded_category, decided_on, disclosed_on,
                               corrected_on, ruleset, publicity_starts, publicity_min_end, publicity_max_end
    ON credit.record FOR EACH ROW EXECUTE FUNCTION credit.publicity_trigger();

CREATE FUNCTION credit.record_state_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    allowed text[] := CASE OLD.state
        WHEN 'published'    THEN ARRAY['under_repair', 'expired', 'revoked']
        WHEN 'under_repair' THEN ARRAY['published', 'repaired', 'expired', 'revoked']
        ELSE '{}'::text[] END;
BEGIN
    IF NOT NEW.state = ANY (allowed) THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('record %s cannot change from state "%s" to "%s"'), OLD.record_id, OLD.state, NEW.state),
            ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = CASE WHEN cardinality(allowed) = 0
                          THEN format(credit.tr('"%s" is final.'), OLD.state)
                          ELSE format(credit.tr('From "%s" a record may go to: %s.'), OLD.state, array_to_string(allowed, ', ')) END;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION credit.record_state_guard() IS
    'trigger: allows only published -> under_repair|expired|revoked and under_repair -> published|repaired|expired|revoked';
CREATE TRIGGER record_state_guard BEFORE UPDATE OF state ON credit.record
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION credit.record_state_guard();

CREATE FUNCTION credit.refuse_delete() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = format(credit.tr('%s on %s.%s is not allowed'), TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME),
        ERRCODE = 'restrict_violation',
        DETAIL = credit.tr('Rows of this table are kept as an archive and are never deleted.'),
        HINT = CASE WHEN TG_TABLE_NAME = 'record'
                    THEN credit.tr('Set the state to revoked (decision annulled) or expired instead.')
                    ELSE credit.tr('Change its state instead.') END;
END $$;
COMMENT ON FUNCTION credit.refuse_delete() IS 'trigger: refuses DELETE and TRUNCATE on archive tables';
CREATE TRIGGER record_no_delete BEFORE DELETE ON credit.record
    FOR EACH ROW EXECUTE FUNCTION credit.refuse_delete();
CREATE TRIGGER record_no_truncate BEFORE TRUNCATE ON credit.record
    FOR EACH STATEMENT EXECUTE FUNCTION credit.refuse_delete();

SELECT pg_catalog.pg_extension_config_dump('credit.subject', '');
SELECT pg_catalog.pg_extension_config_dump('credit.record', '');
SELECT pg_catalog.pg_extension_config_dump('credit.subject_subject_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('credit.record_record_id_seq', '');

-- What may be shown of a record (IDs masked), for every record: the base of
-- the public view.  Internal: not granted to readers, since it also lists
-- records that are not public.
CREATE VIEW credit.record_public_fields AS
SELECT r.record_id,
       s.name AS subject_name,
       s.uscc,
       credit.mask(s.rid) AS rid_masked,
       r.category,
       c.name AS category_name,
       r.severity,
       r.authority,
       r.decided_on,
       r.disclosed_on,
       r.publicity_max_end AS shown_until,
       r.state = 'under_repair' AS under_repair,
       r.under_verification,
       r.state,
       r.publicity_starts
FROM credit.record r
JOIN credit.subject s ON s.subject_id = r.subject_id
JOIN credit.record_category c ON c.category = r.category;
COMMENT ON VIEW credit.record_public_fields IS
    'internal: the publishable fields of every record (IDs masked) with its state and window; the base of public_record';

CREATE VIEW credit.public_record WITH (security_barrier) AS
SELECT f.record_id, f.subject_name, f.uscc, f.rid_masked, f.category, f.category_name, f.severity,
       f.authority, f.decided_on, f.disclosed_on, f.shown_until, f.under_repair, f.under_verification
FROM credit.record_public_fields f
WHERE f.state IN ('published', 'under_repair')
  AND f.publicity_starts <= current_date
  AND (f.shown_until IS NULL OR current_date < f.shown_until);
COMMENT ON VIEW credit.public_record IS
    'records publicly shown today: inside the publicity window and published or under repair; resident ID numbers masked';
COMMENT ON COLUMN credit.public_record.record_id IS 'record key';
COMMENT ON COLUMN credit.public_record.subject_name IS 'name of the subject';
COMMENT ON COLUMN credit.public_record.uscc IS 'code of an organisation (public)';
COMMENT ON COLUMN credit.public_record.rid_masked IS 'masked resident ID number of a person';
COMMENT ON COLUMN credit.public_record.category IS 'record category code';
COMMENT ON COLUMN credit.public_record.category_name IS 'record category name';
COMMENT ON COLUMN credit.public_record.severity IS 'minor, general or serious';
COMMENT ON COLUMN credit.public_record.authority IS 'deciding authority';
COMMENT ON COLUMN credit.public_record.decided_on IS 'date of the decision';
COMMENT ON COLUMN credit.public_record.disclosed_on IS 'date of disclosure';
COMMENT ON COLUMN credit.public_record.shown_until IS 'first day the record is no longer shown (NULL: no automatic end)';
COMMENT ON COLUMN credit.public_record.under_repair IS 'a repair of the record is in progress';
COMMENT ON COLUMN credit.public_record.under_verification IS 'an objection to the record is open (异议核查中); the sanction is not active meanwhile';

-- the public view as of another date (for reports and tests); runs as the
-- owner because readers may not read the base view
CREATE FUNCTION credit.public_record_at(as_of date) RETURNS SETOF credit.public_record
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
SELECT f.record_id, f.subject_name, f.uscc, f.rid_masked, f.category, f.category_name, f.severity,
       f.authority, f.decided_on, f.disclosed_on, f.shown_until, f.under_repair, f.under_verification
FROM credit.record_public_fields f
WHERE f.state IN ('published', 'under_repair')
  AND f.publicity_starts <= as_of
  AND (f.shown_until IS NULL OR as_of < f.shown_until)
$$;
REVOKE EXECUTE ON FUNCTION credit.public_record_at(date) FROM PUBLIC;
COMMENT ON FUNCTION credit.public_record_at(date) IS
    'the records credit.public_record shows, as of the given date (granted to credit_reader by setup_roles)';

CREATE FUNCTION credit.expire_records(as_of date DEFAULT current_date) RETURNS bigint
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    WITH done AS (
        UPDATE credit.record SET state = 'expired'
        WHERE state IN ('published', 'under_repair') AND publicity_max_end <= as_of
        RETURNING 1)
    SELECT count(*) FROM done
$$;
COMMENT ON FUNCTION credit.expire_records(date) IS
    'mark records whose maximum publicity period has ended by as_of as expired (for reporting; the public view needs no job); returns how many';

-- Credit repair (信用修复): evidence, objections, applications, eligibility (SPEC §4)

CREATE TABLE credit.repair_evidence (
    evidence_id    bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    record_id      bigint NOT NULL REFERENCES credit.record,
    kind           text NOT NULL CHECK (kind IN ('commitment', 'interview', 'training', 'credit_report')),
    provided_on    date NOT NULL DEFAULT current_date,
    training_hours numeric CHECK (training_hours > 0),
    reference      text,
    CHECK ((kind = 'training') = (training_hours IS NOT NULL))
);
CREATE INDEX repair_evidence_record ON credit.repair_evidence (record_id);
COMMENT ON TABLE credit.repair_evidence IS
    'what an applicant has provided for the repair of a record: credit commitment (信用承诺), interview (约谈), training (培训, with class hours), credit report (信用报告)';
COMMENT ON COLUMN credit.repair_evidence.evidence_id IS 'surrogate key';
COMMENT ON COLUMN credit.repair_evidence.record_id IS 'the record being repaired';
COMMENT ON COLUMN credit.repair_evidence.kind IS 'commitment, interview, training or credit_report';
COMMENT ON COLUMN credit.repair_evidence.provided_on IS 'date provided';
COMMENT ON COLUMN credit.repair_evidence.training_hours IS 'class hours (training only)';
COMMENT ON COLUMN credit.repair_evidence.reference IS 'document or certificate number';

CREATE TABLE credit.repair_application (
    application_id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    record_id           bigint NOT NULL REFERENCES credit.record,
    applicant           text NOT NULL,
    submitted_on        date NOT NULL DEFAULT current_date,
    state               text NOT NULL DEFAULT 'submitted'
                        CHECK (state IN ('submitted', 'accepted', 'noticed', 'approved', 'rejected', 'processed')),
    accepted_on         date,
    noticed_on          date,
    notice_last_day     date,
    decided_on          date,
    decision_note       text,
    processing_deadline date,
    processed_on        date
);
CREATE INDEX repair_application_record ON credit.repair_application (record_id);
CREATE UNIQUE INDEX repair_application_one_open ON credit.repair_application (record_id)
    WHERE state IN ('submitted', 'accepted', 'noticed', 'approved');
COMMENT ON TABLE credit.repair_application IS
    'repair applications; state machine submitted -> accepted -> noticed -> approved | rejected -> processed, enforced by triggers';
COMMENT ON COLUMN credit.repair_application.application_id IS 'surrogate key';
COMMENT ON COLUMN credit.repair_application.record_id IS 'the record to repair';
COMMENT ON COLUMN credit.repair_application.applicant IS 'who applies';
COMMENT ON COLUMN credit.repair_application.submitted_on IS 'date submitted';
COMMENT ON COLUMN credit.repair_application.state IS 'submitted, accepted, noticed, approved, rejected or processed';
COMMENT ON COLUMN credit.repair_application.accepted_on IS 'date accepted for review (eligibility checked on that day)';
COMMENT ON COLUMN credit.repair_application.noticed_on IS 'first day of the public notice of the repair';
COMMENT ON COLUMN credit.repair_application.notice_last_day IS 'last day of the notice: noticed_on + the ruleset''s notice working days';
COMMENT ON COLUMN credit.repair_application.decided_on IS 'date of the decision (approval or rejection)';
COMMENT ON COLUMN credit.repair_application.decision_note IS 'reasons for the decision';
COMMENT ON COLUMN credit.repair_application.processing_deadline IS 'last day to process an approved repair: decided_on + the ruleset''s processing working days';
COMMENT ON COLUMN credit.repair_application.processed_on IS 'date processed (the record then becomes repaired)';

CREATE TABLE credit.objection (
    objection_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    record_id      bigint NOT NULL REFERENCES credit.record,
    application_id bigint REFERENCES credit.repair_application,
    raised_on      date NOT NULL DEFAULT current_date,
    raised_by      text NOT NULL,
    reason         text NOT NULL,
    state          text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'upheld', 'dismissed')),
    resolved_on    date,
    resolution     text,
    CHECK ((state = 'open') = (resolved_on IS NULL)),
    CHECK (resolved_on >= raised_on)
);
CREATE INDEX objection_record ON credit.objection (record_id);
COMMENT ON TABLE credit.objection IS
    'objections (异议): against a record (application_id NULL: the record is under verification and its sanction inactive while open) or against a repair under notice (sends the application back to review)';
COMMENT ON COLUMN credit.objection.objection_id IS 'surrogate key';
COMMENT ON COLUMN credit.objection.record_id IS 'the record objected to';
COMMENT ON COLUMN credit.objection.application_id IS 'the repair application objected to, if the objection is against a repair';
COMMENT ON COLUMN credit.objection.raised_on IS 'date raised';
COMMENT ON COLUMN credit.objection.raised_by IS 'who objects';
COMMENT ON COLUMN credit.objection.reason IS 'grounds of the objection';
COMMENT ON COLUMN credit.objection.state IS 'open, upheld or dismissed';
COMMENT ON COLUMN credit.objection.resolved_on IS 'date resolved';
COMMENT ON COLUMN credit.objection.resolution IS 'outcome of the verification';

SELECT pg_catalog.pg_extension_config_dump('credit.repair_evidence', '');
SELECT pg_catalog.pg_extension_config_dump('credit.repair_application', '');
SELECT pg_catalog.pg_extension_config_dump('credit.objection', '');
SELECT pg_catalog.pg_extension_config_dump('credit.repair_evidence_evidence_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('credit.repair_application_application_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('credit.objection_objection_id_seq', '');
CREATE TRIGGER repair_evidence_no_delete BEFORE DELETE ON credit.repair_evidence
    FOR EACH ROW EXECUTE FUNCTION credit.refuse_delete();
CREATE TRIGGER repair_application_no_delete BEFORE DELETE ON credit.repair_application
    FOR EACH ROW EXECUTE FUNCTION credit.refuse_delete();
CREATE TRIGGER objection_no_delete BEFORE DELETE ON credit.objection
    FOR EACH ROW EXECUTE FUNCTION credit.refuse_delete();
CREATE TRIGGER repair_evidence_no_truncate BEFORE TRUNCATE ON credit.repair_evidence
    FOR EACH STATEMENT EXECUTE FUNCTION credit.refuse_delete();
CREATE TRIGGER repair_application_no_truncate BEFORE TRUNCATE ON credit.repair_application
    FOR EACH STATEMENT EXECUTE FUNCTION credit.refuse_delete();
CREATE TRIGGER objection_no_truncate BEFORE TRUNCATE ON credit.objection
    FOR EACH STATEMENT EXECUTE FUNCTION credit.refuse_delete();

-- record.evidence_count follows the evidence (recomputed, so a restore stays right)
CREATE FUNCTION credit.evidence_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    UPDATE credit.record r
    SET evidence_count = (SELECT count(*) FROM credit.repair_evidence e WHERE e.record_id = r.record_id)
    WHERE r.record_id IN (NEW.record_id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.record_id END);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION credit.evidence_changed() IS 'trigger: keeps record.evidence_count';
CREATE TRIGGER evidence_changed AFTER INSERT OR UPDATE OF record_id ON credit.repair_evidence
    FOR EACH ROW EXECUTE FUNCTION credit.evidence_changed();

-- eligibility (C): every applicable reason, and the first date the time-based conditions hold
CREATE FUNCTION credit.repair_eligibility(record_id bigint, as_of date DEFAULT current_date,
        OUT eligible boolean, OUT earliest_on date, OUT reasons text[])
    AS 'MODULE_PATHNAME', 'credit_repair_eligibility' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.repair_eligibility(bigint, date) IS
    'whether a record may be repaired on as_of, the first date its time-based conditions hold (NULL: never), and every reason against: min_period_not_elapsed, not_repairable_category, not_corrected, same_type_repaired_recently, repair_limit_reached, commitment_missing, interview_missing, training_missing, credit_report_missing, objection_open, already_repaired, not_published, expired';

CREATE FUNCTION credit.sanction_active(record_id bigint, as_of date DEFAULT current_date) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
    SELECT r.state IN ('published', 'under_repair')
       AND r.publicity_starts <= as_of
       AND (r.publicity_max_end IS NULL OR as_of < r.publicity_max_end)
       AND NOT EXISTS (SELECT 1 FROM credit.objection o
                       WHERE o.record_id = r.record_id AND o.application_id IS NULL
                         AND o.raised_on <= as_of AND (o.resolved_on IS NULL OR o.resolved_on > as_of))
    FROM credit.record r WHERE r.record_id = sanction_active.record_id
$$;
COMMENT ON FUNCTION credit.sanction_active(bigint, date) IS
    'true while the record is published (or under repair) inside its window and no objection to it is open; NULL for an unknown record';

-- raise unless the record may be repaired on the day (acceptance and approval)
CREATE FUNCTION credit.repair_require_eligible(record_id bigint, on_day date) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    elig record;
BEGIN
    elig := credit.repair_eligibility(record_id, on_day);
    IF NOT elig.eligible THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('record %s is not eligible for repair on %s'), record_id, on_day),
            ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = format(credit.tr('Reasons: %s.'), array_to_string(elig.reasons, ', ')),
            HINT = CASE WHEN elig.earliest_on IS NULL THEN credit.tr('The record can never be repaired.')
                        WHEN elig.earliest_on > on_day
                        THEN format(credit.tr('The time-based conditions hold from %s.'), elig.earliest_on)
                        ELSE credit.tr('See credit.repair_eligibility() for what is missing.') END;
    END IF;
END $$;
COMMENT ON FUNCTION credit.repair_require_eligible(bigint, date) IS
    'raises object_not_in_prerequisite_state with the reasons unless repair_eligibility() is true on the day';

-- the application state machine
CREATE FUNCTION credit.repair_application_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    rec    credit.record;
    rs     credit.ruleset;
    on_day date;
    nexts  text[];
BEGIN
    SELECT * INTO rec FROM credit.record WHERE record_id = NEW.record_id;
    SELECT * INTO rs FROM credit.ruleset WHERE ruleset = rec.ruleset;

    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'submitted' THEN
            -- an application inserted in a later state is history being
            -- imported (or restored by pg_restore): it must carry the dates
            -- of the steps it claims, and changes nothing else
            IF (NEW.state IN ('accepted', 'noticed', 'approved', 'processed') AND NEW.accepted_on IS NULL)
               OR (NEW.state = 'noticed' AND (NEW.noticed_on IS NULL OR NEW.notice_last_day IS NULL))
               OR (NEW.state IN ('approved', 'rejected', 'processed') AND NEW.decided_on IS NULL)
               OR (NEW.state = 'processed' AND NEW.processed_on IS NULL) THEN
                RAISE EXCEPTION USING
                    MESSAGE = format(credit.tr('an imported repair application in state "%s" lacks the dates of its steps'), NEW.state),
                    ERRCODE = 'not_null_violation',
                    HINT = credit.tr('New applications start as "submitted"; imported ones need accepted_on, noticed_on, notice_last_day, decided_on and processed_on as their state requires.');
            END IF;
            RETURN NEW;
        END IF;
        IF rec.state NOT IN ('published', 'under_repair') THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('record %s is %s, there is nothing to repair'), rec.record_id, rec.state),
                ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        RETURN NEW;
    END IF;

    IF NEW.record_id <> OLD.record_id THEN
        RAISE EXCEPTION USING
            MESSAGE = credit.tr('a repair application cannot move to another record'),
            ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF NEW.state = OLD.state THEN
        RETURN NEW;
    END IF;

    nexts := CASE OLD.state
        WHEN 'submitted' THEN ARRAY['accepted', 'rejected']
        WHEN 'accepted'  THEN CASE WHEN rs.notice_working_days = 0
                                   THEN ARRAY['noticed', 'approved', 'rejected']
                                   ELSE ARRAY['noticed', 'rejected'] END
        WHEN 'noticed'   THEN ARRAY['approved', 'rejected', 'accepted']
        WHEN 'approved'  THEN ARRAY['processed']
        WHEN 'rejected'  THEN ARRAY['processed']
        ELSE '{}'::text[] END;
    IF NOT NEW.state = ANY (nexts) THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('repair application %s cannot go from "%s" to "%s"'), OLD.application_id, OLD.state, NEW.state),
            ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = CASE WHEN cardinality(nexts) = 0 THEN format(credit.tr('"%s" is final.'), OLD.state)
                          ELSE format(credit.tr('From "%s" it may go to: %s.'), OLD.state, array_to_string(nexts, ', ')) END,
            HINT = CASE WHEN OLD.state = 'accepted' AND NEW.state = 'approved'
                        THEN format(credit.tr('Ruleset "%s" requires a public notice of %s working days first.'),
                                    rs.ruleset, rs.notice_working_days)
                        ELSE credit.tr('Change the state one step at a time.') END;
    END IF;

    IF NEW.state = 'accepted' THEN
        on_day := coalesce(NEW.accepted_on, current_date);
        IF OLD.state = 'submitted' THEN
            IF on_day < NEW.submitted_on THEN
                RAISE EXCEPTION USING
                    MESSAGE = format(credit.tr('accepted_on %s is before submitted_on %s'), on_day, NEW.submitted_on),
                    ERRCODE = 'check_violation';
            END IF;
            PERFORM credit.repair_require_eligible(NEW.record_id, on_day);
            NEW.accepted_on := on_day;
            IF rec.state = 'published' THEN
                UPDATE credit.record SET state = 'under_repair' WHERE record_id = NEW.record_id;
            END IF;
        ELSE
            -- back from notice to review (an objection, or by hand)
            NEW.noticed_on := NULL;
            NEW.notice_last_day := NULL;
        END IF;
    ELSIF NEW.state = 'noticed' THEN
        on_day := coalesce(NEW.noticed_on, current_date);
        IF on_day < NEW.accepted_on THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('noticed_on %s is before accepted_on %s'), on_day, NEW.accepted_on),
                ERRCODE = 'check_violation';
        END IF;
        IF EXISTS (SELECT 1 FROM credit.objection o WHERE o.record_id = NEW.record_id AND o.state = 'open') THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('record %s has an open objection; resolve it before the notice'), NEW.record_id),
                ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        NEW.noticed_on := on_day;
        NEW.notice_last_day := credit.add_working_days(on_day, rs.notice_working_days);
    ELSIF NEW.state = 'approved' THEN
        on_day := coalesce(NEW.decided_on, current_date);
        IF OLD.state = 'noticed' AND on_day <= NEW.notice_last_day THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('the notice of repair application %s runs until %s'), NEW.application_id, NEW.notice_last_day),
                ERRCODE = 'object_not_in_prerequisite_state',
                HINT = format(credit.tr('Approve on %s or later.'), NEW.notice_last_day + 1);
        END IF;
        IF on_day < NEW.accepted_on THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('decided_on %s is before accepted_on %s'), on_day, NEW.accepted_on),
                ERRCODE = 'check_violation';
        END IF;
        PERFORM credit.repair_require_eligible(NEW.record_id, on_day);
        NEW.decided_on := on_day;
        NEW.processing_deadline := credit.add_working_days(on_day, rs.processing_working_days);
    ELSIF NEW.state = 'rejected' THEN
        NEW.decided_on := coalesce(NEW.decided_on, current_date);
        IF rec.state = 'under_repair' THEN
            UPDATE credit.record SET state = 'published' WHERE record_id = NEW.record_id;
        END IF;
    ELSIF NEW.state = 'processed' THEN
        on_day := coalesce(NEW.processed_on, current_date);
        IF on_day < NEW.decided_on THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('processed_on %s is before decided_on %s'), on_day, NEW.decided_on),
                ERRCODE = 'check_violation';
        END IF;
        NEW.processed_on := on_day;
        IF OLD.state = 'approved' THEN
            UPDATE credit.record SET state = 'repaired', repair_decided_on = NEW.decided_on
            WHERE record_id = NEW.record_id;
        END IF;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION credit.repair_application_guard() IS
    'trigger: the repair application state machine, eligibility checks, notice and processing dates in working days, and the record state';
CREATE TRIGGER repair_application_guard BEFORE INSERT OR UPDATE ON credit.repair_application
    FOR EACH ROW EXECUTE FUNCTION credit.repair_application_guard();

-- objections: mark the record, send a noticed application back to review
CREATE FUNCTION credit.objection_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.state = 'open' THEN
        UPDATE credit.repair_application SET state = 'accepted'
        WHERE record_id = NEW.record_id AND state = 'noticed';
    END IF;
    -- recomputed from the table, so a restore (which replays the inserts) stays right
    UPDATE credit.record r
    SET objection_count = (SELECT count(*) FROM credit.objection o WHERE o.record_id = r.record_id),
        under_verification = EXISTS (SELECT 1 FROM credit.objection o
                                     WHERE o.record_id = r.record_id AND o.application_id IS NULL
                                       AND o.state = 'open')
    WHERE r.record_id = NEW.record_id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION credit.objection_changed() IS
    'trigger: keeps record.under_verification and objection_count, and sends a noticed repair application back to review';
CREATE TRIGGER objection_changed AFTER INSERT OR UPDATE OF state, resolved_on ON credit.objection
    FOR EACH ROW EXECUTE FUNCTION credit.objection_changed();

-- records eligible for repair today
CREATE VIEW credit.repair_candidate AS
SELECT r.record_id, s.subject_id, s.name AS subject_name, s.uscc, credit.mask(s.rid) AS rid_masked,
       r.category, r.severity, r.ruleset, r.authority, r.decided_on,
       r.publicity_min_end AS repairable_since, r.publicity_max_end AS shown_until,
       r.state = 'under_repair' AS under_repair
FROM credit.record r
JOIN credit.subject s ON s.subject_id = r.subject_id
WHERE r.state IN ('published', 'under_repair')
  AND r.publicity_min_end <= current_date
  AND (credit.repair_eligibility(r.record_id, current_date)).eligible;
COMMENT ON VIEW credit.repair_candidate IS 'records that may be repaired today (credit.repair_eligibility is true), IDs masked';
COMMENT ON COLUMN credit.repair_candidate.record_id IS 'record key';
COMMENT ON COLUMN credit.repair_candidate.subject_id IS 'subject key';
COMMENT ON COLUMN credit.repair_candidate.subject_name IS 'name of the subject';
COMMENT ON COLUMN credit.repair_candidate.uscc IS 'code of an organisation';
COMMENT ON COLUMN credit.repair_candidate.rid_masked IS 'masked resident ID number of a person';
COMMENT ON COLUMN credit.repair_candidate.category IS 'record category';
COMMENT ON COLUMN credit.repair_candidate.severity IS 'severity';
COMMENT ON COLUMN credit.repair_candidate.ruleset IS 'ruleset of the record';
COMMENT ON COLUMN credit.repair_candidate.authority IS 'deciding authority';
COMMENT ON COLUMN credit.repair_candidate.decided_on IS 'date of the decision';
COMMENT ON COLUMN credit.repair_candidate.repairable_since IS 'first day repair could be applied for';
COMMENT ON COLUMN credit.repair_candidate.shown_until IS 'first day the record is no longer shown';
COMMENT ON COLUMN credit.repair_candidate.under_repair IS 'an application is already in progress';

-- Risk classification (分类监管): classes, aggregates, models, monthly
-- classification, report views and 双随机 inspection sampling (SPEC §5)

CREATE TYPE credit.credit_class AS ENUM ('A', 'B', 'C', 'D');
COMMENT ON TYPE credit.credit_class IS 'credit risk class, ordered A < B < C < D (A = low risk)';

-- ------------------------------------------------- aggregate state types
-- fixed length, updated in place by the transition functions; not
-- `internal`, so parallel query and Citus can combine partial states
CREATE TYPE credit.risk_acc;
CREATE FUNCTION credit.risk_acc_in(cstring) RETURNS credit.risk_acc
    AS 'MODULE_PATHNAME', 'risk_acc_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.risk_acc_out(credit.risk_acc) RETURNS cstring
    AS 'MODULE_PATHNAME', 'risk_acc_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE credit.risk_acc (INPUT = credit.risk_acc_in, OUTPUT = credit.risk_acc_out,
    INTERNALLENGTH = 88, ALIGNMENT = double, STORAGE = plain);
COMMENT ON TYPE credit.risk_acc IS 'transition state of risk_score and risk_class: weighted sums, cap counts, thresholds';
COMMENT ON FUNCTION credit.risk_acc_in(cstring) IS 'input of credit.risk_acc: (sum_ws,sum_w,nscored,nA,nB,nC,nD,tA,tB,tC)';
COMMENT ON FUNCTION credit.risk_acc_out(credit.risk_acc) IS 'output of credit.risk_acc (exact doubles)';

CREATE TYPE credit.class_tally;
CREATE FUNCTION credit.class_tally_in(cstring) RETURNS credit.class_tally
    AS 'MODULE_PATHNAME', 'class_tally_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.class_tally_out(credit.class_tally) RETURNS cstring
    AS 'MODULE_PATHNAME', 'class_tally_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE credit.class_tally (INPUT = credit.class_tally_in, OUTPUT = credit.class_tally_out,
    INTERNALLENGTH = 32, ALIGNMENT = double, STORAGE = plain);
COMMENT ON TYPE credit.class_tally IS 'transition state of class_counts: four counts {A,B,C,D}';
COMMENT ON FUNCTION credit.class_tally_in(cstring) IS 'input of credit.class_tally: {nA,nB,nC,nD}';
COMMENT ON FUNCTION credit.class_tally_out(credit.class_tally) IS 'output of credit.class_tally';

CREATE TYPE credit.migration_tally;
CREATE FUNCTION credit.migration_tally_in(cstring) RETURNS credit.migration_tally
    AS 'MODULE_PATHNAME', 'migration_tally_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.migration_tally_out(credit.migration_tally) RETURNS cstring
    AS 'MODULE_PATHNAME', 'migration_tally_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE credit.migration_tally (INPUT = credit.migration_tally_in, OUTPUT = credit.migration_tally_out,
    INTERNALLENGTH = 128, ALIGNMENT = double, STORAGE = plain);
COMMENT ON TYPE credit.migration_tally IS 'transition state of class_migration: 16 counts, row = from class, column = to class';
COMMENT ON FUNCTION credit.migration_tally_in(cstring) IS 'input of credit.migration_tally: {16 counts, row by row}';
COMMENT ON FUNCTION credit.migration_tally_out(credit.migration_tally) IS 'output of credit.migration_tally';

-- ------------------------------------------------------------ aggregates
CREATE FUNCTION credit.risk_score_trans(credit.risk_acc, float8, float8) RETURNS credit.risk_acc
    AS 'MODULE_PATHNAME', 'risk_score_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION credit.risk_class_trans(credit.risk_acc, float8, float8, credit.credit_class) RETURNS credit.risk_acc
    AS 'MODULE_PATHNAME', 'risk_class_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION credit.risk_class_trans(credit.risk_acc, float8, float8, credit.credit_class, float8[]) RETURNS credit.risk_acc
    AS 'MODULE_PATHNAME', 'risk_class_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION credit.risk_acc_combine(credit.risk_acc, credit.risk_acc) RETURNS credit.risk_acc
    AS 'MODULE_PATHNAME', 'risk_acc_combine_fn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION credit.risk_score_final(credit.risk_acc) RETURNS float8
    AS 'MODULE_PATHNAME', 'risk_score_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION credit.risk_class_final(credit.risk_acc) RETURNS credit.credit_class
    AS 'MODULE_PATHNAME', 'risk_class_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.risk_score_trans(credit.risk_acc, float8, float8) IS 'transition function of risk_score';
COMMENT ON FUNCTION credit.risk_class_trans(credit.risk_acc, float8, float8, credit.credit_class) IS 'transition function of risk_class (default thresholds)';
COMMENT ON FUNCTION credit.risk_class_trans(credit.risk_acc, float8, float8, credit.credit_class, float8[]) IS 'transition function of risk_class';
COMMENT ON FUNCTION credit.risk_acc_combine(credit.risk_acc, credit.risk_acc) IS 'combine function of risk_score and risk_class';
COMMENT ON FUNCTION credit.risk_score_final(credit.risk_acc) IS 'final function of risk_score';
COMMENT ON FUNCTION credit.risk_class_final(credit.risk_acc) IS 'final function of risk_class';

CREATE AGGREGATE credit.risk_score(score float8, weight float8) (
    SFUNC = credit.risk_score_trans, STYPE = credit.risk_acc,
    COMBINEFUNC = credit.risk_acc_combine, FINALFUNC = credit.risk_score_final,
    PARALLEL = SAFE);
CREATE AGGREGATE credit.risk_class(score float8, weight float8, cap credit.credit_class, thresholds float8[]) (
    SFUNC = credit.risk_class_trans, STYPE = credit.risk_acc,
    COMBINEFUNC = credit.risk_acc_combine, FINALFUNC = credit.risk_class_final,
    PARALLEL = SAFE);
CREATE AGGREGATE credit.risk_class(score float8, weight float8, cap credit.credit_class) (
    SFUNC = credit.risk_class_trans, STYPE = credit.risk_acc,
    COMBINEFUNC = credit.risk_acc_combine, FINALFUNC = credit.risk_class_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE credit.risk_score(float8, float8) IS
    'weighted mean of scores (0-100); rows without score or weight are skipped; NULL when nothing is scored';
COMMENT ON AGGREGATE credit.risk_class(float8, float8, credit.credit_class, float8[]) IS
    'class of the weighted mean score under thresholds {A,B,C} (minimum scores; NULL: 90,75,60), made no better than the worst cap seen (a cap row may have no score)';
COMMENT ON AGGREGATE credit.risk_class(float8, float8, credit.credit_class) IS
    'risk_class with the default thresholds {90,75,60}';

CREATE FUNCTION credit.risk_class_of(score float8, thresholds float8[] DEFAULT NULL) RETURNS credit.credit_class
    AS 'MODULE_PATHNAME', 'risk_class_of' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.risk_class_of(float8, float8[]) IS
    'the class of one score under thresholds {A,B,C} (NULL: the default 90,75,60); NULL score gives NULL';

CREATE FUNCTION credit.class_counts_trans(credit.class_tally, credit.credit_class) RETURNS credit.class_tally
    AS 'MODULE_PATHNAME', 'class_counts_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.class_counts_inv(credit.class_tally, credit.credit_class) RETURNS credit.class_tally
    AS 'MODULE_PATHNAME', 'class_counts_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.class_tally_combine(credit.class_tally, credit.class_tally) RETURNS credit.class_tally
    AS 'MODULE_PATHNAME', 'class_tally_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.class_counts_final(credit.class_tally) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'class_counts_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.class_counts_trans(credit.class_tally, credit.credit_class) IS 'transition function of class_counts';
COMMENT ON FUNCTION credit.class_counts_inv(credit.class_tally, credit.credit_class) IS 'inverse transition of class_counts (moving windows)';
COMMENT ON FUNCTION credit.class_tally_combine(credit.class_tally, credit.class_tally) IS 'combine function of class_counts';
COMMENT ON FUNCTION credit.class_counts_final(credit.class_tally) IS 'final function of class_counts: bigint[] {A,B,C,D}';
CREATE AGGREGATE credit.class_counts(credit.credit_class) (
    SFUNC = credit.class_counts_trans, STYPE = credit.class_tally, INITCOND = '{0,0,0,0}',
    COMBINEFUNC = credit.class_tally_combine, FINALFUNC = credit.class_counts_final,
    MSFUNC = credit.class_counts_trans, MINVFUNC = credit.class_counts_inv,
    MSTYPE = credit.class_tally, MINITCOND = '{0,0,0,0}', MFINALFUNC = credit.class_counts_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE credit.class_counts(credit.credit_class) IS
    'counts per class as bigint[] {A,B,C,D}; NULLs are not counted; {0,0,0,0} for no rows';

CREATE FUNCTION credit.class_migration_trans(credit.migration_tally, credit.credit_class, credit.credit_class) RETURNS credit.migration_tally
    AS 'MODULE_PATHNAME', 'class_migration_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.class_migration_inv(credit.migration_tally, credit.credit_class, credit.credit_class) RETURNS credit.migration_tally
    AS 'MODULE_PATHNAME', 'class_migration_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.migration_tally_combine(credit.migration_tally, credit.migration_tally) RETURNS credit.migration_tally
    AS 'MODULE_PATHNAME', 'migration_tally_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION credit.class_migration_final(credit.migration_tally) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'class_migration_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.class_migration_trans(credit.migration_tally, credit.credit_class, credit.credit_class) IS 'transition function of class_migration';
COMMENT ON FUNCTION credit.class_migration_inv(credit.migration_tally, credit.credit_class, credit.credit_class) IS 'inverse transition of class_migration (moving windows)';
COMMENT ON FUNCTION credit.migration_tally_combine(credit.migration_tally, credit.migration_tally) IS 'combine function of class_migration';
COMMENT ON FUNCTION credit.class_migration_final(credit.migration_tally) IS 'final function of class_migration: bigint[4][4]';
CREATE AGGREGATE credit.class_migration("from" credit.credit_class, "to" credit.credit_class) (
    SFUNC = credit.class_migration_trans, STYPE = credit.migration_tally,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    COMBINEFUNC = credit.migration_tally_combine, FINALFUNC = credit.class_migration_final,
    MSFUNC = credit.class_migration_trans, MINVFUNC = credit.class_migration_inv,
    MSTYPE = credit.migration_tally, MINITCOND = '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}',
    MFINALFUNC = credit.class_migration_final,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE credit.class_migration(credit.credit_class, credit.credit_class) IS
    'transition counts as bigint[4][4]: [from][to], A..D; rows with a NULL side are not counted';

-- ------------------------------------------------------------ the models
CREATE TABLE credit.risk_model (
    model         text PRIMARY KEY CHECK (model ~ '^[a-z0-9][a-z0-9_-]*$'),
    name          text NOT NULL,
    thresholds    float8[] NOT NULL DEFAULT '{90,75,60}'
                  CHECK (cardinality(thresholds) = 3 AND array_position(thresholds, NULL) IS NULL
                         AND thresholds[1] <= 100 AND thresholds[1] >= thresholds[2]
                         AND thresholds[2] >= thresholds[3] AND thresholds[3] >= 0),
    default_class credit.credit_class NOT NULL DEFAULT 'B',
    is_default    boolean NOT NULL DEFAULT false,
    builtin       boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX risk_model_one_default ON credit.risk_model (is_default) WHERE is_default;
COMMENT ON TABLE credit.risk_model IS 'risk classification models: thresholds, default class, with indicators (risk_indicator) and caps (risk_cap)';
COMMENT ON COLUMN credit.risk_model.model IS 'stable code';
COMMENT ON COLUMN credit.risk_model.name IS 'title';
COMMENT ON COLUMN credit.risk_model.thresholds IS 'minimum weighted mean score for A, B and C';
COMMENT ON COLUMN credit.risk_model.default_class IS 'class of a subject with no indicator scores and no cap';
COMMENT ON COLUMN credit.risk_model.is_default IS 'the model classify_period uses when none is named (at most one)';
COMMENT ON COLUMN credit.risk_model.builtin IS 'true for the model shipped with the extension';

CREATE TABLE credit.risk_indicator (
    model     text NOT NULL REFERENCES credit.risk_model ON UPDATE CASCADE ON DELETE CASCADE,
    indicator text NOT NULL CHECK (indicator ~ '^[a-z][a-z0-9_]*$'),
    name      text NOT NULL,
    weight    float8 NOT NULL CHECK (weight >= 0 AND weight < 'infinity'),
    builtin   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (model, indicator)
);
COMMENT ON TABLE credit.risk_indicator IS 'the indicators of a model and their weights';
COMMENT ON COLUMN credit.risk_indicator.model IS 'the model';
COMMENT ON COLUMN credit.risk_indicator.indicator IS 'stable indicator code, as in indicator_value';
COMMENT ON COLUMN credit.risk_indicator.name IS 'what the indicator measures';
COMMENT ON COLUMN credit.risk_indicator.weight IS 'weight in the weighted mean';
COMMENT ON COLUMN credit.risk_indicator.builtin IS 'true for the shipped model''s indicators';

CREATE TABLE credit.risk_cap (
    model    text NOT NULL REFERENCES credit.risk_model ON UPDATE CASCADE ON DELETE CASCADE,
    category text NOT NULL REFERENCES credit.record_category ON UPDATE CASCADE,
    cap      credit.credit_class NOT NULL,
    builtin  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (model, category)
);
COMMENT ON TABLE credit.risk_cap IS
    'veto rules: a subject with a record of this category in force is classed no better than cap (serious-dishonesty list => D)';
COMMENT ON COLUMN credit.risk_cap.model IS 'the model';
COMMENT ON COLUMN credit.risk_cap.category IS 'record category';
COMMENT ON COLUMN credit.risk_cap.cap IS 'the best class such a subject can have';
COMMENT ON COLUMN credit.risk_cap.builtin IS 'true for the shipped model''s caps';

INSERT INTO credit.risk_model (model, name, thresholds, default_class, is_default, builtin)
VALUES ('default', '企业信用风险分类（默认模型）', '{90,75,60}', 'B', true, true);
INSERT INTO credit.risk_indicator (model, indicator, name, weight, builtin) VALUES
    ('default', 'basic',      '基础信息（登记、年报、存续）', 0.15, true),
    ('default', 'operations', '经营状况', 0.20, true),
    ('default', 'compliance', '监管信息（处罚、抽查结果）', 0.35, true),
    ('default', 'tax',        '纳税信用', 0.15, true),
    ('default', 'social',     '社会评价（投诉举报）', 0.15, true);
INSERT INTO credit.risk_cap (model, category, cap, builtin) VALUES
    ('default', 'serious_dishonesty_list', 'D', true),
    ('default', 'abnormal_operations', 'C', true);

CREATE TABLE credit.indicator_value (
    period     date NOT NULL CHECK (period = date_trunc('month', period)),
    subject_id bigint NOT NULL REFERENCES credit.subject,
    indicator  text NOT NULL,
    score      float8 NOT NULL CHECK (score >= 0 AND score <= 100),
    PRIMARY KEY (period, subject_id, indicator)
);
COMMENT ON TABLE credit.indicator_value IS 'monthly indicator scores (0-100) per subject';
COMMENT ON COLUMN credit.indicator_value.period IS 'the month (its first day)';
COMMENT ON COLUMN credit.indicator_value.subject_id IS 'the subject';
COMMENT ON COLUMN credit.indicator_value.indicator IS 'indicator code (risk_indicator.indicator)';
COMMENT ON COLUMN credit.indicator_value.score IS 'score, 0 (worst) to 100 (best)';

CREATE TABLE credit.classification (
    period        date NOT NULL CHECK (period = date_trunc('month', period)),
    subject_id    bigint NOT NULL REFERENCES credit.subject,
    model         text NOT NULL REFERENCES credit.risk_model ON UPDATE CASCADE,
    score         float8,
    class         credit.credit_class NOT NULL,
    capped        boolean NOT NULL,
    classified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (period, subject_id)
);
CREATE INDEX classification_subject ON credit.classification (subject_id, period);
COMMENT ON TABLE credit.classification IS 'the monthly classification of every subject (credit.classify_period)';
COMMENT ON COLUMN credit.classification.period IS 'the month (its first day)';
COMMENT ON COLUMN credit.classification.subject_id IS 'the subject';
COMMENT ON COLUMN credit.classification.model IS 'the model used';
COMMENT ON COLUMN credit.classification.score IS 'weighted mean score (NULL: no indicator scores)';
COMMENT ON COLUMN credit.classification.class IS 'the class';
COMMENT ON COLUMN credit.classification.capped IS 'the class was made worse by a veto (risk_cap)';
COMMENT ON COLUMN credit.classification.classified_at IS 'when classify_period ran';

CREATE TABLE credit.inspector (
    inspector_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name         text NOT NULL,
    authority    text,
    active       boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE credit.inspector IS 'law-enforcement inspectors (执法检查人员) for 双随机 sampling';
COMMENT ON COLUMN credit.inspector.inspector_id IS 'surrogate key';
COMMENT ON COLUMN credit.inspector.name IS 'name';
COMMENT ON COLUMN credit.inspector.authority IS 'the authority the inspector belongs to';
COMMENT ON COLUMN credit.inspector.active IS 'available for drawing';

SELECT pg_catalog.pg_extension_config_dump('credit.risk_model', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('credit.risk_indicator', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('credit.risk_cap', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('credit.indicator_value', '');
SELECT pg_catalog.pg_extension_config_dump('credit.classification', '');
SELECT pg_catalog.pg_extension_config_dump('credit.inspector', '');
SELECT pg_catalog.pg_extension_config_dump('credit.inspector_inspector_id_seq', '');
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.risk_model
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.risk_model
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.risk_model
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.risk_indicator
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.risk_indicator
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.risk_indicator
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.risk_cap
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.risk_cap
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.risk_cap
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();

-- -------------------------------------------------- monthly classification
CREATE FUNCTION credit.classify_period(period date, model text DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m        credit.risk_model;
    month    date := date_trunc('month', period)::date;
    last_day date := (date_trunc('month', period) + interval '1 month - 1 day')::date;
    n        bigint;
BEGIN
    IF period IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = credit.tr('classify_period needs a period'), ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT * INTO m FROM credit.risk_model r
    WHERE r.model = coalesce(classify_period.model, (SELECT d.model FROM credit.risk_model d WHERE d.is_default));
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('unknown risk model "%s"'), coalesce(classify_period.model, '(default)')),
            ERRCODE = 'undefined_object',
            HINT = credit.tr('Name a model of credit.risk_model, or mark one is_default.');
    END IF;

    -- re-running a month replaces it
    DELETE FROM credit.classification c WHERE c.period = month;

    INSERT INTO credit.classification (period, subject_id, model, score, class, capped)
    SELECT month, s.subject_id, m.model, x.score,
           coalesce(x.class, m.default_class),
           x.class IS NOT NULL AND x.class IS DISTINCT FROM x.uncapped
    FROM credit.subject s
    LEFT JOIN (
        SELECT f.subject_id,
               credit.risk_score(f.score, f.weight) AS score,
               credit.risk_class(f.score, f.weight, f.cap, m.thresholds) AS class,
               credit.risk_class(f.score, f.weight, NULL::credit.credit_class, m.thresholds) AS uncapped
        FROM (
            -- the month's indicator scores with the model's weights
            SELECT v.subject_id, v.score, i.weight, NULL::credit.credit_class AS cap
            FROM credit.indicator_value v
            JOIN credit.risk_indicator i ON i.model = m.model AND i.indicator = v.indicator
            WHERE v.period = month
            UNION ALL
            -- caps from records in force on the last day of the month
            SELECT r.subject_id, NULL, NULL, c.cap
            FROM credit.record r
            JOIN credit.risk_cap c ON c.model = m.model AND c.category = r.category
            WHERE r.publicity_starts <= last_day
              AND (r.publicity_max_end IS NULL OR last_day < r.publicity_max_end)
              AND NOT r.under_verification
              AND (r.state IN ('published', 'under_repair', 'expired')
                   OR (r.state = 'repaired' AND r.repair_decided_on > last_day))
        ) f
        GROUP BY f.subject_id
    ) x ON x.subject_id = s.subject_id;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
COMMENT ON FUNCTION credit.classify_period(date, text) IS
    'classify every subject for the month of period in one statement (risk_score / risk_class over the month''s indicator scores and the caps of records in force on its last day); re-running replaces the month; returns the number of subjects';

-- --------------------------------------------------------- report views
CREATE VIEW credit.class_distribution AS
WITH grid AS (
    SELECT DISTINCT c.period, coalesce(left(s.region, 2), '00') AS province
    FROM credit.classification c JOIN credit.subject s ON s.subject_id = c.subject_id
), counts AS (
    SELECT c.period, coalesce(left(s.region, 2), '00') AS province, c.class, count(*) AS subjects
    FROM credit.classification c JOIN credit.subject s ON s.subject_id = c.subject_id
    GROUP BY 1, 2, 3
)
SELECT g.period,
       g.province,
       p.name AS province_name,
       k.class,
       coalesce(n.subjects, 0)::bigint AS subjects,
       round(coalesce(n.subjects, 0)::numeric
             / sum(coalesce(n.subjects, 0)) OVER (PARTITION BY g.period, g.province), 4) AS share
FROM grid g
CROSS JOIN unnest(enum_range(NULL::credit.credit_class)) AS k(class)
LEFT JOIN counts n ON n.period = g.period AND n.province = g.province AND n.class = k.class
LEFT JOIN credit.province p ON p.code = g.province;
COMMENT ON VIEW credit.class_distribution IS
    'subjects per month, province and class (every class listed, zero included) with their share of the month and province';
COMMENT ON COLUMN credit.class_distribution.period IS 'the month';
COMMENT ON COLUMN credit.class_distribution.province IS 'two-digit province code of the subject''s region (00: unknown)';
COMMENT ON COLUMN credit.class_distribution.province_name IS 'province name';
COMMENT ON COLUMN credit.class_distribution.class IS 'risk class';
COMMENT ON COLUMN credit.class_distribution.subjects IS 'number of subjects';
COMMENT ON COLUMN credit.class_distribution.share IS 'share of the month''s subjects in the province (0-1, 4 decimals)';

CREATE VIEW credit.class_migration_matrix AS
WITH pairs AS (
    SELECT cur.period, prev.class AS from_class, cur.class AS to_class
    FROM credit.classification cur
    JOIN credit.classification prev
      ON prev.subject_id = cur.subject_id
     AND prev.period = (cur.period - interval '1 month')::date
), grid AS (
    SELECT DISTINCT period FROM pairs
)
SELECT g.period,
       (g.period - interval '1 month')::date AS from_period,
       f.class AS from_class,
       t.class AS to_class,
       count(p.period)::bigint AS subjects,
       round(count(p.period)::numeric
             / nullif(sum(count(p.period)) OVER (PARTITION BY g.period, f.class), 0), 4) AS share_of_from
FROM grid g
CROSS JOIN unnest(enum_range(NULL::credit.credit_class)) AS f(class)
CROSS JOIN unnest(enum_range(NULL::credit.credit_class)) AS t(class)
LEFT JOIN pairs p ON p.period = g.period AND p.from_class = f.class AND p.to_class = t.class
GROUP BY g.period, f.class, t.class;
COMMENT ON VIEW credit.class_migration_matrix IS
    'month-over-month class migration: for each month, subjects moving from each class to each class (all 16 cells)';
COMMENT ON COLUMN credit.class_migration_matrix.period IS 'the month';
COMMENT ON COLUMN credit.class_migration_matrix.from_period IS 'the month before';
COMMENT ON COLUMN credit.class_migration_matrix.from_class IS 'class the month before';
COMMENT ON COLUMN credit.class_migration_matrix.to_class IS 'class this month';
COMMENT ON COLUMN credit.class_migration_matrix.subjects IS 'number of subjects';
COMMENT ON COLUMN credit.class_migration_matrix.share_of_from IS 'share of the subjects of from_class (0-1, 4 decimals; NULL when from_class was empty)';

-- ------------------------------------------------- 双随机 inspection draws
CREATE FUNCTION credit.draw_inspections(period date, ratios float8[], seed bigint, inspectors integer DEFAULT 2)
RETURNS TABLE (subject_id bigint, class credit.credit_class, inspector_ids bigint[])
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    month     date := date_trunc('month', period)::date;
    available integer;
BEGIN
    IF ratios IS NULL OR cardinality(ratios) <> 4 OR array_position(ratios, NULL) IS NOT NULL
       OR EXISTS (SELECT 1 FROM unnest(ratios) r WHERE NOT (r >= 0 AND r <= 1)) THEN
        RAISE EXCEPTION USING
            MESSAGE = credit.tr('ratios must be four shares {A,B,C,D} between 0 and 1'),
            ERRCODE = 'invalid_parameter_value', HINT = credit.tr('For example ''{0.03,0.05,0.2,1}''.');
    END IF;
    IF inspectors IS NULL OR inspectors < 1 THEN
        RAISE EXCEPTION USING MESSAGE = credit.tr('an inspection needs at least one inspector'), ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT count(*) INTO available FROM credit.inspector i WHERE i.active;
    IF available < inspectors THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('only %s active inspectors for %s per inspection'), available, inspectors),
            ERRCODE = 'invalid_parameter_value', HINT = credit.tr('Add inspectors to credit.inspector.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM credit.classification c WHERE c.period = month) THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('no classification for %s'), to_char(month, 'YYYY-MM')),
            ERRCODE = 'no_data_found', HINT = credit.tr('Run credit.classify_period first.');
    END IF;
    -- the order within each class is a hash of the seed and the subject:
    -- the same seed and data give the same draw, whatever the rows' order
    RETURN QUERY
    WITH ranked AS (
        SELECT c.subject_id, c.class,
               row_number() OVER (PARTITION BY c.class
                                  ORDER BY hashint8extended(c.subject_id, seed), c.subject_id) AS k,
               count(*) OVER (PARTITION BY c.class) AS n
        FROM credit.classification c
        WHERE c.period = month
    )
    SELECT r.subject_id, r.class,
           ARRAY(SELECT i.inspector_id FROM credit.inspector i
                 WHERE i.active
                 ORDER BY hashint8extended(i.inspector_id, hashint8extended(r.subject_id, seed)), i.inspector_id
                 LIMIT inspectors)
    FROM ranked r
    WHERE r.k <= round(r.n * ratios[array_position(enum_range(NULL::credit.credit_class), r.class)])
    ORDER BY r.class, r.k;
END $$;
COMMENT ON FUNCTION credit.draw_inspections(date, float8[], bigint, integer) IS
    '双随机 draw for a month: per class the share ratios {A,B,C,D} of its subjects (rounded), each with `inspectors` distinct active inspectors; reproducible for the same seed and data';

-- Tamper-evident, append-only audit log (SPEC §6)

CREATE TABLE credit.audit_log (
    log_id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    schema_name       text NOT NULL,
    table_name        text NOT NULL,
    operation         text NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')),
    old_row           jsonb,
    new_row           jsonb,
    changed_columns   text[],
    session_user_name text NOT NULL,
    current_user_name text NOT NULL,
    application_name  text,
    client_addr       inet,
    txid              xid8 NOT NULL,
    statement_ts      timestamptz NOT NULL,
    row_hash          bytea NOT NULL
);
CREATE INDEX audit_log_table ON credit.audit_log (schema_name, table_name, log_id);
COMMENT ON TABLE credit.audit_log IS
    'append-only audit trail of the audited tables, one row per changed row; UPDATE, DELETE and TRUNCATE are refused; row_hash and the sealed blocks make tampering evident';
COMMENT ON COLUMN credit.audit_log.log_id IS 'position in the log';
COMMENT ON COLUMN credit.audit_log.schema_name IS 'schema of the table written';
COMMENT ON COLUMN credit.audit_log.table_name IS 'table written';
COMMENT ON COLUMN credit.audit_log.operation IS 'INSERT, UPDATE, DELETE or TRUNCATE';
COMMENT ON COLUMN credit.audit_log.old_row IS 'the row before (UPDATE, DELETE)';
COMMENT ON COLUMN credit.audit_log.new_row IS 'the row after (INSERT, UPDATE)';
COMMENT ON COLUMN credit.audit_log.changed_columns IS 'columns an UPDATE changed';
COMMENT ON COLUMN credit.audit_log.session_user_name IS 'session_user of the writer';
COMMENT ON COLUMN credit.audit_log.current_user_name IS 'current_user of the writer';
COMMENT ON COLUMN credit.audit_log.application_name IS 'application_name of the writer';
COMMENT ON COLUMN credit.audit_log.client_addr IS 'client address (NULL over a Unix socket)';
COMMENT ON COLUMN credit.audit_log.txid IS 'top-level transaction id of the write';
COMMENT ON COLUMN credit.audit_log.statement_ts IS 'statement_timestamp() of the write';
COMMENT ON COLUMN credit.audit_log.row_hash IS 'SHA-256 of the row (credit.audit_row_hash, encoding version 1)';

CREATE TABLE credit.audit_block (
    block_id     bigint PRIMARY KEY,
    row_count    bigint NOT NULL CHECK (row_count > 0),
    first_log_id bigint NOT NULL,
    last_log_id  bigint NOT NULL,
    merkle_root  bytea NOT NULL,
    prev_hash    bytea,
    block_hash   bytea NOT NULL,
    sealed_at    timestamptz NOT NULL
);
COMMENT ON TABLE credit.audit_block IS
    'sealed blocks of the audit log: a Merkle root over their rows'' hashes, chained by the previous block''s hash';
COMMENT ON COLUMN credit.audit_block.block_id IS 'block number, from 1';
COMMENT ON COLUMN credit.audit_block.row_count IS 'number of log rows in the block';
COMMENT ON COLUMN credit.audit_block.first_log_id IS 'smallest log_id in the block';
COMMENT ON COLUMN credit.audit_block.last_log_id IS 'largest log_id in the block';
COMMENT ON COLUMN credit.audit_block.merkle_root IS 'RFC 6962 Merkle tree head over the rows'' hashes in log_id order';
COMMENT ON COLUMN credit.audit_block.prev_hash IS 'block_hash of the previous block (NULL for block 1)';
COMMENT ON COLUMN credit.audit_block.block_hash IS 'SHA-256 over block_id, row_count, merkle_root, prev_hash, sealed_at';
COMMENT ON COLUMN credit.audit_block.sealed_at IS 'when the block was sealed';

CREATE TABLE credit.audit_block_row (
    log_id   bigint PRIMARY KEY,
    block_id bigint NOT NULL
);
CREATE INDEX audit_block_row_block ON credit.audit_block_row (block_id, log_id);
COMMENT ON TABLE credit.audit_block_row IS 'which block each sealed log row belongs to';
COMMENT ON COLUMN credit.audit_block_row.log_id IS 'the log row';
COMMENT ON COLUMN credit.audit_block_row.block_id IS 'its block';

SELECT pg_catalog.pg_extension_config_dump('credit.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('credit.audit_log_log_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('credit.audit_block', '');
SELECT pg_catalog.pg_extension_config_dump('credit.audit_block_row', '');

-- append-only, also for the owner: any UPDATE, DELETE or TRUNCATE statement is
-- refused, even one that would touch no row (a superuser who disables the
-- triggers is caught by audit_verify)
CREATE FUNCTION credit.refuse_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = format(credit.tr('%s on %s.%s is not allowed'), TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME),
        ERRCODE = 'insufficient_privilege',
        DETAIL = credit.tr('The audit log is append-only.');
END $$;
COMMENT ON FUNCTION credit.refuse_change() IS 'trigger: refuses UPDATE, DELETE and TRUNCATE on the audit tables';
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON credit.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION credit.refuse_change();
CREATE TRIGGER audit_block_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON credit.audit_block
    FOR EACH STATEMENT EXECUTE FUNCTION credit.refuse_change();
CREATE TRIGGER audit_block_row_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON credit.audit_block_row
    FOR EACH STATEMENT EXECUTE FUNCTION credit.refuse_change();

-- hashing (C; the trigger's INSERT and audit_verify use the same functions)
CREATE FUNCTION credit.audit_row_hash(log_id bigint, schema_name text, table_name text, operation text,
        old_row jsonb, new_row jsonb, changed_columns text[], session_user_name text,
        current_user_name text, application_name text, client_addr inet, txid xid8,
        statement_ts timestamptz) RETURNS bytea
    AS 'MODULE_PATHNAME', 'credit_audit_row_hash' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION credit.audit_block_hash(block_id bigint, row_count bigint, merkle_root bytea,
        prev_hash bytea, sealed_at timestamptz) RETURNS bytea
    AS 'MODULE_PATHNAME', 'credit_audit_block_hash' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION credit.audit_merkle_root(hashes bytea[]) RETURNS bytea
    AS 'MODULE_PATHNAME', 'credit_audit_merkle_root' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.audit_row_hash(bigint, text, text, text, jsonb, jsonb, text[], text, text, text, inet, xid8, timestamptz) IS
    'SHA-256 of an audit log row: tag credit-audit-row-v1, then each field NULL-marked and length-prefixed (jsonb, text[], inet as canonical text; integers 8 bytes big-endian)';
COMMENT ON FUNCTION credit.audit_block_hash(bigint, bigint, bytea, bytea, timestamptz) IS
    'SHA-256 of a block: tag credit-audit-block-v1, block_id, row_count, merkle_root, prev_hash, sealed_at';
COMMENT ON FUNCTION credit.audit_merkle_root(bytea[]) IS 'RFC 6962 Merkle tree head over 32-byte leaves';

CREATE FUNCTION credit.audit_trigger() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credit_audit_trigger' LANGUAGE C;
COMMENT ON FUNCTION credit.audit_trigger() IS
    'AFTER row trigger writing credit.audit_log (add it with credit.audit_enable)';

CREATE FUNCTION credit.audit_enable(tbl regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF tbl IN ('credit.audit_log'::regclass, 'credit.audit_block'::regclass, 'credit.audit_block_row'::regclass) THEN
        RAISE EXCEPTION USING MESSAGE = credit.tr('the audit tables audit themselves through their hashes'), ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = 'credit_audit') THEN
        EXECUTE format('CREATE TRIGGER credit_audit AFTER INSERT OR UPDATE OR DELETE ON %s '
                       'FOR EACH ROW EXECUTE FUNCTION credit.audit_trigger()', tbl);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl AND tgname = 'credit_audit_truncate') THEN
        EXECUTE format('CREATE TRIGGER credit_audit_truncate AFTER TRUNCATE ON %s '
                       'FOR EACH STATEMENT EXECUTE FUNCTION credit.audit_trigger()', tbl);
    END IF;
END $$;
CREATE FUNCTION credit.audit_disable(tbl regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('DROP TRIGGER IF EXISTS credit_audit ON %s', tbl);
    EXECUTE format('DROP TRIGGER IF EXISTS credit_audit_truncate ON %s', tbl);
END $$;
COMMENT ON FUNCTION credit.audit_enable(regclass) IS 'start auditing a table (idempotent; needs the table''s owner)';
COMMENT ON FUNCTION credit.audit_disable(regclass) IS 'stop auditing a table';

CREATE VIEW credit.audited_table AS
SELECT t.tgrelid::regclass AS table_name, t.tgenabled <> 'D' AS enabled
FROM pg_catalog.pg_trigger t WHERE t.tgname = 'credit_audit';
COMMENT ON VIEW credit.audited_table IS 'tables with the audit trigger';
COMMENT ON COLUMN credit.audited_table.table_name IS 'the table';
COMMENT ON COLUMN credit.audited_table.enabled IS 'the trigger is enabled';

-- sealing: committed rows not yet in a block become the next block
CREATE FUNCTION credit.audit_seal() RETURNS TABLE (block_id bigint, row_count bigint, block_hash text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    prev   credit.audit_block;
    id     bigint;
    n      bigint;
    root   bytea;
    lo     bigint;
    hi     bigint;
    ts     timestamptz := clock_timestamp();
    h      bytea;
BEGIN
    -- one sealer at a time; writers to the log are not blocked
    LOCK TABLE credit.audit_block IN SHARE ROW EXCLUSIVE MODE;
    SELECT * INTO prev FROM credit.audit_block b ORDER BY b.block_id DESC LIMIT 1;
    id := coalesce(prev.block_id, 0) + 1;
    -- one statement, one snapshot: the rows counted are the rows mapped.
    -- Rows of transactions still running are invisible here, and the
    -- sealing transaction's own rows are left for the next seal.
    WITH pending AS MATERIALIZED (
        SELECT l.log_id, l.row_hash FROM credit.audit_log l
        WHERE NOT EXISTS (SELECT 1 FROM credit.audit_block_row r WHERE r.log_id = l.log_id)
          AND l.txid IS DISTINCT FROM pg_current_xact_id_if_assigned()
    ), mapped AS (
        INSERT INTO credit.audit_block_row (log_id, block_id) SELECT p.log_id, id FROM pending p
        RETURNING 1
    )
    SELECT count(*), credit.audit_merkle_root(array_agg(p.row_hash ORDER BY p.log_id)), min(p.log_id), max(p.log_id)
    INTO n, root, lo, hi FROM pending p;  -- "mapped" runs to completion all the same
    IF n = 0 THEN
        RETURN;
    END IF;
    h := credit.audit_block_hash(id, n, root, prev.block_hash, ts);
    INSERT INTO credit.audit_block VALUES (id, n, lo, hi, root, prev.block_hash, h, ts);
    block_id := id;
    row_count := n;
    block_hash := encode(h, 'hex');
    RETURN NEXT;
END $$;
REVOKE EXECUTE ON FUNCTION credit.audit_seal() FROM PUBLIC;
COMMENT ON FUNCTION credit.audit_seal() IS
    'seal the committed log rows not yet in a block into the next block (Merkle root + previous block hash); returns the block, or no row when there was nothing to seal';

CREATE FUNCTION credit.audit_digest() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT b.block_id || ':' || encode(b.block_hash, 'hex')
    FROM credit.audit_block b ORDER BY b.block_id DESC LIMIT 1
$$;
COMMENT ON FUNCTION credit.audit_digest() IS
    'the latest block as block_id:sha256-hex; keep it outside the database and pass it to audit_verify() later';

CREATE FUNCTION credit.audit_verify(expected_digest text DEFAULT NULL)
RETURNS TABLE (ok boolean, rows_checked bigint, blocks_checked bigint,
               broken_log_id bigint, broken_block_id bigint, problem text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    b      record;
    prev_h bytea := NULL;
    prev_id bigint := 0;
    bad    bigint;
BEGIN
    ok := true;
    SELECT count(*) INTO rows_checked FROM credit.audit_log;
    SELECT count(*) INTO blocks_checked FROM credit.audit_block;

    -- every row's hash, recomputed from what is stored
    SELECT min(l.log_id) INTO bad FROM credit.audit_log l
    WHERE l.row_hash IS DISTINCT FROM credit.audit_row_hash(l.log_id, l.schema_name, l.table_name, l.operation,
              l.old_row, l.new_row, l.changed_columns, l.session_user_name, l.current_user_name,
              l.application_name, l.client_addr, l.txid, l.statement_ts);
    IF bad IS NOT NULL THEN
        ok := false; broken_log_id := bad; problem := 'row_hash_mismatch';
        SELECT r.block_id INTO broken_block_id FROM credit.audit_block_row r WHERE r.log_id = bad;
        RETURN NEXT; RETURN;
    END IF;

    -- a sealed row that is gone
    SELECT min(r.log_id) INTO bad FROM credit.audit_block_row r
    WHERE NOT EXISTS (SELECT 1 FROM credit.audit_log l WHERE l.log_id = r.log_id);
    IF bad IS NOT NULL THEN
        ok := false; broken_log_id := bad; problem := 'sealed_row_missing';
        SELECT r.block_id INTO broken_block_id FROM credit.audit_block_row r WHERE r.log_id = bad;
        RETURN NEXT; RETURN;
    END IF;

    -- every block: its rows, their Merkle root, its hash and the chain
    FOR b IN
        SELECT k.*, m.n, m.root, m.lo, m.hi
        FROM credit.audit_block k
        LEFT JOIN (SELECT r.block_id, count(*) AS n,
                          credit.audit_merkle_root(array_agg(l.row_hash ORDER BY l.log_id)) AS root,
                          min(l.log_id) AS lo, max(l.log_id) AS hi
                   FROM credit.audit_block_row r JOIN credit.audit_log l ON l.log_id = r.log_id
                   GROUP BY r.block_id) m ON m.block_id = k.block_id
        ORDER BY k.block_id
    LOOP
        problem := CASE
            WHEN b.block_id <> prev_id + 1 THEN 'block_missing'
            WHEN b.prev_hash IS DISTINCT FROM prev_h THEN 'chain_broken'
            WHEN b.n IS DISTINCT FROM b.row_count THEN 'row_count_mismatch'
            WHEN b.root IS DISTINCT FROM b.merkle_root THEN 'merkle_root_mismatch'
            WHEN (b.lo, b.hi) IS DISTINCT FROM (b.first_log_id, b.last_log_id) THEN 'log_range_mismatch'
            WHEN b.block_hash IS DISTINCT FROM credit.audit_block_hash(b.block_id, b.row_count, b.merkle_root,
                                                                      b.prev_hash, b.sealed_at) THEN 'block_hash_mismatch'
        END;
        IF problem IS NOT NULL THEN
            ok := false; broken_block_id := b.block_id;
            RETURN NEXT; RETURN;
        END IF;
        prev_h := b.block_hash;
        prev_id := b.block_id;
    END LOOP;

    -- rows mapped to a block that does not exist
    SELECT min(r.log_id) INTO bad FROM credit.audit_block_row r
    WHERE NOT EXISTS (SELECT 1 FROM credit.audit_block k WHERE k.block_id = r.block_id);
    IF bad IS NOT NULL THEN
        ok := false; broken_log_id := bad; problem := 'block_missing';
        RETURN NEXT; RETURN;
    END IF;

    -- the digest kept outside must still be in the chain
    IF expected_digest IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM credit.audit_block k
            WHERE k.block_id || ':' || encode(k.block_hash, 'hex') = expected_digest) THEN
        ok := false; problem := 'digest_not_found';
        RETURN NEXT; RETURN;
    END IF;
    RETURN NEXT;
END $$;
COMMENT ON FUNCTION credit.audit_verify(text) IS
    'recompute every row hash, every block''s Merkle root and hash and the chain; returns ok or the first broken row or block and what is wrong (row_hash_mismatch, sealed_row_missing, block_missing, chain_broken, row_count_mismatch, merkle_root_mismatch, log_range_mismatch, block_hash_mismatch, digest_not_found)';

-- Least-privilege roles and row-level security (SPEC §6)

-- which authorities' records an operator role may write
CREATE TABLE credit.operator_authority (
    role_name regrole NOT NULL,
    authority text NOT NULL,
    PRIMARY KEY (role_name, authority)
);
COMMENT ON TABLE credit.operator_authority IS
    'maps roles (credit_operator members) to the authorities whose records they may read and write (row-level security on credit.record)';
COMMENT ON COLUMN credit.operator_authority.role_name IS 'a role; its members get the authority';
COMMENT ON COLUMN credit.operator_authority.authority IS 'an authority as written in credit.record.authority';
SELECT pg_catalog.pg_extension_config_dump('credit.operator_authority', '');

-- records: an operator sees and writes only the records of its authorities;
-- the owner (and credit_admin, BYPASSRLS) sees everything; views run as the owner
ALTER TABLE credit.record ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_by_authority ON credit.record
    USING (EXISTS (SELECT 1 FROM credit.operator_authority oa
                   WHERE oa.authority = record.authority AND pg_catalog.pg_has_role(oa.role_name, 'MEMBER')))
    WITH CHECK (EXISTS (SELECT 1 FROM credit.operator_authority oa
                        WHERE oa.authority = record.authority AND pg_catalog.pg_has_role(oa.role_name, 'MEMBER')));
COMMENT ON POLICY record_by_authority ON credit.record IS
    'a role reads and writes the records of the authorities credit.operator_authority maps it to';
-- the repair tables follow the record they belong to (record's own policy applies in the subquery)
ALTER TABLE credit.repair_application ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_record ON credit.repair_application
    USING (EXISTS (SELECT 1 FROM credit.record r WHERE r.record_id = repair_application.record_id));
ALTER TABLE credit.repair_evidence ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_record ON credit.repair_evidence
    USING (EXISTS (SELECT 1 FROM credit.record r WHERE r.record_id = repair_evidence.record_id));
ALTER TABLE credit.objection ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_record ON credit.objection
    USING (EXISTS (SELECT 1 FROM credit.record r WHERE r.record_id = objection.record_id));
COMMENT ON POLICY by_record ON credit.repair_application IS 'visible and writable with the record';
COMMENT ON POLICY by_record ON credit.repair_evidence IS 'visible and writable with the record';
COMMENT ON POLICY by_record ON credit.objection IS 'visible and writable with the record';

CREATE FUNCTION credit.setup_roles() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET client_min_messages = warning AS $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['credit_reader', 'credit_operator', 'credit_auditor', 'credit_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
        EXECUTE format('GRANT USAGE ON SCHEMA credit TO %I', r);
    END LOOP;
    ALTER ROLE credit_admin BYPASSRLS;
    COMMENT ON ROLE credit_reader IS 'credit: report views only, resident ID numbers masked';
    COMMENT ON ROLE credit_operator IS 'credit: writes records of its own authorities (credit.operator_authority)';
    COMMENT ON ROLE credit_auditor IS 'credit: reads and verifies the audit log';
    COMMENT ON ROLE credit_admin IS 'credit: administers configuration, models and roles';

    -- readers: the views, nothing else
    GRANT SELECT ON credit.public_record, credit.repair_candidate, credit.class_distribution,
                    credit.class_migration_matrix, credit.uscc_department, credit.uscc_category,
                    credit.province TO credit_reader;
    GRANT EXECUTE ON FUNCTION credit.public_record_at(date) TO credit_reader, credit_admin;

    -- operators: subjects, records and the repair workflow; rules read-only
    GRANT SELECT ON credit.calendar, credit.record_category, credit.ruleset, credit.publicity_rule,
                    credit.risk_model, credit.risk_indicator, credit.risk_cap, credit.operator_authority
          TO credit_operator;
    GRANT SELECT, INSERT, UPDATE ON credit.subject, credit.record, credit.repair_application,
                    credit.repair_evidence, credit.objection TO credit_operator;
    GRANT USAGE ON SEQUENCE credit.subject_subject_id_seq, credit.record_record_id_seq,
                    credit.repair_application_application_id_seq, credit.repair_evidence_evidence_id_seq,
                    credit.objection_objection_id_seq TO credit_operator;
    GRANT credit_reader TO credit_operator;

    -- auditors: the log
    GRANT SELECT ON credit.audit_log, credit.audit_block, credit.audit_block_row, credit.audited_table
          TO credit_auditor;
    GRANT EXECUTE ON FUNCTION credit.audit_seal() TO credit_auditor;

    -- administrators: everything in the schema (the audit tables stay append-only)
    GRANT ALL ON ALL TABLES IN SCHEMA credit TO credit_admin;
    GRANT ALL ON ALL SEQUENCES IN SCHEMA credit TO credit_admin;
    GRANT EXECUTE ON FUNCTION credit.audit_seal() TO credit_admin;
    GRANT credit_reader, credit_auditor TO credit_admin;
END $$;
COMMENT ON FUNCTION credit.setup_roles() IS
    'create (if missing) the NOLOGIN roles credit_reader, credit_operator, credit_auditor and credit_admin and grant them least privilege; idempotent; needs CREATEROLE or a superuser';

-- every table of the reference schema, repair, classification and configuration is audited
SELECT credit.audit_enable(t) FROM unnest(ARRAY[
    'credit.subject', 'credit.record', 'credit.repair_evidence', 'credit.repair_application',
    'credit.objection', 'credit.risk_model', 'credit.risk_indicator', 'credit.risk_cap',
    'credit.indicator_value', 'credit.classification', 'credit.inspector', 'credit.calendar',
    'credit.record_category', 'credit.ruleset', 'credit.publicity_rule', 'credit.operator_authority'
]::regclass[]) t;

