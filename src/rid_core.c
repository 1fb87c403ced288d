/*
 * rid_core.c
 *	  Resident ID number (居民身份证号码, GB 11643-1999): ISO 7064 MOD 11-2
 *	  check character, birth-date validation and the 8-byte packed form.
 *	  No PostgreSQL headers.
 *
 * Layout (1-based): 1-6 region, 7-14 birth date YYYYMMDD, 15-17 sequence
 * (17 odd = male), 18 check character [0-9X].  The stored value is the
 * 17-digit body as an integer: it orders like the text and the check
 * character is recomputed on output.
 */
#include "ident_core.h"

/* 2^(17-i) mod 11 for i = 0..16 */
static const int rid_weights[17] = {
	7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
};

char
rid_check_char(const char *first17)
{
	int			sum = 0;
	int			i;
	int			c;

	for (i = 0; i < 17; i++)
	{
		if (first17[i] < '0' || first17[i] > '9')
			return '\0';
		sum += (first17[i] - '0') * rid_weights[i];
	}
	c = (12 - sum % 11) % 11;
	return c == 10 ? 'X' : (char) ('0' + c);
}

bool
rid_date_ok(int y, int m, int d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			dim;

	if (y < 1800 || m < 1 || m > 12 || d < 1)
		return false;
	dim = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim = 29;
	return d <= dim;
}

static inline bool
is_digit_cp(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static unsigned
rid_scan(const credit_norm *n, credit_diag *d)
{
	unsigned	flags = 0;
	int			upto = n->len < CREDIT_NORM_MAX ? n->len : CREDIT_NORM_MAX;
	int			i;

	d->problem = CREDIT_OK;
	d->length = n->len;
	d->position = 0;
	d->bad_char = 0;
	d->found = d->expected = '\0';
	d->year = d->month = d->day = 0;

	if (n->len != RID_LEN)
		flags |= CREDIT_PB_LENGTH;

	for (i = 0; i < upto; i++)
	{
		uint32_t	c = n->cp[i];
		bool		ok = is_digit_cp(c) || (i == 17 && c == 'X');

		if (!ok)
		{
			if (!(flags & CREDIT_PB_CHARACTER))
			{
				d->position = i + 1;
				d->bad_char = c;
			}
			flags |= CREDIT_PB_CHARACTER;
		}
	}

	/* birth date: positions 7-14, when present and all digits */
	if (n->len >= 14)
	{
		bool		digits = true;

		for (i = 6; i < 14; i++)
			digits = digits && is_digit_cp(n->cp[i]);
		if (digits)
		{
			int			y = 0,
						m = 0,
						dd = 0;

			for (i = 6; i < 10; i++)
				y = y * 10 + (int) (n->cp[i] - '0');
			m = (int) (n->cp[10] - '0') * 10 + (int) (n->cp[11] - '0');
			dd = (int) (n->cp[12] - '0') * 10 + (int) (n->cp[13] - '0');
			d->year = y;
			d->month = m;
			d->day = dd;
			if (!rid_date_ok(y, m, dd))
				flags |= CREDIT_PB_BIRTH_DATE;
		}
	}

	if (flags & CREDIT_PB_LENGTH)
		d->problem = CREDIT_ERR_LENGTH;
	else if (flags & CREDIT_PB_CHARACTER)
		d->problem = CREDIT_ERR_CHARACTER;
	else if (flags & CREDIT_PB_BIRTH_DATE)
	{
		d->problem = CREDIT_ERR_BIRTH_DATE;
		d->position = 7;
	}

	if (!(flags & (CREDIT_PB_LENGTH | CREDIT_PB_CHARACTER)))
	{
		char		body[17];
		char		expect;

		for (i = 0; i < 17; i++)
			body[i] = (char) n->cp[i];
		expect = rid_check_char(body);
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
rid_problems(const credit_norm *n, bool strict)
{
	credit_diag d;
	unsigned	flags = rid_scan(n, &d);

	if (strict && n->len >= 2 && is_digit_cp(n->cp[0]) && is_digit_cp(n->cp[1]) &&
		credit_find_province(n->cp[0], n->cp[1], CREDIT_PROVINCE_RID) == NULL)
		flags |= CREDIT_PB_PROVINCE;
	return flags;
}

credit_problem
rid_parse(const credit_norm *n, int64_t *value, credit_diag *diag)
{
	int64_t		v = 0;
	int			i;

	rid_scan(n, diag);
	if (diag->problem != CREDIT_OK)
		return diag->problem;
	for (i = 0; i < 17; i++)
		v = v * 10 + (int64_t) (n->cp[i] - '0');
	*value = v;
	return CREDIT_OK;
}

bool
rid_parse_canonical(const char *s, size_t len, int64_t *value)
{
	int64_t		v = 0;
	int			sum = 0;
	int			i,
				c,
				y,
				m,
				d;

	if (len != RID_LEN)
		return false;
	for (i = 0; i < 17; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
		sum += (s[i] - '0') * rid_weights[i];
	}
	c = (12 - sum % 11) % 11;
	if (s[17] != (c == 10 ? 'X' : '0' + c))
		return false;
	y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	if (!rid_date_ok(y, m, d))
		return false;
	*value = v;
	return true;
}

void
rid_unpack(int64_t value, char *out18)
{
	int			i;

	for (i = 16; i >= 0; i--)
	{
		out18[i] = (char) ('0' + (int) (value % 10));
		value /= 10;
	}
	out18[17] = rid_check_char(out18);
}

bool
rid_value_is_valid(int64_t value)
{
	char		s[18];
	int			y,
				m,
				d;

	if (value < 0 || value > INT64_C(99999999999999999))
		return false;
	rid_unpack(value, s);
	y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	return rid_date_ok(y, m, d);
}
