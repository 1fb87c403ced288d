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
	CREDIT_ERR_CHECK_CHAR		/* check character does not match */
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
} credit_diag;

/* ---------- USCC (uscc_core.c) ---------- */

#define USCC_LEN		18
#define USCC_PACKED_LEN 10

/* GB 32100 alphabet: digits and 21 letters (no I, O, S, V, Z) */
extern const char uscc_alphabet[32];

/* value 0..30 of an alphabet character, -1 for anything else */
extern int	uscc_char_value(uint32_t c);

/* check character for 17 alphabet characters, or '\0' if one is not valid */
extern char uscc_check_char(const char *first17);

/*
 * Parse a normalised code.  On success fills packed[] (10 bytes, memcmp order
 * equals canonical text order) and returns CREDIT_OK; otherwise fills *diag
 * with the first problem (order: length, character, region digits, check).
 */
extern credit_problem uscc_parse(const credit_norm *n, uint8_t *packed,
								 credit_diag *diag);

/*
 * Fast path for input that is already canonical (18 upper-case alphabet
 * characters, digits at 3-8, correct check character): true and packed[]
 * filled, in one pass.  false means "not canonical" (which may still be
 * valid after normalisation): use credit_normalize() and uscc_parse().
 */
extern bool uscc_parse_canonical(const char *s, size_t len, uint8_t *packed);

/*
 * Every problem as CREDIT_PB_* flags (0 when valid).  With strict, also the
 * department/category table, the GB 11714 organisation-code check and the
 * province code.
 */
extern unsigned uscc_problems(const credit_norm *n, bool strict);

/* write the 18 canonical characters (no NUL) of a packed value */
extern void uscc_unpack(const uint8_t *packed, char *out18);

/* is this a packed value uscc_parse could have produced? */
extern bool uscc_packed_is_valid(const uint8_t *packed);

/*
 * GB 11714 organisation-code check over positions 9-17 of a normalised code:
 * 1 valid, 0 invalid, -1 not checkable (too short or characters outside 0-9A-Z).
 */
extern int	uscc_org_code_ok(const credit_norm *n);

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
