/*
 * fuzz_rid.c
 *	  libFuzzer target for normalisation and the resident ID number parser.
 *	  Built by `make test/fuzz/fuzz_rid` (clang, ASan + UBSan); run by
 *	  `make fuzz`.  Every invariant failure calls abort().
 *
 * Invariants, on arbitrary bytes:
 *	 - credit_normalize never reports an ICU error;
 *	 - rid_parse == OK  <=>  rid_problems(non-strict) == 0, and the problem
 *	   parse reports is the first flag in the documented order (length,
 *	   character, birth date, check);
 *	 - strict flags are the non-strict flags plus PROVINCE at most;
 *	 - diag: length == n.len; positions follow ident_core.h; the birth date
 *	   read back matches the digits and rid_date_ok();
 *	 - parse OK: value in [0, 10^17), rid_value_is_valid, unpack gives the
 *	   normalised text exactly, which re-normalises and re-parses to the
 *	   same value;
 *	 - the first 8 bytes as an int64: rid_value_is_valid never crashes and
 *	   is true exactly when unpack -> parse reproduces the value.
 */
#include "ident_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "fuzz_rid: invariant failed at line %d: %s\n", \
					__LINE__, #cond); \
			abort(); \
		} \
	} while (0)

#define RID_MAX_VALUE INT64_C(99999999999999999)

static bool
is_digit_cp(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static bool
allowed_at(const credit_norm *n, int i)
{
	return is_digit_cp(n->cp[i]) || (i == 17 && n->cp[i] == 'X');
}

static void
check_diag(const credit_norm *n, const credit_diag *d, unsigned flags)
{
	int			stored = n->len < CREDIT_NORM_MAX ? n->len : CREDIT_NORM_MAX;
	int			first_bad = 0;
	int			i;

	for (i = 0; i < stored; i++)
		if (!allowed_at(n, i))
		{
			first_bad = i + 1;
			break;
		}
	CHECK(d->length == n->len);

	/* the birth date is read whenever positions 7-14 are there and digits */
	if (n->len >= 14)
	{
		bool		digits = true;

		for (i = 6; i < 14; i++)
			digits = digits && is_digit_cp(n->cp[i]);
		if (digits)
		{
			int			y = 0;

			for (i = 6; i < 10; i++)
				y = y * 10 + (int) (n->cp[i] - '0');
			CHECK(d->year == y);
			CHECK(d->month == (int) (n->cp[10] - '0') * 10 + (int) (n->cp[11] - '0'));
			CHECK(d->day == (int) (n->cp[12] - '0') * 10 + (int) (n->cp[13] - '0'));
			CHECK(((flags & CREDIT_PB_BIRTH_DATE) != 0) ==
				  !rid_date_ok(d->year, d->month, d->day));
		}
		else
			CHECK(!(flags & CREDIT_PB_BIRTH_DATE));
	}
	else
		CHECK(!(flags & CREDIT_PB_BIRTH_DATE));

	switch (d->problem)
	{
		case CREDIT_OK:
			CHECK(flags == 0 && d->position == 0);
			break;
		case CREDIT_ERR_LENGTH:
			CHECK(n->len != RID_LEN);
			CHECK(d->position == first_bad);
			if (first_bad)
				CHECK(d->bad_char == n->cp[first_bad - 1]);
			CHECK(!(flags & CREDIT_PB_CHECK_CHAR));
			break;
		case CREDIT_ERR_CHARACTER:
			CHECK(n->len == RID_LEN && first_bad >= 1 && first_bad <= 18);
			CHECK(d->position == first_bad);
			CHECK(d->bad_char == n->cp[first_bad - 1]);
			CHECK(!(flags & CREDIT_PB_CHECK_CHAR));
			break;
		case CREDIT_ERR_BIRTH_DATE:
			CHECK(n->len == RID_LEN && first_bad == 0);
			CHECK(d->position == 7);
			break;
		case CREDIT_ERR_CHECK_CHAR:
			CHECK(flags == CREDIT_PB_CHECK_CHAR);
			CHECK(d->position == 18 && d->found == (char) n->cp[17]);
			CHECK(d->expected != d->found &&
				  (is_digit_cp((unsigned char) d->expected) || d->expected == 'X'));
			break;
		default:
			CHECK(!"unexpected problem code for a RID");
	}
}

static void
check_value(int64_t v)
{
	char		out[RID_LEN];
	credit_norm n;
	credit_diag d;
	int64_t		back = -1;
	bool		valid = rid_value_is_valid(v);
	bool		same = false;

	if (v >= 0 && v <= RID_MAX_VALUE)
	{
		rid_unpack(v, out);
		CHECK(credit_normalize(out, RID_LEN, &n) == CREDIT_NORM_OK);
		same = rid_parse(&n, &back, &d) == CREDIT_OK && back == v;
	}
	CHECK(valid == same);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	credit_norm n;
	credit_norm_status st;
	credit_diag d;
	int64_t		value = -1;
	credit_problem pr;
	unsigned	flags,
				strict,
				first;

	if (size >= 8)
	{
		uint64_t	u = 0;
		int			i;

		for (i = 0; i < 8; i++)
			u = (u << 8) | data[i];
		check_value((int64_t) u);
		/* and the same bits folded into the 17-digit range */
		check_value((int64_t) (u % (uint64_t) (RID_MAX_VALUE + 1)));
	}

	st = credit_normalize((const char *) data, size, &n);
	CHECK(st != CREDIT_NORM_ICU_ERROR);
	if (st != CREDIT_NORM_OK)
	{
		CHECK(st == CREDIT_NORM_BAD_UTF8 || st == CREDIT_NORM_NO_MEMORY);
		return 0;
	}

	memset(&d, 0x5A, sizeof(d));
	pr = rid_parse(&n, &value, &d);

	/* the one-pass fast path accepts only canonical valid input, valued alike */
	{
		int64_t		fast;

		if (rid_parse_canonical((const char *) data, size, &fast))
			CHECK(pr == CREDIT_OK && n.len == (int) size && fast == value);
	}
	flags = rid_problems(&n, false);
	strict = rid_problems(&n, true);

	CHECK(pr == d.problem);
	CHECK((pr == CREDIT_OK) == (flags == 0));
	first = (flags & CREDIT_PB_LENGTH) ? CREDIT_ERR_LENGTH
		: (flags & CREDIT_PB_CHARACTER) ? CREDIT_ERR_CHARACTER
		: (flags & CREDIT_PB_BIRTH_DATE) ? CREDIT_ERR_BIRTH_DATE
		: (flags & CREDIT_PB_CHECK_CHAR) ? CREDIT_ERR_CHECK_CHAR : CREDIT_OK;
	CHECK((unsigned) pr == first);
	CHECK((flags & ~(unsigned) (CREDIT_PB_LENGTH | CREDIT_PB_CHARACTER |
								CREDIT_PB_BIRTH_DATE | CREDIT_PB_CHECK_CHAR)) == 0);
	CHECK((strict & ~(unsigned) CREDIT_PB_PROVINCE) == flags);
	check_diag(&n, &d, flags);

	if (pr == CREDIT_OK)
	{
		char		out[RID_LEN];
		credit_norm n2;
		credit_diag d2;
		int64_t		value2 = -1;
		int			i;

		CHECK(n.len == RID_LEN);
		CHECK(value >= 0 && value <= RID_MAX_VALUE);
		CHECK(rid_value_is_valid(value));
		rid_unpack(value, out);
		for (i = 0; i < RID_LEN; i++)
			CHECK((uint32_t) (unsigned char) out[i] == n.cp[i]);
		CHECK(rid_check_char(out) == out[17]);
		CHECK(credit_normalize(out, RID_LEN, &n2) == CREDIT_NORM_OK);
		CHECK(rid_parse(&n2, &value2, &d2) == CREDIT_OK);
		CHECK(value2 == value);
		CHECK(rid_problems(&n2, true) == strict);
		check_value(value);
	}
	return 0;
}
