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
 *	 dept:5 | category:5 | region:20 | 9 x org:5 | zero padding:5
 * Each field is fixed-width and order-preserving (the alphabet is in ASCII
 * order and 10^6 < 2^20), so memcmp() of two packed values orders exactly as
 * the canonical text does, and the first 8 bytes make a 64-bit abbreviated key
 * that holds everything but the last 11 bits.
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

int
uscc_org_code_ok(const credit_norm *n)
{
	static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int			sum = 0;
	int			i;
	int			c9;
	uint32_t	expect;

	if (n->len < 17)
		return -1;
	for (i = 0; i < 9; i++)
		if (org_value(n->cp[8 + i]) < 0)
			return -1;
	for (i = 0; i < 8; i++)
		sum += org_value(n->cp[8 + i]) * w[i];
	c9 = 11 - sum % 11;
	expect = (c9 == 10) ? 'X' : (c9 == 11) ? '0' : (uint32_t) ('0' + c9);
	return n->cp[16] == expect ? 1 : 0;
}

/* Shared walk behind uscc_parse() and uscc_problems(). */
static unsigned
uscc_scan(const credit_norm *n, credit_diag *d)
{
	unsigned	flags = 0;
	int			i;
	int			upto = n->len < CREDIT_NORM_MAX ? n->len : CREDIT_NORM_MAX;
	bool		first_char_seen = false;
	bool		first_region_seen = false;

	d->problem = CREDIT_OK;
	d->length = n->len;
	d->position = 0;
	d->bad_char = 0;
	d->found = d->expected = '\0';

	if (n->len != USCC_LEN)
		flags |= CREDIT_PB_LENGTH;

	for (i = 0; i < upto; i++)
	{
		uint32_t	c = n->cp[i];

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
			body[i] = (char) n->cp[i];
		expect = uscc_check_char(body);
		if ((uint32_t) expect != n->cp[17])
		{
			flags |= CREDIT_PB_CHECK_CHAR;
			if (d->problem == CREDIT_OK)
			{
				d->problem = CREDIT_ERR_CHECK_CHAR;
				d->position = 18;
				d->found = (char) n->cp[17];
				d->expected = expect;
			}
		}
	}
	return flags;
}

unsigned
uscc_problems(const credit_norm *n, bool strict)
{
	credit_diag d;
	unsigned	flags = uscc_scan(n, &d);

	if (!strict)
		return flags;

	/* department and category (the category only under a known department) */
	if (n->len >= 1 && credit_find_department(n->cp[0]) == NULL)
		flags |= CREDIT_PB_DEPARTMENT;
	else if (n->len >= 2 && credit_find_category(n->cp[0], n->cp[1]) == NULL)
		flags |= CREDIT_PB_CATEGORY;
	if (uscc_org_code_ok(n) == 0)
		flags |= CREDIT_PB_ORG_CODE;
	if (n->len >= 4 && is_digit_cp(n->cp[2]) && is_digit_cp(n->cp[3]) &&
		credit_find_province(n->cp[2], n->cp[3], CREDIT_PROVINCE_USCC) == NULL)
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

/* pack 17 alphabet values (positions 3-8 digits) into the 10-byte form */
static void
uscc_pack_values(const int *v, uint8_t *packed)
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
	/* 30 + 45 bits, then 5 zero bits: 80 bits big-endian */
	put_be64(packed, (hi << 34) | (lo >> 11));
	tail = (uint32_t) ((lo & 0x7FF) << 5);
	packed[8] = (uint8_t) (tail >> 8);
	packed[9] = (uint8_t) (tail & 0xFF);
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
	uscc_pack_values(v, packed);
	return true;
}

credit_problem
uscc_parse(const credit_norm *n, uint8_t *packed, credit_diag *diag)
{
	int			v[17];
	int			i;

	uscc_scan(n, diag);
	if (diag->problem != CREDIT_OK)
		return diag->problem;
	for (i = 0; i < 17; i++)
		v[i] = uscc_char_value(n->cp[i]);
	uscc_pack_values(v, packed);
	return CREDIT_OK;
}

/* split a packed value into its 17 alphabet values and the region number */
static bool
uscc_fields(const uint8_t *packed, int vals[17], uint32_t *region)
{
	uint64_t	top = get_be64(packed);
	uint32_t	tail = ((uint32_t) packed[8] << 8) | packed[9];
	uint64_t	hi = top >> 34;
	uint64_t	lo = ((top & ((UINT64_C(1) << 34) - 1)) << 11) | (tail >> 5);
	bool		ok = (tail & 0x1F) == 0;
	int			i;

	vals[0] = (int) ((hi >> 25) & 0x1F);
	vals[1] = (int) ((hi >> 20) & 0x1F);
	*region = (uint32_t) (hi & 0xFFFFF);
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

bool
uscc_packed_is_valid(const uint8_t *packed)
{
	int			vals[17];
	uint32_t	region;

	return uscc_fields(packed, vals, &region);
}

void
uscc_unpack(const uint8_t *packed, char *out18)
{
	int			vals[17];
	uint32_t	region;
	int			i;

	uscc_fields(packed, vals, &region);
	out18[0] = uscc_alphabet[vals[0] % 31];
	out18[1] = uscc_alphabet[vals[1] % 31];
	for (i = 7; i >= 2; i--)
	{
		out18[i] = (char) ('0' + region % 10);
		region /= 10;
	}
	for (i = 8; i < 17; i++)
		out18[i] = uscc_alphabet[vals[i] % 31];
	out18[17] = uscc_check_char(out18);
}
