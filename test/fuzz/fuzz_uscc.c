/*
 * fuzz_uscc.c
 *	  libFuzzer target for normalisation and the USCC parser.
 *	  Built by `make test/fuzz/fuzz_uscc` (clang, ASan + UBSan); run by
 *	  `make fuzz`.  Every invariant failure calls abort().
 *
 * Invariants, on arbitrary bytes:
 *	 - credit_normalize never reports an ICU error; bad UTF-8 is the only
 *	   refusal (NO_MEMORY aside);
 *	 - pure-ASCII input: the fast path equals the ICU path (checked by
 *	   appending a CJK character, which forces ICU and composes with nothing);
 *	 - an all-ASCII normalised result is a fixed point of normalisation;
 *	 - uscc_parse == OK  <=>  uscc_problems(non-strict) == 0, and the problem
 *	   parse reports is the first flag in the documented order (for input
 *	   ending in the legacy marker: of the code without it, or NOT_LEGACY /
 *	   LEGACY_MARK when only the check character decides);
 *	 - strict flags are the non-strict flags plus strict-only bits, except
 *	   that a legacy pilot code has exactly CREDIT_PB_LEGACY_CHECK;
 *	 - uscc_parse_legacy accepts what uscc_parse does, and a bare code whose
 *	   only fault is the check character when no legacy fault is reported;
 *	   uscc_classify returns the strict flags and packs alike;
 *	 - diag: length == n.len (without the marker); positions follow
 *	   ident_core.h (1..len, 18 for the check character, 0 when there is
 *	   nothing to point at);
 *	 - parse OK: packed is valid, its text form (uscc_format) is the
 *	   normalised text exactly, which re-normalises and re-parses to the same
 *	   packed bytes;
 *	 - the first 10 bytes as a packed value: uscc_packed_is_valid never
 *	   crashes, and is true exactly when format -> parse reproduces them;
 *	   when valid, uscc_packed_cmp against the parsed input orders them as
 *	   their 18 characters.
 */
#include "ident_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "fuzz_uscc: invariant failed at line %d: %s\n", \
					__LINE__, #cond); \
			abort(); \
		} \
	} while (0)

#define STRICT_ONLY (CREDIT_PB_DEPARTMENT | CREDIT_PB_CATEGORY | \
					 CREDIT_PB_ORG_CODE | CREDIT_PB_PROVINCE)

static bool
norm_equal(const credit_norm *a, const credit_norm *b)
{
	int			i;

	if (a->len != b->len)
		return false;
	for (i = 0; i < a->len && i < CREDIT_NORM_MAX; i++)
		if (a->cp[i] != b->cp[i])
			return false;
	return true;
}

static int
stored(const credit_norm *n)
{
	return n->len < CREDIT_NORM_MAX ? n->len : CREDIT_NORM_MAX;
}

/* ASCII input: fast path == ICU path (with U+4E2D appended) */
static void
check_ascii_paths(const uint8_t *data, size_t size)
{
	credit_norm a,
				u;
	char	   *buf;
	int			i;

	if (!credit_normalize_ascii((const char *) data, size, &a))
		return;
	buf = malloc(size + 3);
	if (buf == NULL)
		return;
	if (size > 0)
		memcpy(buf, data, size);
	memcpy(buf + size, "\xe4\xb8\xad", 3);
	CHECK(credit_normalize(buf, size + 3, &u) == CREDIT_NORM_OK);
	CHECK(u.len == a.len + 1);
	for (i = 0; i < stored(&a); i++)
		CHECK(u.cp[i] == a.cp[i]);
	if (a.len < CREDIT_NORM_MAX)
		CHECK(u.cp[a.len] == 0x4E2D);
	free(buf);
}

/* an all-ASCII result re-normalises to itself */
static void
check_fixed_point(const credit_norm *n)
{
	char		buf[CREDIT_NORM_MAX * 4];
	credit_norm again;
	size_t		o = 0;
	int			i;

	if (n->len > CREDIT_NORM_MAX)
		return;
	for (i = 0; i < n->len; i++)
	{
		if (n->cp[i] >= 0x80)
			return;
		o += (size_t) credit_utf8_encode(n->cp[i], buf + o);
	}
	CHECK(credit_normalize(buf, o, &again) == CREDIT_NORM_OK);
	CHECK(norm_equal(n, &again));
}

static void
check_diag(const credit_norm *n, const credit_diag *d, unsigned flags)
{
	int			first_bad = 0;
	int			i;

	for (i = 0; i < stored(n); i++)
		if (uscc_char_value(n->cp[i]) < 0)
		{
			first_bad = i + 1;
			break;
		}
	CHECK(d->length == n->len);
	switch (d->problem)
	{
		case CREDIT_OK:
			CHECK(flags == 0 && d->position == 0);
			break;
		case CREDIT_ERR_LENGTH:
			CHECK(flags & CREDIT_PB_LENGTH);
			CHECK(n->len != USCC_LEN);
			CHECK(d->position == first_bad);
			if (first_bad)
				CHECK(d->bad_char == n->cp[first_bad - 1]);
			break;
		case CREDIT_ERR_CHARACTER:
			CHECK(flags == (flags & (CREDIT_PB_CHARACTER | CREDIT_PB_REGION_DIGITS)));
			CHECK(n->len == USCC_LEN && first_bad >= 1 && first_bad <= 18);
			CHECK(d->position == first_bad);
			CHECK(d->bad_char == n->cp[first_bad - 1]);
			break;
		case CREDIT_ERR_REGION_DIGITS:
			CHECK(flags & CREDIT_PB_REGION_DIGITS);
			CHECK(!(flags & (CREDIT_PB_LENGTH | CREDIT_PB_CHARACTER)));
			CHECK(d->position >= 3 && d->position <= 8);
			CHECK(d->bad_char == n->cp[d->position - 1]);
			CHECK(d->bad_char < '0' || d->bad_char > '9');
			for (i = 2; i < d->position - 1; i++)
				CHECK(n->cp[i] >= '0' && n->cp[i] <= '9');
			break;
		case CREDIT_ERR_CHECK_CHAR:
		case CREDIT_ERR_NOT_LEGACY:
			CHECK(flags == CREDIT_PB_CHECK_CHAR);
			CHECK(d->position == 18 && d->found == (char) n->cp[17]);
			CHECK(d->expected != d->found && uscc_char_value((unsigned char) d->expected) >= 0);
			CHECK((d->legacy_faults & ~(unsigned) STRICT_ONLY) == 0);
			CHECK(d->problem == CREDIT_ERR_CHECK_CHAR || d->legacy_faults != 0);
			break;
		case CREDIT_ERR_LEGACY_MARK:
			CHECK(flags == 0 && d->position == 0);
			break;
		default:
			CHECK(!"unexpected problem code for a USCC");
	}
}

/* a valid packed value from the input's first bytes, for the order check */
static bool have_bytes_value;
static uint8_t bytes_value[USCC_PACKED_LEN];

static void
check_packed(const uint8_t *bytes)
{
	uint8_t		packed[USCC_PACKED_LEN],
				again[USCC_PACKED_LEN];
	char		out[USCC_TEXT_MAX];
	credit_norm n;
	credit_diag d;
	bool		valid,
				same;
	int			len;

	memcpy(packed, bytes, USCC_PACKED_LEN);
	valid = uscc_packed_is_valid(packed);
	len = uscc_format(packed, out);
	CHECK(len == (uscc_packed_is_legacy(packed) ? USCC_TEXT_MAX : USCC_LEN));
	CHECK(credit_normalize(out, (size_t) len, &n) == CREDIT_NORM_OK);
	same = uscc_parse(&n, again, &d) == CREDIT_OK &&
		memcmp(again, packed, USCC_PACKED_LEN) == 0;
	CHECK(valid == same);
	have_bytes_value = valid;
	if (valid)
		memcpy(bytes_value, packed, USCC_PACKED_LEN);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	credit_norm n;
	credit_norm_status st;
	credit_diag d;
	uint8_t		packed[USCC_PACKED_LEN];
	credit_problem pr;
	unsigned	flags,
				strict,
				bare;
	unsigned	first;
	credit_norm bare_n;
	bool		legacy;

	have_bytes_value = false;
	if (size >= USCC_PACKED_LEN)
		check_packed(data);

	st = credit_normalize((const char *) data, size, &n);
	CHECK(st != CREDIT_NORM_ICU_ERROR);
	if (st != CREDIT_NORM_OK)
	{
		CHECK(st == CREDIT_NORM_BAD_UTF8 || st == CREDIT_NORM_NO_MEMORY);
		return 0;
	}
	CHECK(n.len >= 0);
	check_ascii_paths(data, size);
	check_fixed_point(&n);

	memset(&d, 0x5A, sizeof(d));
	pr = uscc_parse(&n, packed, &d);

	/* the one-pass fast path accepts only canonical valid input, packing alike */
	{
		uint8_t		fast[USCC_PACKED_LEN];

		if (uscc_parse_canonical((const char *) data, size, fast))
			CHECK(pr == CREDIT_OK && n.len == (int) size && !d.marked &&
				  memcmp(fast, packed, USCC_PACKED_LEN) == 0);
	}
	flags = uscc_problems(&n, false);
	strict = uscc_problems(&n, true);

	/* the code without the legacy marker, and its own problems */
	bare_n = n;
	if (d.marked)
	{
		CHECK(n.len >= USCC_LEGACY_MARK_LEN && n.len <= CREDIT_NORM_MAX);
		bare_n.len -= USCC_LEGACY_MARK_LEN;
	}
	bare = uscc_problems(&bare_n, false);

	CHECK(pr == d.problem);
	CHECK((pr == CREDIT_OK) == (flags == 0));
	first = (bare & CREDIT_PB_LENGTH) ? CREDIT_ERR_LENGTH
		: (bare & CREDIT_PB_CHARACTER) ? CREDIT_ERR_CHARACTER
		: (bare & CREDIT_PB_REGION_DIGITS) ? CREDIT_ERR_REGION_DIGITS
		: (bare & CREDIT_PB_CHECK_CHAR) ? CREDIT_ERR_CHECK_CHAR : CREDIT_OK;
	legacy = bare == CREDIT_PB_CHECK_CHAR && d.legacy_faults == 0;
	CHECK((bare & ~(unsigned) (CREDIT_PB_LENGTH | CREDIT_PB_CHARACTER |
							   CREDIT_PB_REGION_DIGITS | CREDIT_PB_CHECK_CHAR)) == 0);
	if (!d.marked)
	{
		CHECK(flags == bare);
		CHECK((unsigned) pr == first);
	}
	else if (first == CREDIT_OK)
		CHECK(pr == CREDIT_ERR_LEGACY_MARK && flags == CREDIT_PB_LEGACY_MARK);
	else if (first == CREDIT_ERR_CHECK_CHAR)
		CHECK(legacy ? (pr == CREDIT_OK && flags == 0)
			  : (pr == CREDIT_ERR_NOT_LEGACY && flags == CREDIT_PB_CHECK_CHAR));
	else
		CHECK((unsigned) pr == first && flags == bare);
	if (legacy)
		CHECK(strict == CREDIT_PB_LEGACY_CHECK);
	else
		CHECK((strict & ~(unsigned) STRICT_ONLY) == flags);
	CHECK(uscc_org_code_ok(&n) >= -1 && uscc_org_code_ok(&n) <= 1);
	/* strict: the org-code flag is exactly uscc_org_code_ok() == 0 */
	if (!legacy)
		CHECK(((strict & CREDIT_PB_ORG_CODE) != 0) == (uscc_org_code_ok(&n) == 0));
	if (!(d.marked && pr == CREDIT_OK))
		check_diag(&bare_n, &d, bare);

	/* uscc_parse_legacy and uscc_classify */
	{
		uint8_t		lp[USCC_PACKED_LEN],
					cp[USCC_PACKED_LEN];
		credit_diag ld;
		credit_problem lpr = uscc_parse_legacy(&n, lp, &ld);

		CHECK((lpr == CREDIT_OK) == (pr == CREDIT_OK || (!d.marked && legacy)));
		if (pr == CREDIT_OK)
			CHECK(memcmp(lp, packed, USCC_PACKED_LEN) == 0);
		if (lpr == CREDIT_OK)
			CHECK(uscc_packed_is_valid(lp) && uscc_packed_is_legacy(lp) == legacy);
		CHECK(uscc_classify(&n, cp) == strict);
		if (strict == 0 || strict == CREDIT_PB_LEGACY_CHECK)
			CHECK(lpr == CREDIT_OK && memcmp(cp, lp, USCC_PACKED_LEN) == 0);
	}

	if (pr == CREDIT_OK)
	{
		char		out[USCC_TEXT_MAX];
		credit_norm n2;
		credit_diag d2;
		uint8_t		packed2[USCC_PACKED_LEN];
		int			i,
					len;

		CHECK(n.len == USCC_LEN + (d.marked ? USCC_LEGACY_MARK_LEN : 0));
		CHECK(uscc_packed_is_valid(packed));
		CHECK(uscc_packed_is_legacy(packed) == d.marked);
		len = uscc_format(packed, out);
		CHECK(len == n.len);
		for (i = 0; i < USCC_LEN; i++)
			CHECK((uint32_t) (unsigned char) out[i] == n.cp[i]);
		CHECK((uscc_check_char(out) == out[17]) == !d.marked);
		CHECK(credit_normalize(out, (size_t) len, &n2) == CREDIT_NORM_OK);
		CHECK(uscc_parse(&n2, packed2, &d2) == CREDIT_OK);
		CHECK(memcmp(packed, packed2, USCC_PACKED_LEN) == 0);
		CHECK(uscc_problems(&n2, true) == strict);
		/* the binary form */
		CHECK(uscc_parse_stored(out, d.marked, packed2) &&
			  memcmp(packed, packed2, USCC_PACKED_LEN) == 0);
		CHECK(!uscc_parse_stored(out, !d.marked, packed2));

		/* order against the value in the first bytes, as their text */
		if (have_bytes_value)
		{
			char		other[USCC_LEN];
			int			c1 = uscc_packed_cmp(packed, bytes_value);
			int			c2 = memcmp(out, (uscc_unpack(bytes_value, other), other), USCC_LEN);

			CHECK((c1 > 0) == (c2 > 0) && (c1 < 0) == (c2 < 0));
			CHECK((c1 == 0) == (memcmp(packed, bytes_value, USCC_PACKED_LEN) == 0));
		}
	}
	return 0;
}
