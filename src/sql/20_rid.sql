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
