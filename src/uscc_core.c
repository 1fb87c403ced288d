/*
 * uscc_core.c
 *	  Unified Social Credit Code (统一社会信用代码, GB 32100-2015): check
 *	  character, parsing and the packed 10-byte form.  No PostgreSQL headers.
 *
 * Layout of a code (1-based positions):
 *	 1		registration department		(alphabet, 31 values)
 *	 2		organisation category		(alphabet)
 *	 3-8	administrative region		(digits, 0..999999)
 *	 9-17	organisation code body		(alphabet, 9 characters)
 *	 18		check character				(recomputable from 1-17)
 *
 * Packed form: an 80-bit big-endian bit string
 *	 dept:5 | category:5 | region:20 | 9 x org:5 | check:5
 * Each field is fixed-width and order-preserving (the alphabet is in ASCII
 * order and 10^6 < 2^20), so memcmp() of two packed values orders exactly as
 * the canonical text does, and the first 8 bytes make a 64-bit abbreviated key
 * that holds everything but the last 11 bits.
 *
 * The last 5 bits are 0 for every code whose check character is the one
 * GB 32100 computes (all values 0.1.0 and 0.2.0 wrote).  A legacy pilot code
 * (SPEC §1: issued before 2016 in the Fujian pilot, its check character
 * wrong) keeps its check character there, as its alphabet value plus one
 * (1..31).  memcmp() still orders all values as their text except two codes
 * with the same first 17 characters, one of them legacy: uscc_packed_cmp()
 * settles those by the check characters themselves.  Each code has exactly
 * one packed form (a stored check character is never the computed one), so
 * equality and hashing stay bytewise.
 */
#include "ident_core.h"

const char	uscc_alphabet[32] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* 3^(i-1) mod 31 for i = 1..17 */
static const int uscc_weights[17] = {
	1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
};

/* alphabet value of each ASCII character, -1 when not in the alphabet */
static const int8_t uscc_value_table[128] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, -1, -1, -1, -1, -1, -1,
	-1, 10, 11, 12, 13, 14, 15, 16, 17, -1, 18, 19, 20, 21, 22, -1,
	23, 24, 25, -1, 26, 27, -1, 28, 29, 30, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

int
uscc_char_value(uint32_t c)
{
	return c < 128 ? uscc_value_table[c] : -1;
}

char
uscc_check_char(const char *first17)
{
	int			sum = 0;
	int			i;

	for (i = 0; i < 17; i++)
	{
		int			v = uscc_char_value((unsigned char) first17[i]);

		if (v < 0)
			return '\0';
		sum += v * uscc_weights[i];
	}
	return uscc_alphabet[(31 - sum % 31) % 31];
}

static inline bool
is_digit_cp(uint32_t c)
{
	return c >= '0' && c <= '9';
}

/* GB 11714: 0-9 -> 0-9, A-Z -> 10-35, -1 otherwise */
static inline int
org_value(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int) (c - '0');
	if (c >= 'A' && c <= 'Z')
		return (int) (c - 'A' + 10);
	return -1;
}

/* GB 11714 check character of 8 characters 0-9A-Z, '\0' if one is not */
static uint32_t
org_expected(const uint32_t *cp8)
{
	static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int			sum = 0;
	int			i;
	int			c9;

	for (i = 0; i < 8; i++)
	{
		int			v = org_value(cp8[i]);

		if (v < 0)
			return '\0';
		sum += v * w[i];
	}
	c9 = 11 - sum % 11;
	return (c9 == 10) ? 'X' : (c9 == 11) ? '0' : (uint32_t) ('0' + c9);
}

int
uscc_org_code_ok(const credit_norm *n)
{
	int			i;

	if (n->len < 17)
		return -1;
	for (i = 0; i < 9; i++)
		if (org_value(n->cp[8 + i]) < 0)
			return -1;
	return n->cp[16] == org_expected(&n->cp[8]) ? 1 : 0;
}

/*
 * A normalised code without the legacy marker, if it ends in one (then every
 * code point is in cp[]: the marker is looked for only in input that fits).
 */
typedef struct uscc_view
{
	const uint32_t *cp;
	int			len;
	bool		marked;
} uscc_view;

static void
uscc_view_of(const credit_norm *n, uscc_view *v)
{
	static const char mark[] = "(LEGACY)";
	int			i;

	v->cp = n->cp;
	v->len = n->len;
	v->marked = false;
	if (n->len < USCC_LEGACY_MARK_LEN || n->len > CREDIT_NORM_MAX)
		return;
	for (i = 0; i < USCC_LEGACY_MARK_LEN; i++)
		if (n->cp[n->len - USCC_LEGACY_MARK_LEN + i] != (uint32_t) (unsigned char) mark[i])
			return;
	v->len = n->len - USCC_LEGACY_MARK_LEN;
	v->marked = true;
}

/*
 * What keeps 18 alphabet characters (positions 3-8 digits) from being a
 * legacy pilot code, as CREDIT_PB_* flags; *org_exp gets the GB 11714 check
 * character of positions 9-16.  The check character itself is the caller's.
 */
static unsigned
uscc_legacy_faults(const uint32_t *cp, char *org_exp)
{
	unsigned	f = 0;
	uint32_t	e = org_expected(&cp[8]);

	if (credit_find_department(cp[0]) == NULL)
		f |= CREDIT_PB_DEPARTMENT;
	else if (credit_find_category(cp[0], cp[1]) == NULL)
		f |= CREDIT_PB_CATEGORY;
	if (cp[16] != e)
		f |= CREDIT_PB_ORG_CODE;
	if (cp[2] != (uint32_t) USCC_PILOT_PROVINCE[0] || cp[3] != (uint32_t) USCC_PILOT_PROVINCE[1])
		f |= CREDIT_PB_PROVINCE;
	if (org_exp)
		*org_exp = (char) e;
	return f;
}

/* Shared walk behind uscc_parse() and uscc_problems(). */
static unsigned
uscc_scan(const uint32_t *cp, int len, credit_diag *d)
{
	unsigned	flags = 0;
	int			i;
	int			upto = len < CREDIT_NORM_MAX ? len : CREDIT_NORM_MAX;
	bool		first_char_seen = false;
	bool		first_region_seen = false;

	d->problem = CREDIT_OK;
	d->length = len;
	d->position = 0;
	d->bad_char = 0;
	d->found = d->expected = '\0';
	d->legacy_faults = 0;
	d->org_expected = '\0';
	d->marked = false;

	if (len != USCC_LEN)
		flags |= CREDIT_PB_LENGTH;

	for (i = 0; i < upto; i++)
	{
		uint32_t	c = cp[i];

		if (uscc_char_value(c) < 0)
		{
			flags |= CREDIT_PB_CHARACTER;
			if (!first_char_seen)
			{
				/* recorded even when the length is wrong: it explains it */
				first_char_seen = true;
				d->position = i + 1;
				d->bad_char = c;
			}
		}
		else if (i >= 2 && i <= 7 && !is_digit_cp(c))
		{
			flags |= CREDIT_PB_REGION_DIGITS;
			if (!first_region_seen)
			{
				first_region_seen = true;
				if (!first_char_seen && !(flags & CREDIT_PB_LENGTH))
				{
					d->position = i + 1;
					d->bad_char = c;
				}
			}
		}
	}

	if (flags & CREDIT_PB_LENGTH)
		d->problem = CREDIT_ERR_LENGTH;
	else if (flags & CREDIT_PB_CHARACTER)
		d->problem = CREDIT_ERR_CHARACTER;
	else if (flags & CREDIT_PB_REGION_DIGITS)
		d->problem = CREDIT_ERR_REGION_DIGITS;

	/* the check character needs 18 alphabet characters */
	if (!(flags & (CREDIT_PB_LENGTH | CREDIT_PB_CHARACTER)))
	{
		char		body[17];
		char		expect;

		for (i = 0; i < 17; i++)
			body[i] = (char) cp[i];
		expect = uscc_check_char(body);
		if ((uint32_t) expect != cp[17])
		{
			flags |= CREDIT_PB_CHECK_CHAR;
			if (d->problem == CREDIT_OK)
			{
				d->problem = CREDIT_ERR_CHECK_CHAR;
				d->position = 18;
				d->found = (char) cp[17];
				d->expected = expect;
			}
			/* only the check character is wrong: a legacy code? */
			if (flags == CREDIT_PB_CHECK_CHAR)
				d->legacy_faults = uscc_legacy_faults(cp, &d->org_expected);
		}
	}
	return flags;
}

unsigned
uscc_problems(const credit_norm *n, bool strict)
{
	credit_diag d;
	uscc_view	v;
	unsigned	flags;
	bool		legacy;

	uscc_view_of(n, &v);
	flags = uscc_scan(v.cp, v.len, &d);
	legacy = flags == CREDIT_PB_CHECK_CHAR && d.legacy_faults == 0;
	if (v.marked)
	{
		if (legacy)
			flags = 0;
		else if (flags == 0)
			flags = CREDIT_PB_LEGACY_MARK;
	}
	if (!strict)
		return flags;
	if (legacy)
		return CREDIT_PB_LEGACY_CHECK;

	/* department and category (the category only under a known department) */
	if (v.len >= 1 && credit_find_department(v.cp[0]) == NULL)
		flags |= CREDIT_PB_DEPARTMENT;
	else if (v.len >= 2 && credit_find_category(v.cp[0], v.cp[1]) == NULL)
		flags |= CREDIT_PB_CATEGORY;
	if (v.len >= 17)
	{
		int			i;
		bool		checkable = true;

		for (i = 8; i < 17; i++)
			checkable = checkable && org_value(v.cp[i]) >= 0;
		if (checkable && v.cp[16] != org_expected(&v.cp[8]))
			flags |= CREDIT_PB_ORG_CODE;
	}
	if (v.len >= 4 && is_digit_cp(v.cp[2]) && is_digit_cp(v.cp[3]) &&
		credit_find_province(v.cp[2], v.cp[3], CREDIT_PROVINCE_USCC) == NULL)
		flags |= CREDIT_PB_PROVINCE;
	return flags;
}

static void
put_be64(uint8_t *p, uint64_t v)
{
	int			i;

	for (i = 7; i >= 0; i--)
	{
		p[i] = (uint8_t) (v & 0xFF);
		v >>= 8;
	}
}

static uint64_t
get_be64(const uint8_t *p)
{
	uint64_t	v = 0;
	int			i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

/*
 * pack 17 alphabet values (positions 3-8 digits) into the 10-byte form;
 * stored_check is the alphabet value of a legacy code's check character,
 * -1 for a code whose check character is the computed one
 */
static void
uscc_pack_values(const int *v, int stored_check, uint8_t *packed)
{
	uint64_t	hi;
	uint64_t	lo = 0;
	uint32_t	region = 0;
	uint32_t	tail;
	int			i;

	for (i = 2; i < 8; i++)
		region = region * 10 + (uint32_t) v[i];
	hi = ((uint64_t) v[0] << 25) | ((uint64_t) v[1] << 20) | region;
	for (i = 8; i < 17; i++)
		lo = (lo << 5) | (uint64_t) v[i];
	/* 30 + 45 bits, then the 5 check bits: 80 bits big-endian */
	put_be64(packed, (hi << 34) | (lo >> 11));
	tail = (uint32_t) ((lo & 0x7FF) << 5) | (uint32_t) (stored_check + 1);
	packed[8] = (uint8_t) (tail >> 8);
	packed[9] = (uint8_t) (tail & 0xFF);
}

/* pack 18 code points that uscc_scan found well formed */
static void
uscc_pack_cp(const uint32_t *cp, bool legacy, uint8_t *packed)
{
	int			v[17];
	int			i;

	for (i = 0; i < 17; i++)
		v[i] = uscc_char_value(cp[i]);
	uscc_pack_values(v, legacy ? uscc_char_value(cp[17]) : -1, packed);
}

bool
uscc_parse_canonical(const char *s, size_t len, uint8_t *packed)
{
	int			v[17];
	int			sum = 0;
	int			i;
	unsigned char c;

	if (len != USCC_LEN)
		return false;
	for (i = 0; i < 17; i++)
	{
		c = (unsigned char) s[i];
		if (c >= 128 || (v[i] = uscc_value_table[c]) < 0)
			return false;
		if (i >= 2 && i <= 7 && v[i] > 9)
			return false;
		sum += v[i] * uscc_weights[i];
	}
	if ((unsigned char) s[17] != (unsigned char) uscc_alphabet[(31 - sum % 31) % 31])
		return false;
	uscc_pack_values(v, -1, packed);
	return true;
}

/*
 * uscc_parse and uscc_parse_legacy: legacy_bare says whether a code without
 * the marker may be stored as a legacy code
 */
static credit_problem
uscc_parse_internal(const credit_norm *n, uint8_t *packed, credit_diag *diag,
					bool legacy_bare)
{
	uscc_view	v;

	uscc_view_of(n, &v);
	uscc_scan(v.cp, v.len, diag);
	diag->marked = v.marked;
	switch (diag->problem)
	{
		case CREDIT_OK:
			if (v.marked)
				return diag->problem = CREDIT_ERR_LEGACY_MARK;
			uscc_pack_cp(v.cp, false, packed);
			return CREDIT_OK;
		case CREDIT_ERR_CHECK_CHAR:
			/* only the check character is wrong: legacy_faults is filled */
			if (!v.marked && !legacy_bare)
				return CREDIT_ERR_CHECK_CHAR;
			if (diag->legacy_faults != 0)
				return diag->problem = CREDIT_ERR_NOT_LEGACY;
			uscc_pack_cp(v.cp, true, packed);
			return diag->problem = CREDIT_OK;
		default:
			return diag->problem;
	}
}

credit_problem
uscc_parse(const credit_norm *n, uint8_t *packed, credit_diag *diag)
{
	return uscc_parse_internal(n, packed, diag, false);
}

credit_problem
uscc_parse_legacy(const credit_norm *n, uint8_t *packed, credit_diag *diag)
{
	return uscc_parse_internal(n, packed, diag, true);
}

bool
uscc_parse_stored(const char *s18, bool legacy, uint8_t *packed)
{
	uint32_t	cp[USCC_LEN];
	credit_diag d;
	int			i;

	for (i = 0; i < USCC_LEN; i++)
		cp[i] = (unsigned char) s18[i];
	uscc_scan(cp, USCC_LEN, &d);
	if (legacy ? (d.problem != CREDIT_ERR_CHECK_CHAR || d.legacy_faults != 0)
		: d.problem != CREDIT_OK)
		return false;
	uscc_pack_cp(cp, legacy, packed);
	return true;
}

unsigned
uscc_classify(const credit_norm *n, uint8_t *packed)
{
	unsigned	flags = uscc_problems(n, true);

	if (flags == 0 || flags == CREDIT_PB_LEGACY_CHECK)
	{
		credit_diag d;

		uscc_parse_legacy(n, packed, &d);
	}
	return flags;
}

/*
 * split a packed value into its 17 alphabet values, the region number and
 * the check bits; false when a field is out of range
 */
static bool
uscc_fields(const uint8_t *packed, int vals[17], uint32_t *region, int *check)
{
	uint64_t	top = get_be64(packed);
	uint32_t	tail = ((uint32_t) packed[8] << 8) | packed[9];
	uint64_t	hi = top >> 34;
	uint64_t	lo = ((top & ((UINT64_C(1) << 34) - 1)) << 11) | (tail >> 5);
	bool		ok = true;
	int			i;

	vals[0] = (int) ((hi >> 25) & 0x1F);
	vals[1] = (int) ((hi >> 20) & 0x1F);
	*region = (uint32_t) (hi & 0xFFFFF);
	*check = (int) (tail & 0x1F);
	for (i = 16; i >= 8; i--)
	{
		vals[i] = (int) (lo & 0x1F);
		lo >>= 5;
	}
	for (i = 0; i < 17; i++)
		if (i < 2 || i >= 8)
			ok = ok && vals[i] < 31;
	return ok && *region <= 999999;
}

/* the 17 characters of split fields (out of range values wrap) */
static void
uscc_body_chars(const int vals[17], uint32_t region, char *out17)
{
	int			i;

	out17[0] = uscc_alphabet[vals[0] % 31];
	out17[1] = uscc_alphabet[vals[1] % 31];
	for (i = 7; i >= 2; i--)
	{
		out17[i] = (char) ('0' + region % 10);
		region /= 10;
	}
	for (i = 8; i < 17; i++)
		out17[i] = uscc_alphabet[vals[i] % 31];
}

bool
uscc_packed_is_valid(const uint8_t *packed)
{
	int			vals[17];
	uint32_t	region;
	int			check;
	char		s[USCC_LEN];
	uint32_t	cp[USCC_LEN];
	int			i;

	if (!uscc_fields(packed, vals, &region, &check))
		return false;
	if (check == 0)
		return true;
	/* a legacy code: its check character is not the computed one ... */
	uscc_body_chars(vals, region, s);
	s[17] = uscc_alphabet[check - 1];
	if (uscc_check_char(s) == s[17])
		return false;
	/* ... and everything else holds */
	for (i = 0; i < USCC_LEN; i++)
		cp[i] = (unsigned char) s[i];
	return uscc_legacy_faults(cp, NULL) == 0;
}

void
uscc_unpack(const uint8_t *packed, char *out18)
{
	int			vals[17];
	uint32_t	region;
	int			check;

	uscc_fields(packed, vals, &region, &check);
	uscc_body_chars(vals, region, out18);
	out18[17] = check ? uscc_alphabet[check - 1] : uscc_check_char(out18);
}

int
uscc_format(const uint8_t *packed, char *out)
{
	uscc_unpack(packed, out);
	if (!uscc_packed_is_legacy(packed))
		return USCC_LEN;
	memcpy(out + USCC_LEN, USCC_LEGACY_MARK, USCC_LEGACY_MARK_LEN);
	return USCC_TEXT_MAX;
}

int
uscc_packed_cmp_check(const uint8_t *a, const uint8_t *b, int c)
{
	int			ca = a[USCC_PACKED_LEN - 1] & 0x1F;
	int			cb = b[USCC_PACKED_LEN - 1] & 0x1F;

	/* different in the first 75 bits: memcmp's order is the text's */
	if (memcmp(a, b, USCC_PACKED_LEN - 1) != 0 ||
		((a[USCC_PACKED_LEN - 1] ^ b[USCC_PACKED_LEN - 1]) & 0xE0) != 0)
		return c;
	/* the same 17 characters: compare the check characters' values */
	if (ca == 0 || cb == 0)
	{
		char		s[USCC_LEN];

		uscc_unpack(ca == 0 ? a : b, s);
		if (ca == 0)
			ca = uscc_char_value((unsigned char) s[17]) + 1;
		else
			cb = uscc_char_value((unsigned char) s[17]) + 1;
	}
	return (ca > cb) - (ca < cb);
}
