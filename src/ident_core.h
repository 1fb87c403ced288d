/*
 * ident_core.h
 *	  Pure logic for the identifier types: normalisation, check characters,
 *	  parsing and packing of the Unified Social Credit Code (GB 32100-2015)
 *	  and the resident ID number (GB 11643-1999).
 *
 * Nothing here includes PostgreSQL headers or calls the fmgr: the same code
 * is linked into the server module, the C unit tests and the fuzz targets.
 */
#ifndef CREDIT_IDENT_CORE_H
#define CREDIT_IDENT_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

/* ---------- normalisation (normalize.c) ---------- */

/* normalised code points kept; longer inputs still have their length counted */
#define CREDIT_NORM_MAX 64

typedef struct credit_norm
{
	int			len;			/* number of code points after normalisation */
	uint32_t	cp[CREDIT_NORM_MAX];	/* the first CREDIT_NORM_MAX of them */
} credit_norm;

/*
 * Bytes of input text an identifier can have: an 18-character code is at most
 * 72 bytes of UTF-8 even in full-width forms, so this leaves room for any
 * sane amount of spaces and hyphens.  Longer input is refused before it is
 * normalised (NFKC can expand text 18-fold: U+FDFA).
 */
#define CREDIT_INPUT_MAX 256

typedef enum credit_norm_status
{
	CREDIT_NORM_OK = 0,
	CREDIT_NORM_BAD_UTF8,		/* input is not valid UTF-8 */
	CREDIT_NORM_ICU_ERROR,		/* ICU failed (should not happen) */
	CREDIT_NORM_NO_MEMORY,
	CREDIT_NORM_TOO_LONG		/* more than CREDIT_INPUT_MAX bytes (not normalised) */
} credit_norm_status;

/*
 * Normalise UTF-8 input: Unicode NFKC, then drop every White_Space and Dash
 * code point, then upper-case ASCII letters.  Pure-ASCII input takes a fast
 * path that gives the same result without calling ICU.
 */
extern credit_norm_status credit_normalize(const char *utf8, size_t len,
										   credit_norm *out);

/*
 * credit_normalize() for identifier input: CREDIT_NORM_TOO_LONG (and length 0)
 * for more than CREDIT_INPUT_MAX bytes, without looking at them.  Every SQL
 * entry point applies this bound (credit_normalize_server(), to the text in
 * the server encoding).
 */
extern credit_norm_status credit_normalize_code(const char *utf8, size_t len,
												credit_norm *out);

/* the ASCII fast path on its own (exposed for the unit tests) */
extern bool credit_normalize_ascii(const char *s, size_t len, credit_norm *out);

/* write a code point as UTF-8 (no NUL); returns bytes written (1..4) */
extern int	credit_utf8_encode(uint32_t cp, char *buf);

/* ---------- diagnostics shared by both types ---------- */

typedef enum credit_problem
{
	CREDIT_OK = 0,
	CREDIT_ERR_LENGTH,			/* wrong number of characters */
	CREDIT_ERR_CHARACTER,		/* a character outside the allowed set */
	CREDIT_ERR_REGION_DIGITS,	/* USCC positions 3-8 not all digits */
	CREDIT_ERR_BIRTH_DATE,		/* RID positions 7-14 not a date >= 1800-01-01 */
	CREDIT_ERR_CHECK_CHAR,		/* check character does not match */
	/* USCC legacy pilot codes (marked input, uscc_parse_legacy) */
	CREDIT_ERR_NOT_LEGACY,		/* check character wrong, and not a legacy code */
	CREDIT_ERR_LEGACY_MARK		/* marked "(legacy)", but the check character is right */
} credit_problem;

/* bit flags for "all problems" queries */
#define CREDIT_PB_LENGTH		(1u << 0)
#define CREDIT_PB_CHARACTER		(1u << 1)
#define CREDIT_PB_REGION_DIGITS (1u << 2)
#define CREDIT_PB_BIRTH_DATE	(1u << 3)
#define CREDIT_PB_CHECK_CHAR	(1u << 4)
/* strict-only */
#define CREDIT_PB_DEPARTMENT	(1u << 5)
#define CREDIT_PB_CATEGORY		(1u << 6)
#define CREDIT_PB_ORG_CODE		(1u << 7)
#define CREDIT_PB_PROVINCE		(1u << 8)
#define CREDIT_PB_FUTURE_BIRTH	(1u << 9)	/* evaluated by the caller */
/* USCC legacy pilot codes */
#define CREDIT_PB_LEGACY_CHECK	(1u << 10)	/* strict: in place of CHECK_CHAR */
#define CREDIT_PB_LEGACY_MARK	(1u << 11)	/* "(legacy)" on a code whose check is right */

typedef struct credit_diag
{
	credit_problem problem;		/* the first problem found */
	int			length;			/* code points after normalisation */
	/*
	 * 1-based position and code point of the offending character: for
	 * CHARACTER and REGION_DIGITS the fault itself; for LENGTH the first
	 * character outside the allowed set, if any (0 otherwise), because an
	 * invisible or stray character often explains a wrong length; 18 for
	 * CHECK_CHAR; 7 for BIRTH_DATE.
	 */
	int			position;
	uint32_t	bad_char;
	char		found;			/* check character found */
	char		expected;		/* check character expected */
	int			year,
				month,
				day;			/* RID birth date as read */
	/*
	 * USCC with a wrong check character: what keeps it from being a legacy
	 * pilot code (CREDIT_PB_DEPARTMENT, _CATEGORY, _ORG_CODE, _PROVINCE; 0
	 * when it would be one), and the GB 11714 check character positions
	 * 9-16 give (for _ORG_CODE).
	 */
	unsigned	legacy_faults;
	char		org_expected;
	bool		marked;			/* the input ended in the "(legacy)" marker */
} credit_diag;

/* ---------- USCC (uscc_core.c) ---------- */

#define USCC_LEN		18
#define USCC_PACKED_LEN 10

/*
 * Legacy pilot codes (SPEC §1): real codes issued before 2016 in the Fujian
 * (Xiamen) pilot whose check character fails GB 32100, stored on purpose.
 * Their text form is the 18 characters followed by this marker, so that the
 * input function, which rejects the bare code like any mistyped one, accepts
 * what the output function wrote (pg_dump, COPY, replication).  Input
 * compares it after normalisation, i.e. upper-cased.
 */
#define USCC_LEGACY_MARK		"(legacy)"
#define USCC_LEGACY_MARK_LEN	8
#define USCC_TEXT_MAX			(USCC_LEN + USCC_LEGACY_MARK_LEN)
/* the province (positions 3-4) of the pilot */
#define USCC_PILOT_PROVINCE		"35"

/* GB 32100 alphabet: digits and 21 letters (no I, O, S, V, Z) */
extern const char uscc_alphabet[32];

/* value 0..30 of an alphabet character, -1 for anything else */
extern int	uscc_char_value(uint32_t c);

/* check character for 17 alphabet characters, or '\0' if one is not valid */
extern char uscc_check_char(const char *first17);

/*
 * Parse a normalised code.  On success fills packed[] (10 bytes, ordered
 * like the canonical text by uscc_packed_cmp) and returns CREDIT_OK;
 * otherwise fills *diag with the first problem (order: length, character,
 * region digits, check).  Input ending in the legacy marker must be a legacy
 * pilot code (CREDIT_ERR_NOT_LEGACY, CREDIT_ERR_LEGACY_MARK otherwise); a
 * bare code with a wrong check character is CREDIT_ERR_CHECK_CHAR, with
 * diag->legacy_faults saying whether uscc_parse_legacy would store it.
 */
extern credit_problem uscc_parse(const credit_norm *n, uint8_t *packed,
								 credit_diag *diag);

/*
 * credit.uscc_legacy(): as uscc_parse, but a code whose check character is
 * wrong is stored as a legacy code when everything else holds: department
 * and category valid, the GB 11714 check of positions 9-17 passes, positions
 * 3-4 are the pilot province (CREDIT_ERR_NOT_LEGACY and diag->legacy_faults
 * otherwise).  A code with the right check character is stored as usual.
 * The marker is allowed.
 */
extern credit_problem uscc_parse_legacy(const credit_norm *n, uint8_t *packed,
										credit_diag *diag);

/*
 * The binary form (uscc_recv): exactly 18 canonical characters, legacy
 * says whether the marker followed them.  True and packed[] filled when they
 * are a valid code (legacy false) or a legacy code (legacy true).
 */
extern bool uscc_parse_stored(const char *s18, bool legacy, uint8_t *packed);

/*
 * Fast path for input that is already canonical (18 upper-case alphabet
 * characters, digits at 3-8, correct check character): true and packed[]
 * filled, in one pass.  false means "not canonical" (which may still be
 * valid after normalisation): use credit_normalize() and uscc_parse().
 */
extern bool uscc_parse_canonical(const char *s, size_t len, uint8_t *packed);

/*
 * Every problem as CREDIT_PB_* flags (0 when valid, i.e. exactly when
 * uscc_parse accepts the input).  With strict, also the department/category
 * table, the GB 11714 organisation-code check and the province code, and a
 * legacy pilot code has CREDIT_PB_LEGACY_CHECK in place of
 * CREDIT_PB_CHECK_CHAR (marked or not: strict flags of a legacy code are
 * exactly CREDIT_PB_LEGACY_CHECK).
 */
extern unsigned uscc_problems(const credit_norm *n, bool strict);

/*
 * For reports over text codes: the strict flags of uscc_problems, and when
 * they are 0 or exactly CREDIT_PB_LEGACY_CHECK, the packed value in packed[].
 */
extern unsigned uscc_classify(const credit_norm *n, uint8_t *packed);

/* write the 18 characters (no NUL) of a packed value, as stored */
extern void uscc_unpack(const uint8_t *packed, char *out18);

/*
 * write the text form (no NUL): the 18 characters, and the legacy marker
 * after a legacy code; returns its length (USCC_LEN or USCC_TEXT_MAX)
 */
extern int	uscc_format(const uint8_t *packed, char *out);

/* is this a packed value uscc_parse could have produced? */
extern bool uscc_packed_is_valid(const uint8_t *packed);

/*
 * A legacy code keeps its check character, plus one, in the 5 low bits of
 * byte 9 (0 there: the check character is the computed one, as in every
 * value 0.1.0 and 0.2.0 wrote).
 */
static inline bool
uscc_packed_is_legacy(const uint8_t *packed)
{
	return (packed[USCC_PACKED_LEN - 1] & 0x1F) != 0;
}

/* order of two packed values when they differ only in the check character */
extern int	uscc_packed_cmp_check(const uint8_t *a, const uint8_t *b, int c);

/*
 * Total order of packed values = byte order of their 18 characters.  memcmp
 * gives it except between codes with the same first 17 characters, one of
 * them legacy (the stored check character sits in the low bits, the
 * computed one is implicit), which uscc_packed_cmp_check settles.  Equal
 * exactly when the bytes are equal.
 */
static inline int
uscc_packed_cmp(const uint8_t *a, const uint8_t *b)
{
	int			c = memcmp(a, b, USCC_PACKED_LEN);

	if (c != 0 && ((a[USCC_PACKED_LEN - 1] | b[USCC_PACKED_LEN - 1]) & 0x1F) != 0)
		return uscc_packed_cmp_check(a, b, c);
	return c;
}

/*
 * GB 11714 organisation-code check over positions 9-17 of a normalised code:
 * 1 valid, 0 invalid, -1 not checkable (too short or characters outside 0-9A-Z).
 */
extern int	uscc_org_code_ok(const credit_norm *n);

/* ---------- names in code-quality reports (normalize.c) ---------- */

/*
 * The key two subject names are compared by: UTF-8 in, UTF-8 out (at most
 * len bytes, no NUL; returns the length).  Full-width ASCII forms
 * (U+FF01-U+FF5E) become ASCII, runs of white space (ASCII, U+00A0, U+3000)
 * one space, leading and trailing space go, ASCII letters are upper-cased;
 * everything else is kept byte for byte.  Empty: the name is blank.
 */
extern size_t credit_name_key(const char *utf8, size_t len, char *out);

/* ---------- resident ID number (rid_core.c) ---------- */

#define RID_LEN 18

/* ISO 7064 MOD 11-2 check character for 17 digits, '\0' if not all digits */
extern char rid_check_char(const char *first17);

/*
 * Parse a normalised ID number into the 17-digit body (the check character is
 * recomputable).  Order of checks: length, character, birth date, check.
 */
extern credit_problem rid_parse(const credit_norm *n, int64_t *value,
								credit_diag *diag);

/* strict adds the province code (the future-date check needs a clock) */
extern unsigned rid_problems(const credit_norm *n, bool strict);

/* as uscc_parse_canonical(), for 17 digits and a check character [0-9X] */
extern bool rid_parse_canonical(const char *s, size_t len, int64_t *value);

/* write the 18 canonical characters (no NUL) */
extern void rid_unpack(int64_t value, char *out18);

extern bool rid_value_is_valid(int64_t value);

/* is y-m-d a real Gregorian date on or after 1800-01-01? */
extern bool rid_date_ok(int y, int m, int d);

/* ---------- reference data (ident_tables.c) ---------- */

typedef struct credit_category
{
	char		code;
	const char *name;			/* UTF-8 */
} credit_category;

typedef struct credit_department
{
	char		code;
	const char *name;
	int			ncategories;
	const credit_category *categories;
} credit_department;

#define CREDIT_PROVINCE_USCC 1	/* valid in a USCC region code */
#define CREDIT_PROVINCE_RID	 2	/* valid in a resident ID number */

typedef struct credit_province
{
	const char *code;			/* two digits */
	const char *name;
	int			scope;			/* CREDIT_PROVINCE_* bits */
} credit_province;

extern const credit_department credit_departments[];
extern const int credit_ndepartments;
extern const credit_province credit_provinces[];
extern const int credit_nprovinces;

extern const credit_department *credit_find_department(uint32_t code);
extern const credit_category *credit_find_category(uint32_t dept, uint32_t cat);
extern const credit_province *credit_find_province(uint32_t d1, uint32_t d2,
												   int scope);

#endif							/* CREDIT_IDENT_CORE_H */
