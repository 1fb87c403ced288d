/*
 * test_ident.c
 *	  C unit tests (TAP) for the pure identifier core: normalisation, the
 *	  Unified Social Credit Code (GB 32100-2015) and the resident ID number
 *	  (GB 11643-1999).  Run with `prove -v test/unit/test_ident`.
 *
 * Check characters, packing and dates are compared against reference
 * implementations written here independently of src/ (Horner evaluation
 * instead of weight tables, a bit writer instead of shifts, the standard's
 * category table typed in again).  Large random loops use a fixed-seed
 * xorshift generator and report as ONE test line per property: the number
 * of checks, and on failure the count and the first counterexample.
 */
#include "ident_core.h"
#include "tap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * infrastructure
 * ------------------------------------------------------------------------ */

static long total_checks = 0;	/* assertions inside properties */

typedef struct prop
{
	const char *name;
	long		cases;
	long		fails;
	char		first[512];
} prop;

static void
prop_init(prop *p, const char *name)
{
	p->name = name;
	p->cases = 0;
	p->fails = 0;
	p->first[0] = '\0';
}

static void TAP_PRINTF(2, 3)
prop_fail(prop *p, const char *fmt,...)
{
	if (p->fails++ == 0)
	{
		va_list		ap;

		va_start(ap, fmt);
		vsnprintf(p->first, sizeof(p->first), fmt, ap);
		va_end(ap);
	}
}

#define PROP(p, cond, ...) \
	do { \
		(p)->cases++; \
		if (!(cond)) \
			prop_fail((p), __VA_ARGS__); \
	} while (0)

static void
prop_done(prop *p)
{
	total_checks += p->cases;
	if (!ok(p->fails == 0 && p->cases > 0, "%s (%ld checks)", p->name, p->cases))
	{
		if (p->cases == 0)
			diag("no cases were checked");
		else
			diag("%ld of %ld failed; first: %s", p->fails, p->cases, p->first);
	}
}

/* xorshift64* with a fixed seed: the same sequence on every run */
static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

static void
rng_seed(uint64_t s)
{
	rng_state = s ? s : UINT64_C(0x9E3779B97F4A7C15);
}

static uint64_t
rnd(void)
{
	uint64_t	x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * UINT64_C(0x2545F4914F6CDD1D);
}

static int
rnd_below(int n)
{
	return (int) ((rnd() >> 11) % (uint64_t) n);
}

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

/* independent UTF-8 encoder for building test input */
static int
enc_utf8(uint32_t cp, char *b)
{
	int			n,
				i;

	if (cp < 0x80)
	{
		b[0] = (char) cp;
		return 1;
	}
	n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	for (i = n - 1; i > 0; i--)
	{
		b[i] = (char) (0x80 | (cp & 0x3F));
		cp >>= 6;
	}
	b[0] = (char) ((n == 2 ? 0xC0 : n == 3 ? 0xE0 : 0xF0) | cp);
	return n;
}

/* normalise a C string; *status gets the normaliser's status */
static credit_norm_status
norm(const char *s, credit_norm *n)
{
	memset(n, 0xA5, sizeof(*n));	/* catch fields left unset */
	return credit_normalize(s, strlen(s), n);
}

/* does n hold exactly the ASCII string s? */
static bool
norm_is(const credit_norm *n, const char *s)
{
	int			len = (int) strlen(s);
	int			i;

	if (n->len != len)
		return false;
	for (i = 0; i < len && i < CREDIT_NORM_MAX; i++)
		if (n->cp[i] != (uint32_t) (unsigned char) s[i])
			return false;
	return true;
}

/* printable rendering of a credit_norm for diagnostics */
static const char *
show_norm(const credit_norm *n)
{
	static char buf[8][400];
	static int	k = 0;
	char	   *b = buf[k++ & 7];
	size_t		o = 0;
	int			i;

	o += (size_t) snprintf(b, 400, "len=%d \"", n->len);
	for (i = 0; i < n->len && i < CREDIT_NORM_MAX && o < 360; i++)
	{
		if (n->cp[i] >= 0x20 && n->cp[i] < 0x7F)
			b[o++] = (char) n->cp[i];
		else
			o += (size_t) snprintf(b + o, 400 - o, "<U+%04X>", (unsigned) n->cp[i]);
	}
	snprintf(b + o, 400 - o, "\"");
	return b;
}

static const char *
problem_name(credit_problem p)
{
	switch (p)
	{
		case CREDIT_OK:
			return "OK";
		case CREDIT_ERR_LENGTH:
			return "LENGTH";
		case CREDIT_ERR_CHARACTER:
			return "CHARACTER";
		case CREDIT_ERR_REGION_DIGITS:
			return "REGION_DIGITS";
		case CREDIT_ERR_BIRTH_DATE:
			return "BIRTH_DATE";
		case CREDIT_ERR_CHECK_CHAR:
			return "CHECK_CHAR";
		case CREDIT_ERR_NOT_LEGACY:
			return "NOT_LEGACY";
		case CREDIT_ERR_LEGACY_MARK:
			return "LEGACY_MARK";
	}
	return "?";
}

#define is_flags(got, want, ...) \
	do { \
		unsigned flg_g_ = (got), flg_w_ = (want); \
		if (!ok(flg_g_ == flg_w_, __VA_ARGS__)) \
			diag("flags got 0x%03x, expected 0x%03x", flg_g_, flg_w_); \
	} while (0)

/* ------------------------------------------------------------------------
 * reference implementations (independent of src/)
 * ------------------------------------------------------------------------ */

static const char REF_ALPHA[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int
ref_val(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(REF_ALPHA, c);
	return p ? (int) (p - REF_ALPHA) : -1;
}

/* GB 32100: sum of v_i * 3^(i-1) mod 31 by Horner from the right */
static char
ref_uscc_check(const char *s17)
{
	int			p = 0;
	int			i;

	for (i = 16; i >= 0; i--)
	{
		int			v = ref_val(s17[i]);

		if (v < 0)
			return '\0';
		p = (p * 3 + v) % 31;
	}
	return REF_ALPHA[(31 - p) % 31];
}

/* GB 11714 check character over 8 characters of 0-9A-Z */
static char
ref_org_check(const char *s8)
{
	static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int			sum = 0;
	int			i,
				c;

	for (i = 0; i < 8; i++)
	{
		int			v;

		if (s8[i] >= '0' && s8[i] <= '9')
			v = s8[i] - '0';
		else if (s8[i] >= 'A' && s8[i] <= 'Z')
			v = s8[i] - 'A' + 10;
		else
			return '\0';
		sum += v * w[i];
	}
	c = 11 - sum % 11;
	return c == 10 ? 'X' : c == 11 ? '0' : (char) ('0' + c);
}

/* ISO 7064 MOD 11-2, recursive (pure system) form */
static char
ref_rid_check(const char *s17)
{
	int			p = 0;
	int			i,
				c;

	for (i = 0; i < 17; i++)
	{
		if (s17[i] < '0' || s17[i] > '9')
			return '\0';
		p = ((p + (s17[i] - '0')) * 2) % 11;
	}
	c = (12 - p) % 11;
	return c == 10 ? 'X' : (char) ('0' + c);
}

static bool
ref_leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static bool
ref_date_ok(int y, int m, int d)
{
	int			dim;

	if (y < 1800 || m < 1 || m > 12)
		return false;
	dim = m == 2 ? (ref_leap(y) ? 29 : 28) : 30 + ((m + (m > 7)) & 1);
	return d >= 1 && d <= dim;
}

/* GB 32100 table 1/2: department + category pairs, typed in again */
static const char *const REF_CATEGORIES[] = {
	"11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39",
	"41", "49", "51", "52", "53", "59", "61", "62", "69", "71", "72", "79",
	"81", "89", "91", "92", "93", "A1", "A9", "N1", "N2", "N3", "N9", "Y1"
};
#define N_REF_CATEGORIES ((int) (sizeof(REF_CATEGORIES) / sizeof(REF_CATEGORIES[0])))
static const char REF_DEPARTMENTS[] = "123456789ANY";

/* GB/T 2260 province-level codes: USCC adds 10 (central), RID adds 83 */
static const char *const REF_PROVINCES[] = {
	"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
	"35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
	"53", "54", "61", "62", "63", "64", "65", "71", "81", "82"
};
#define N_REF_PROVINCES ((int) (sizeof(REF_PROVINCES) / sizeof(REF_PROVINCES[0])))

static bool
ref_category_ok(char d, char c)
{
	int			i;

	for (i = 0; i < N_REF_CATEGORIES; i++)
		if (REF_CATEGORIES[i][0] == d && REF_CATEGORIES[i][1] == c)
			return true;
	return false;
}

static bool
ref_province_ok(char a, char b, bool rid)
{
	int			i;

	if (rid && a == '8' && b == '3')
		return true;
	if (!rid && a == '1' && b == '0')
		return true;
	for (i = 0; i < N_REF_PROVINCES; i++)
		if (REF_PROVINCES[i][0] == a && REF_PROVINCES[i][1] == b)
			return true;
	return false;
}

/* the documented 80-bit layout, written with a bit writer */
static void
put_bits(uint8_t *buf, int *pos, uint32_t v, int nbits)
{
	int			i;

	for (i = nbits - 1; i >= 0; i--)
	{
		if ((v >> i) & 1)
			buf[*pos / 8] |= (uint8_t) (0x80 >> (*pos % 8));
		(*pos)++;
	}
}

static void
ref_pack(int dept, int cat, uint32_t region, const int org[9], uint32_t pad,
		 uint8_t *out)
{
	int			pos = 0;
	int			i;

	memset(out, 0, USCC_PACKED_LEN);
	put_bits(out, &pos, (uint32_t) dept, 5);
	put_bits(out, &pos, (uint32_t) cat, 5);
	put_bits(out, &pos, region, 20);
	for (i = 0; i < 9; i++)
		put_bits(out, &pos, (uint32_t) org[i], 5);
	put_bits(out, &pos, pad, 5);
}

/* ------------------------------------------------------------------------
 * generators
 * ------------------------------------------------------------------------ */

static char
rnd_alpha(void)
{
	return REF_ALPHA[rnd_below(31)];
}

static char
rnd_digit(void)
{
	return (char) ('0' + rnd_below(10));
}

/* fill position i (0-based) of a USCC body with a random legal character */
static char
rnd_uscc_char_at(int i)
{
	return (i >= 2 && i <= 7) ? rnd_digit() : rnd_alpha();
}

/* random code valid for uscc_parse (any alphabet dept/category) */
static void
gen_uscc(char *s)
{
	int			i;

	for (i = 0; i < 17; i++)
		s[i] = rnd_uscc_char_at(i);
	s[17] = ref_uscc_check(s);
	s[18] = '\0';
}

/* dept+cat (2 chars), region (6 digits), org body (8 chars) -> full code */
static void
make_uscc(char *s, const char *deptcat, const char *region, const char *org8)
{
	memcpy(s, deptcat, 2);
	memcpy(s + 2, region, 6);
	memcpy(s + 8, org8, 8);
	s[16] = ref_org_check(org8);
	s[17] = ref_uscc_check(s);
	s[18] = '\0';
}

/* random code that also passes every strict check */
static void
gen_uscc_strict(char *s)
{
	char		region[7];
	char		org[9];
	const char *prov;
	int			i;

	if (rnd_below(20) == 0)
		prov = "10";
	else
		prov = REF_PROVINCES[rnd_below(N_REF_PROVINCES)];
	region[0] = prov[0];
	region[1] = prov[1];
	for (i = 2; i < 6; i++)
		region[i] = rnd_digit();
	region[6] = '\0';
	for (i = 0; i < 8; i++)
		org[i] = rnd_alpha();
	org[8] = '\0';
	make_uscc(s, REF_CATEGORIES[rnd_below(N_REF_CATEGORIES)], region, org);
}

static void
make_rid(char *s, const char *region6, int y, int m, int d, int seq)
{
	char		buf[32];

	snprintf(buf, sizeof(buf), "%.6s%04d%02d%02d%03d", region6, y % 10000,
			 m % 100, d % 100, seq % 1000);
	memcpy(s, buf, 17);
	s[17] = ref_rid_check(s);
	s[18] = '\0';
}

static void
gen_rid_date(int *y, int *m, int *d)
{
	*y = 1800 + rnd_below(400);
	*m = 1 + rnd_below(12);
	do
		*d = 1 + rnd_below(31);
	while (!ref_date_ok(*y, *m, *d));
}

static void
gen_rid(char *s)
{
	char		region[7];
	int			y,
				m,
				d,
				i;

	for (i = 0; i < 6; i++)
		region[i] = rnd_digit();
	region[6] = '\0';
	gen_rid_date(&y, &m, &d);
	make_rid(s, region, y, m, d, rnd_below(1000));
}

/* normalise + parse, for brevity */
static credit_problem
uscc_text(const char *s, uint8_t *packed, credit_diag *d)
{
	credit_norm n;

	if (norm(s, &n) != CREDIT_NORM_OK)
		return (credit_problem) -1;
	return uscc_parse(&n, packed, d);
}

static unsigned
uscc_text_problems(const char *s, bool strict)
{
	credit_norm n;

	if (norm(s, &n) != CREDIT_NORM_OK)
		return ~0u;
	return uscc_problems(&n, strict);
}

static credit_problem
rid_text(const char *s, int64_t *v, credit_diag *d)
{
	credit_norm n;

	if (norm(s, &n) != CREDIT_NORM_OK)
		return (credit_problem) -1;
	return rid_parse(&n, v, d);
}

static unsigned
rid_text_problems(const char *s, bool strict)
{
	credit_norm n;

	if (norm(s, &n) != CREDIT_NORM_OK)
		return ~0u;
	return rid_problems(&n, strict);
}

/* ------------------------------------------------------------------------
 * credit_utf8_encode
 * ------------------------------------------------------------------------ */

static void
test_utf8_encode(void)
{
	static const struct
	{
		uint32_t	cp;
		const char *bytes;
	}			cases[] = {
		{0x41, "\x41"},
		{0x7F, "\x7F"},
		{0x80, "\xC2\x80"},
		{0xA0, "\xC2\xA0"},
		{0x7FF, "\xDF\xBF"},
		{0x800, "\xE0\xA0\x80"},
		{0x3000, "\xE3\x80\x80"},
		{0x4E2D, "\xE4\xB8\xAD"},
		{0xFF10, "\xEF\xBC\x90"},
		{0xFFFF, "\xEF\xBF\xBF"},
		{0x10000, "\xF0\x90\x80\x80"},
		{0x1F600, "\xF0\x9F\x98\x80"},
		{0x10FFFF, "\xF4\x8F\xBF\xBF"},
	};
	size_t		i;
	prop		p;
	uint32_t	cp;
	char		buf[8];
	int			n;

	n = credit_utf8_encode(0, buf);
	ok(n == 1 && buf[0] == '\0', "utf8_encode U+0000 -> 1 byte 00");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		size_t		want = strlen(cases[i].bytes);

		memset(buf, 0, sizeof(buf));
		n = credit_utf8_encode(cases[i].cp, buf);
		if (!ok((size_t) n == want && memcmp(buf, cases[i].bytes, want) == 0,
				"utf8_encode U+%04X -> %d byte(s)", (unsigned) cases[i].cp, (int) want))
			diag("returned %d: %02X %02X %02X %02X", n, (unsigned char) buf[0],
				 (unsigned char) buf[1], (unsigned char) buf[2], (unsigned char) buf[3]);
	}

	/* every scalar value: same bytes as the independent encoder, and the
	 * normaliser (ICU's decoder) accepts it */
	prop_init(&p, "utf8_encode agrees with a reference encoder on all U+0000..U+10FFFF");
	for (cp = 0; cp <= 0x10FFFF; cp++)
	{
		char		ref[8];
		int			rn;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		n = credit_utf8_encode(cp, buf);
		rn = enc_utf8(cp, ref);
		PROP(&p, n == rn && memcmp(buf, ref, (size_t) n) == 0,
			 "U+%04X: %d bytes vs %d", (unsigned) cp, n, rn);
	}
	prop_done(&p);

	prop_init(&p, "utf8_encode output is valid UTF-8 for the normaliser (sampled)");
	for (cp = 0x80; cp <= 0x10FFFF; cp += 97)
	{
		credit_norm nn;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		n = credit_utf8_encode(cp, buf);
		PROP(&p, credit_normalize(buf, (size_t) n, &nn) == CREDIT_NORM_OK,
			 "U+%04X rejected by credit_normalize", (unsigned) cp);
	}
	prop_done(&p);
}

/* ------------------------------------------------------------------------
 * USCC alphabet and check characters
 * ------------------------------------------------------------------------ */

static void
test_uscc_alphabet(void)
{
	int			i,
				nvalid = 0;
	bool		all = true;
	uint32_t	c;

	ok(strcmp(uscc_alphabet, REF_ALPHA) == 0 && uscc_alphabet[31] == '\0',
	   "uscc_alphabet is 0-9 and the 21 letters without I O S V Z");
	for (i = 0; i < 31; i++)
		all = all && uscc_char_value((unsigned char) REF_ALPHA[i]) == i;
	ok(all, "uscc_char_value maps alphabet[i] to i");
	for (c = 0; c < 0x300; c++)
		if (uscc_char_value(c) >= 0)
			nvalid++;
	is_int(nvalid, 31, "exactly 31 code points below U+0300 have a value");
	ok(uscc_char_value('I') < 0 && uscc_char_value('O') < 0 &&
	   uscc_char_value('S') < 0 && uscc_char_value('V') < 0 &&
	   uscc_char_value('Z') < 0, "I O S V Z have no value");
	ok(uscc_char_value('a') < 0 && uscc_char_value('y') < 0,
	   "lower-case letters have no value (normalisation upper-cases)");
	ok(uscc_char_value(0xFF10) < 0 && uscc_char_value(0x10000 + '0') < 0 &&
	   uscc_char_value(0x80000030u) < 0,
	   "non-ASCII and wide values have no value");
}

static void
test_uscc_check_known(void)
{
	char		code[19];
	char		body[32];
	uint8_t		packed[USCC_PACKED_LEN];
	uint8_t		packed2[USCC_PACKED_LEN];
	char		out[19];
	credit_diag d;
	credit_norm n;
	int			found0 = 0;
	long		tries;

	is_int(uscc_check_char("91350100M000100Y4"), '3',
		   "check char of 91350100M000100Y4 is '3'");
	is_int(uscc_check_char("91110000100010433"), 'L',
		   "check char of 91110000100010433 is 'L'");
	is_int(uscc_text("91350100M000100Y43", packed, &d), CREDIT_OK,
		   "91350100M000100Y43 parses");
	is_int(uscc_text("91110000100010433L", packed, &d), CREDIT_OK,
		   "91110000100010433L parses");
	is_flags(uscc_text_problems("91350100M000100Y43", true), 0,
			 "91350100M000100Y43 passes strict checks");
	is_flags(uscc_text_problems("91110000100010433L", true), 0,
			 "91110000100010433L passes strict checks");
	is_int(uscc_check_char("91350100M000100Y"), '\0',
		   "check char with the terminating NUL as 17th character is NUL");
	is_int(uscc_check_char("91350100O000100Y4"), '\0',
		   "check char of a body with 'O' is NUL");
	is_int(uscc_check_char("91350100m000100Y4"), '\0',
		   "check char of a body with lower-case 'm' is NUL (not normalised)");

	/*
	 * Check character '0' (sum mod 31 == 0): the case several public
	 * implementations get wrong (they emit 31 -> out of range, or 'Y').
	 * Search org-code bodies ending in "212" for a code ending "...2120".
	 */
	memcpy(body, "91350100", 8);
	for (tries = 0; tries < 1000000 && !found0; tries++)
	{
		long		t = tries;
		int			i;

		for (i = 8; i < 14; i++)
		{
			body[i] = REF_ALPHA[t % 31];
			t /= 31;
		}
		memcpy(body + 14, "212", 3);
		body[17] = '\0';
		if (ref_uscc_check(body) == '0')
			found0 = 1;
	}
	ok(found0, "found a body ending in 212 whose check char is '0'");
	memcpy(code, body, 17);
	code[17] = '0';
	code[18] = '\0';
	diag("check-'0' code: %s", code);
	is_int(uscc_check_char(body), '0', "uscc_check_char gives '0' for %s", body);
	is_int(uscc_text(code, packed, &d), CREDIT_OK, "%s (check '0') parses", code);
	is_flags(uscc_text_problems(code, false), 0, "%s has no problems", code);
	uscc_unpack(packed, out);
	out[18] = '\0';
	ok(strcmp(out, code) == 0, "%s round-trips through packed form (got %s)", code, out);
	ok(uscc_packed_is_valid(packed), "packed %s is valid", code);
	code[17] = 'Y';
	is_int(uscc_text(code, packed2, &d), CREDIT_ERR_CHECK_CHAR,
		   "the same body with check 'Y' is rejected");
	ok(d.found == 'Y' && d.expected == '0' && d.position == 18,
	   "... and the diagnostic says found 'Y', expected '0' at 18");
	code[17] = '0';

	/* a check-'0' code in full width also parses */
	{
		char		fw[19 * 3 + 1];
		size_t		o = 0;
		int			i;

		for (i = 0; i < 18; i++)
			o += (size_t) enc_utf8(code[i] >= 'A' ? 0xFF21 + (uint32_t) (code[i] - 'A')
								   : 0xFF10 + (uint32_t) (code[i] - '0'), fw + o);
		fw[o] = '\0';
		is_int(uscc_text(fw, packed2, &d), CREDIT_OK, "full-width check-'0' code parses");
		ok(memcmp(packed, packed2, USCC_PACKED_LEN) == 0, "... to the same packed value");
	}

	/* every check value 0..30 is reachable and matches the reference */
	{
		bool		seen[31] = {false};
		int			nseen = 0,
					i;
		prop		p;

		prop_init(&p, "uscc_check_char equals the reference (Horner, 3^i mod 31) on random bodies");
		rng_seed(11);
		for (i = 0; i < 200000; i++)
		{
			char		s[19];
			char		c;

			gen_uscc(s);
			c = uscc_check_char(s);
			PROP(&p, c == s[17], "%.17s: got '%c', reference '%c'", s, c ? c : '?', s[17]);
			if (ref_val(c) >= 0 && !seen[ref_val(c)])
			{
				seen[ref_val(c)] = true;
				nseen++;
			}
		}
		prop_done(&p);
		is_int(nseen, 31, "all 31 check characters occur");
	}

	/* uscc_org_code_ok: GB 11714 incl. the 10 -> 'X' and 11 -> '0' cases */
	{
		char		org[10];
		int			gotx = 0,
					got0 = 0;
		long		i;
		prop		p;

		prop_init(&p, "uscc_org_code_ok equals the GB 11714 reference (random bodies, all 11 results)");
		rng_seed(12);
		for (i = 0; i < 100000; i++)
		{
			char		s[19];
			char		wrong;
			int			j;

			for (j = 0; j < 8; j++)
				org[j] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rnd_below(36)];
			org[8] = ref_org_check(org);
			org[9] = '\0';
			gotx += org[8] == 'X';
			got0 += org[8] == '0';
			memcpy(s, "91350100", 8);
			memcpy(s + 8, org, 9);
			s[17] = 'A';
			s[18] = '\0';
			if (norm(s, &n) != CREDIT_NORM_OK)
				continue;
			PROP(&p, uscc_org_code_ok(&n) == 1, "org %s: got %d, expected 1", org,
				 uscc_org_code_ok(&n));
			wrong = org[8] == '0' ? 'X' : org[8] == 'X' ? '1' : '0';
			n.cp[16] = (uint32_t) wrong;
			PROP(&p, uscc_org_code_ok(&n) == 0, "org %.8s%c: got %d, expected 0", org,
				 wrong, uscc_org_code_ok(&n));
		}
		prop_done(&p);
		ok(gotx > 0 && got0 > 0, "org-code checks 'X' (%d) and '0' (%d) both exercised",
		   gotx, got0);
	}
	norm("12345678X", &n);
	is_int(uscc_org_code_ok(&n), -1, "uscc_org_code_ok on 9 chars is -1 (too short)");
	norm("91350100M000100*43", &n);
	is_int(uscc_org_code_ok(&n), -1, "uscc_org_code_ok with '*' in 9-17 is -1");
	norm("91350100M000100Y43", &n);
	is_int(uscc_org_code_ok(&n), 1, "uscc_org_code_ok(91350100M000100Y43) is 1");
	norm("91350100M000100Y53", &n);
	is_int(uscc_org_code_ok(&n), 0, "uscc_org_code_ok(91350100M000100Y53) is 0");
	norm("91110000100010433L", &n);
	is_int(uscc_org_code_ok(&n), 1, "uscc_org_code_ok(91110000100010433L) is 1");
}

/* ------------------------------------------------------------------------
 * USCC parse / unpack / order
 * ------------------------------------------------------------------------ */

static void
test_uscc_roundtrip(void)
{
	prop		p_parse,
				p_unpack,
				p_valid,
				p_prob,
				p_layout;
	long		i;

	prop_init(&p_parse, "uscc_parse accepts 200000 random valid codes");
	prop_init(&p_unpack, "uscc_unpack(uscc_parse(code)) == code");
	prop_init(&p_valid, "uscc_packed_is_valid on every parsed value");
	prop_init(&p_prob, "uscc_problems(non-strict) == 0 on every valid code");
	prop_init(&p_layout, "packed bytes follow the documented 5|5|20|9x5|5 layout");
	rng_seed(21);
	for (i = 0; i < 200000; i++)
	{
		char		s[19],
					out[19];
		uint8_t		packed[USCC_PACKED_LEN],
					ref[USCC_PACKED_LEN];
		credit_norm n;
		credit_diag d;
		credit_problem pr;
		int			org[9],
					j;

		gen_uscc(s);
		/* some in lower case, some with separators: same value */
		if (i % 7 == 0)
		{
			for (j = 0; j < 18; j++)
				if (s[j] >= 'A' && s[j] <= 'Z')
					s[j] = (char) (s[j] - 'A' + 'a');
		}
		norm(s, &n);
		pr = uscc_parse(&n, packed, &d);
		PROP(&p_parse, pr == CREDIT_OK, "%s: %s at %d", s, problem_name(pr), d.position);
		if (pr != CREDIT_OK)
			continue;
		for (j = 0; j < 18; j++)
			if (s[j] >= 'a' && s[j] <= 'z')
				s[j] = (char) (s[j] - 'a' + 'A');
		uscc_unpack(packed, out);
		out[18] = '\0';
		PROP(&p_unpack, strcmp(out, s) == 0, "%s unpacked as %s", s, out);
		PROP(&p_valid, uscc_packed_is_valid(packed), "%s: packed not valid", s);
		PROP(&p_prob, uscc_problems(&n, false) == 0, "%s: flags 0x%x", s,
			 uscc_problems(&n, false));
		for (j = 0; j < 9; j++)
			org[j] = ref_val(s[8 + j]);
		ref_pack(ref_val(s[0]), ref_val(s[1]), (uint32_t) atoi((char[7]) {
			s[2], s[3], s[4], s[5], s[6], s[7], 0
		}), org, 0, ref);
		PROP(&p_layout, memcmp(ref, packed, USCC_PACKED_LEN) == 0,
			 "%s: packed %02x%02x%02x%02x%02x%02x%02x%02x%02x%02x", s,
			 packed[0], packed[1], packed[2], packed[3], packed[4], packed[5],
			 packed[6], packed[7], packed[8], packed[9]);
	}
	prop_done(&p_parse);
	prop_done(&p_unpack);
	prop_done(&p_valid);
	prop_done(&p_prob);
	prop_done(&p_layout);

	/* the other direction: random field values -> reference packing */
	{
		prop		p;

		prop_init(&p, "random valid packed values: valid, unpack -> parse gives the same bytes");
		rng_seed(22);
		for (i = 0; i < 100000; i++)
		{
			uint8_t		ref[USCC_PACKED_LEN],
						again[USCC_PACKED_LEN];
			int			org[9],
						j;
			uint32_t	region;
			char		out[19];
			credit_norm n;
			credit_diag d;
			bool		good = true;

			for (j = 0; j < 9; j++)
				org[j] = rnd_below(31);
			/* favour the edges of the region range */
			region = rnd_below(4) == 0 ? (rnd_below(2) ? 999999u : 0u)
				: (uint32_t) rnd_below(1000000);
			ref_pack(rnd_below(31), rnd_below(31), region, org, 0, ref);
			good = uscc_packed_is_valid(ref);
			uscc_unpack(ref, out);
			out[18] = '\0';
			norm(out, &n);
			good = good && uscc_parse(&n, again, &d) == CREDIT_OK &&
				memcmp(again, ref, USCC_PACKED_LEN) == 0;
			PROP(&p, good, "region %u -> %s", (unsigned) region, out);
		}
		prop_done(&p);
	}
}

/*
 * Two parsed codes against their text: sign of the comparison (memcmp, or
 * uscc_packed_cmp when not bytewise) and the 64-bit abbreviated key (the
 * first 8 packed bytes, big-endian), which may tie but never contradict.
 */
static void
check_order(prop *p, prop *p_key, const char *a, const char *b,
			const uint8_t *pa, const uint8_t *pb, bool bytewise)
{
	int			ts = sign(strcmp(a, b));
	int			cs = bytewise ? sign(memcmp(pa, pb, USCC_PACKED_LEN))
		: sign(uscc_packed_cmp(pa, pb));
	uint64_t	ka = 0,
				kb = 0;
	int			j;

	PROP(p, ts == cs, "%s vs %s: strcmp %d, cmp %d", a, b, ts, cs);
	for (j = 0; j < 8; j++)
	{
		ka = (ka << 8) | pa[j];
		kb = (kb << 8) | pb[j];
	}
	PROP(p_key, (ka < kb && ts < 0) || (ka > kb && ts > 0) || ka == kb,
		 "%s vs %s: key order contradicts text order", a, b);
}

/*
 * Codes in strictly increasing text order parse (uscc_parse_legacy: legacy
 * pilot codes too) to strictly increasing values (uscc_packed_cmp); with
 * fix_check, position 18 of each is replaced by the computed check character.
 */
static bool
sorted_in_text_order(const char *const *seq, int nseq, bool fix_check)
{
	uint8_t		prev[USCC_PACKED_LEN],
				cur[USCC_PACKED_LEN];
	bool		good = true;
	int			j;

	for (j = 0; j < nseq; j++)
	{
		char		s[19];
		credit_diag d;
		credit_norm n;

		memcpy(s, seq[j], 19);
		if (fix_check)
			s[17] = ref_uscc_check(s);
		norm(s, &n);
		if (uscc_parse_legacy(&n, cur, &d) != CREDIT_OK)
		{
			diag("%s does not parse", s);
			return false;
		}
		if (j > 0 && uscc_packed_cmp(prev, cur) >= 0)
		{
			good = false;
			diag("%s does not sort after %s", s, seq[j - 1]);
		}
		memcpy(prev, cur, USCC_PACKED_LEN);
	}
	return good;
}

static void
test_uscc_order(void)
{
	prop		p_rand,
				p_prefix,
				p_one,
				p_key;
	long		i;

	prop_init(&p_rand, "sign(memcmp(packed)) == sign(strcmp(text)) on random pairs");
	prop_init(&p_prefix, "memcmp/strcmp order agree on pairs sharing a 0..18-char prefix");
	prop_init(&p_one, "memcmp/strcmp order agree on pairs differing in one body position");
	prop_init(&p_key, "the first 8 packed bytes as a big-endian uint64 never contradict text order");
	rng_seed(31);
	for (i = 0; i < 300000; i++)
	{
		char		a[19],
					b[19];
		uint8_t		pa[USCC_PACKED_LEN],
					pb[USCC_PACKED_LEN];
		credit_diag d;
		prop	   *p;
		int			k,
					j;

		gen_uscc(a);
		memcpy(b, a, 19);
		switch (i % 3)
		{
			case 0:
				gen_uscc(b);
				p = &p_rand;
				break;
			case 1:
				k = rnd_below(19);
				for (j = k; j < 17; j++)
					b[j] = rnd_uscc_char_at(j);
				b[17] = ref_uscc_check(b);
				p = &p_prefix;
				break;
			default:
				k = rnd_below(17);
				b[k] = rnd_uscc_char_at(k);
				b[17] = ref_uscc_check(b);
				p = &p_one;
				break;
		}
		if (uscc_text(a, pa, &d) != CREDIT_OK || uscc_text(b, pb, &d) != CREDIT_OK)
		{
			PROP(p, false, "%s / %s did not parse", a, b);
			continue;
		}
		check_order(p, &p_key, a, b, pa, pb, true);
	}
	prop_done(&p_rand);
	prop_done(&p_prefix);
	prop_done(&p_one);
	prop_done(&p_key);

	/* a sorted sequence at the extremes */
	{
		static const char *const seq[] = {
			"00000000000000000?", "00000000000000001?", "0000000000000000Y?",
			"00000001000000000?", "00999999000000000?", "01000000000000000?",
			"0Y999999YYYYYYYYY?", "10000000000000000?", "A0000000000000000?",
			"Y0000000000000000?", "YY999999YYYYYYYYY?"
		};

		ok(sorted_in_text_order(seq, (int) (sizeof(seq) / sizeof(seq[0])), true),
		   "extreme codes (all zeros .. YY999999YYYYYYYYY) sort in text order");
	}
}

static void
test_uscc_error_detection(void)
{
	static const char *const known = "91350100M000100Y43";
	prop		p_sub,
				p_tr,
				p_diag;
	int			pos,
				k;
	long		i;
	uint8_t		packed[USCC_PACKED_LEN];
	credit_diag d;

	/* each position of a known code, every other alphabet character */
	for (pos = 0; pos < 18; pos++)
	{
		int			bad = 0,
					tried = 0;
		char		first[19] = "";

		for (k = 0; k < 31; k++)
		{
			char		s[19];
			credit_problem pr;

			if (REF_ALPHA[k] == known[pos])
				continue;
			memcpy(s, known, 19);
			s[pos] = REF_ALPHA[k];
			pr = uscc_text(s, packed, &d);
			tried++;
			if (!(pr == CREDIT_ERR_CHECK_CHAR ||
				  (pr == CREDIT_ERR_REGION_DIGITS && pos >= 2 && pos <= 7 && k >= 10)))
			{
				if (bad++ == 0)
					memcpy(first, s, 19);
			}
		}
		total_checks += tried;
		if (!ok(bad == 0, "all 30 substitutions at position %d of %s rejected", pos + 1, known))
			diag("%d accepted or wrongly classified, e.g. %s", bad, first);
	}

	prop_init(&p_sub, "every single substitution of 300 random codes is rejected");
	prop_init(&p_diag, "check-char diagnostics of substitutions: found/expected/position");
	prop_init(&p_tr, "every adjacent transposition of unequal characters is rejected");
	rng_seed(41);
	for (i = 0; i < 300; i++)
	{
		char		code[19];

		gen_uscc(code);
		for (pos = 0; pos < 18; pos++)
		{
			for (k = 0; k < 31; k++)
			{
				char		s[19];
				credit_problem pr;
				bool		region_letter;

				if (REF_ALPHA[k] == code[pos])
					continue;
				memcpy(s, code, 19);
				s[pos] = REF_ALPHA[k];
				pr = uscc_text(s, packed, &d);
				region_letter = pos >= 2 && pos <= 7 && k >= 10;
				PROP(&p_sub, region_letter ? pr == CREDIT_ERR_REGION_DIGITS
					 : pr == CREDIT_ERR_CHECK_CHAR,
					 "%s (from %s): %s", s, code, problem_name(pr));
				if (pr == CREDIT_ERR_CHECK_CHAR)
					PROP(&p_diag, d.position == 18 && d.found == s[17] &&
						 d.expected == ref_uscc_check(s) && d.length == 18,
						 "%s: pos %d found %c expected %c", s, d.position,
						 d.found ? d.found : '?', d.expected ? d.expected : '?');
			}
		}
		for (pos = 0; pos < 17; pos++)
		{
			char		s[19],
						t;
			credit_problem pr;

			if (code[pos] == code[pos + 1])
				continue;
			memcpy(s, code, 19);
			t = s[pos];
			s[pos] = s[pos + 1];
			s[pos + 1] = t;
			pr = uscc_text(s, packed, &d);
			PROP(&p_tr, pr == CREDIT_ERR_CHECK_CHAR || pr == CREDIT_ERR_REGION_DIGITS,
				 "%s (from %s) gives %s", s, code, problem_name(pr));
		}
	}
	prop_done(&p_sub);
	prop_done(&p_diag);
	prop_done(&p_tr);
}

/* one line per diagnostic case, all fields compared */
static void
check_uscc_diag(const char *input, const char *label, credit_problem problem,
				int length, int position, uint32_t bad_char, char found,
				char expected)
{
	credit_norm n;
	credit_diag d;
	uint8_t		packed[USCC_PACKED_LEN];
	credit_norm_status st;
	credit_problem pr;

	memset(&d, 0x5A, sizeof(d));
	st = norm(input, &n);
	pr = uscc_parse(&n, packed, &d);
	if (!ok(st == CREDIT_NORM_OK && pr == problem && d.problem == problem &&
			d.length == length && d.position == position &&
			d.bad_char == bad_char && d.found == found && d.expected == expected,
			"uscc diag %s: %s len=%d pos=%d", label, problem_name(problem),
			length, position))
		diag("got status %d, %s/%s len=%d pos=%d bad=U+%04X found=0x%02x expected=0x%02x for %s",
			 (int) st, problem_name(pr), problem_name(d.problem), d.length,
			 d.position, (unsigned) d.bad_char, (unsigned char) d.found,
			 (unsigned char) d.expected, show_norm(&n));
}

static void
test_uscc_diagnostics(void)
{
	char		s[64];
	char		label[64];
	int			pos;

	check_uscc_diag("91350100M000100Y43", "valid", CREDIT_OK, 18, 0, 0, 0, 0);
	check_uscc_diag("91350100M000100Y4", "17 chars", CREDIT_ERR_LENGTH, 17, 0, 0, 0, 0);
	check_uscc_diag("91350100M000100Y431", "19 chars", CREDIT_ERR_LENGTH, 19, 0, 0, 0, 0);
	check_uscc_diag("", "empty string", CREDIT_ERR_LENGTH, 0, 0, 0, 0, 0);
	check_uscc_diag("   \t- ", "only separators", CREDIT_ERR_LENGTH, 0, 0, 0, 0, 0);
	check_uscc_diag("91350100M000100Y4O", "'O' at 18", CREDIT_ERR_CHARACTER, 18, 18, 'O', 0, 0);
	check_uscc_diag("I1350100M000100Y43", "'I' at 1", CREDIT_ERR_CHARACTER, 18, 1, 'I', 0, 0);
	check_uscc_diag("91350100M00Z100Y43", "'Z' at 12", CREDIT_ERR_CHARACTER, 18, 12, 'Z', 0, 0);
	check_uscc_diag("91350100M000100Y4*", "'*' at 18", CREDIT_ERR_CHARACTER, 18, 18, '*', 0, 0);
	check_uscc_diag("9135\xe2\x80\x8b" "100M000100Y43", "U+200B replacing position 5",
					CREDIT_ERR_CHARACTER, 18, 5, 0x200B, 0, 0);
	check_uscc_diag("9135\xe4\xb8\xad" "100M000100Y43", "U+4E2D at 5",
					CREDIT_ERR_CHARACTER, 18, 5, 0x4E2D, 0, 0);
	for (pos = 3; pos <= 8; pos++)
	{
		strcpy(s, "91350100M000100Y43");
		s[pos - 1] = 'A';
		snprintf(label, sizeof(label), "letter 'A' at region position %d", pos);
		check_uscc_diag(s, label, CREDIT_ERR_REGION_DIGITS, 18, pos, 'A', 0, 0);
	}
	check_uscc_diag("91350100M000100Y44", "wrong check", CREDIT_ERR_CHECK_CHAR, 18, 18, 0, '4', '3');
	check_uscc_diag("91110000100010433M", "wrong check M", CREDIT_ERR_CHECK_CHAR, 18, 18, 0, 'M', 'L');
	check_uscc_diag("91350100m000100y43", "lower case is normalised", CREDIT_OK, 18, 0, 0, 0, 0);

	/* the order of problems: length, character, region, check */
	/* LENGTH also points at the first character outside the alphabet */
	check_uscc_diag("I1350100M000100Y4", "length before character (and names it)",
					CREDIT_ERR_LENGTH, 17, 1, 'I', 0, 0);
	check_uscc_diag("91A50100M0O0100Y4I3", "19 chars: first bad character named",
					CREDIT_ERR_LENGTH, 19, 11, 'O', 0, 0);
	check_uscc_diag("91350100M000100Y4\xe2\x80\x8b" "3", "U+200B inserted: LENGTH 19, names it",
					CREDIT_ERR_LENGTH, 19, 18, 0x200B, 0, 0);
	check_uscc_diag("91A50100M000100Y4", "length before region (no position for region)",
					CREDIT_ERR_LENGTH, 17, 0, 0, 0, 0);
	check_uscc_diag("91A50100M000100Y4O", "character before region (char later)",
					CREDIT_ERR_CHARACTER, 18, 18, 'O', 0, 0);
	check_uscc_diag("91A5I100M000100Y43", "character before region (both in region)",
					CREDIT_ERR_CHARACTER, 18, 5, 'I', 0, 0);
	check_uscc_diag("9I3A0100M000100Y40", "character before region (char first)",
					CREDIT_ERR_CHARACTER, 18, 2, 'I', 0, 0);
	check_uscc_diag("91A50B00M000100Y40", "first region letter reported",
					CREDIT_ERR_REGION_DIGITS, 18, 3, 'A', 0, 0);
	check_uscc_diag("913501A0M000100Y41", "region before check", CREDIT_ERR_REGION_DIGITS, 18, 7, 'A', 0, 0);
	check_uscc_diag("91350100M0O0100Y41", "character before check", CREDIT_ERR_CHARACTER, 18, 11, 'O', 0, 0);

	/* all problems as flags */
	is_flags(uscc_text_problems("91350100M000100Y43", false), 0, "flags: valid code has none");
	is_flags(uscc_text_problems("", false), CREDIT_PB_LENGTH, "flags: empty is LENGTH only");
	is_flags(uscc_text_problems("91350100M000100Y4", false), CREDIT_PB_LENGTH,
			 "flags: 17 chars is LENGTH only (check not computed)");
	is_flags(uscc_text_problems("I1A50100M000100Y4", false),
			 CREDIT_PB_LENGTH | CREDIT_PB_CHARACTER | CREDIT_PB_REGION_DIGITS,
			 "flags: short with bad char and region letter");
	is_flags(uscc_text_problems("91A50100M000100Y4O", false),
			 CREDIT_PB_CHARACTER | CREDIT_PB_REGION_DIGITS,
			 "flags: bad char + region letter (no check without 18 alphabet chars)");
	is_flags(uscc_text_problems("913501A0M000100Y41", false),
			 CREDIT_PB_REGION_DIGITS | CREDIT_PB_CHECK_CHAR,
			 "flags: region letter + wrong check");
	is_flags(uscc_text_problems("91350100M000100Y44", false), CREDIT_PB_CHECK_CHAR,
			 "flags: wrong check only");

	/* a long input reports its whole length */
	{
		char	   *big = malloc(10001);
		credit_norm n;
		credit_diag d;
		uint8_t		packed[USCC_PACKED_LEN];
		credit_problem pr;

		memset(big, '9', 10000);
		big[10000] = '\0';
		norm(big, &n);
		pr = uscc_parse(&n, packed, &d);
		ok(pr == CREDIT_ERR_LENGTH && d.length == 10000 && d.position == 0,
		   "10000 digits: LENGTH with length 10000 (got %s, %d)", problem_name(pr), d.length);
		is_flags(uscc_problems(&n, false), CREDIT_PB_LENGTH, "10000 digits: LENGTH flag only");
		free(big);
	}
}

static void
test_uscc_strict(void)
{
	char		s[19];
	prop		p,
				p_nonstrict;
	long		i;
	int			a,
				b;

	is_flags(uscc_text_problems("91350100M000100Y43", true), 0, "strict: real code is clean");

	make_uscc(s, "B1", "350100", "M000100Y");
	is_flags(uscc_text_problems(s, false), 0, "%s: no non-strict problems", s);
	is_flags(uscc_text_problems(s, true), CREDIT_PB_DEPARTMENT,
			 "%s: strict: unknown department 'B' (category not judged)", s);
	make_uscc(s, "92", "350100", "M000100Y");
	is_flags(uscc_text_problems(s, true), 0, "%s: strict: 92 (individual business) ok", s);
	make_uscc(s, "94", "350100", "M000100Y");
	is_flags(uscc_text_problems(s, false), 0, "%s: no non-strict problems", s);
	is_flags(uscc_text_problems(s, true), CREDIT_PB_CATEGORY, "%s: strict: 94 bad category", s);
	make_uscc(s, "Y2", "350100", "M000100Y");
	is_flags(uscc_text_problems(s, true), CREDIT_PB_CATEGORY, "%s: strict: Y2 bad category", s);
	make_uscc(s, "Y1", "350100", "M000100Y");
	is_flags(uscc_text_problems(s, true), 0, "%s: strict: Y1 ok", s);
	make_uscc(s, "N3", "350100", "M000100Y");
	is_flags(uscc_text_problems(s, true), 0, "%s: strict: N3 ok", s);
	make_uscc(s, "99", "350100", "M000100Y");
	is_flags(uscc_text_problems(s, true), CREDIT_PB_CATEGORY, "%s: strict: 99 bad (only 91-93)", s);

	make_uscc(s, "91", "990100", "M000100Y");
	is_flags(uscc_text_problems(s, true), CREDIT_PB_PROVINCE, "%s: strict: province 99 bad", s);
	make_uscc(s, "91", "100000", "M000100Y");
	is_flags(uscc_text_problems(s, true), 0, "%s: strict: province 10 (central) ok for uscc", s);
	make_uscc(s, "91", "830000", "M000100Y");
	is_flags(uscc_text_problems(s, true), CREDIT_PB_PROVINCE, "%s: strict: 83 is rid-only", s);
	make_uscc(s, "91", "000000", "M000100Y");
	is_flags(uscc_text_problems(s, true), CREDIT_PB_PROVINCE, "%s: strict: province 00 bad", s);

	memcpy(s, "91350100M000100Y53", 19);
	s[17] = ref_uscc_check(s);
	is_flags(uscc_text_problems(s, false), 0, "%s: no non-strict problems", s);
	is_flags(uscc_text_problems(s, true), CREDIT_PB_ORG_CODE, "%s: strict: org-code check", s);
	memcpy(s, "B4990100M000100Y53", 19);
	s[17] = ref_uscc_check(s);
	is_flags(uscc_text_problems(s, true),
			 CREDIT_PB_DEPARTMENT | CREDIT_PB_PROVINCE | CREDIT_PB_ORG_CODE,
			 "%s: strict: department, province and org code together", s);
	memcpy(s, "9499A100M000100Y53", 19);
	is_flags(uscc_text_problems(s, true),
			 CREDIT_PB_REGION_DIGITS | CREDIT_PB_CHECK_CHAR | CREDIT_PB_CATEGORY |
			 CREDIT_PB_PROVINCE | CREDIT_PB_ORG_CODE,
			 "%s: strict flags add to the non-strict ones", s);
	is_flags(uscc_text_problems("", true), CREDIT_PB_LENGTH, "strict on empty: LENGTH only");
	is_flags(uscc_text_problems("B", true), CREDIT_PB_LENGTH | CREDIT_PB_DEPARTMENT,
			 "strict on 'B': LENGTH + DEPARTMENT");
	is_flags(uscc_text_problems("94", true), CREDIT_PB_LENGTH | CREDIT_PB_CATEGORY,
			 "strict on '94': LENGTH + CATEGORY");
	is_flags(uscc_text_problems("9199", true), CREDIT_PB_LENGTH | CREDIT_PB_PROVINCE,
			 "strict on '9199': LENGTH + PROVINCE");

	/* every department x category pair against the typed-in table */
	{
		int			bad = 0;
		char		first[19] = "";

		for (a = 0; a < 31; a++)
			for (b = 0; b < 31; b++)
			{
				char		dc[3] = {REF_ALPHA[a], REF_ALPHA[b], 0};
				unsigned	f,
							want;

				make_uscc(s, dc, "350100", "M000100Y");
				f = uscc_text_problems(s, true);
				want = strchr(REF_DEPARTMENTS, dc[0]) == NULL ? CREDIT_PB_DEPARTMENT
					: ref_category_ok(dc[0], dc[1]) ? 0 : CREDIT_PB_CATEGORY;
				if (f != want && bad++ == 0)
					memcpy(first, s, 19);
			}
		total_checks += 31 * 31;
		if (!ok(bad == 0, "strict department/category flags match GB 32100 for all 961 pairs"))
			diag("%d mismatches, first %s", bad, first);
	}
	/* every 2-digit province code */
	{
		int			bad = 0;
		char		first[19] = "";

		for (a = 0; a < 100; a++)
		{
			char		region[7];
			unsigned	f,
						want;

			snprintf(region, sizeof(region), "%02d0000", a);
			make_uscc(s, "91", region, "M000100Y");
			f = uscc_text_problems(s, true);
			want = ref_province_ok(region[0], region[1], false) ? 0 : CREDIT_PB_PROVINCE;
			if (f != want && bad++ == 0)
				memcpy(first, s, 19);
		}
		total_checks += 100;
		if (!ok(bad == 0, "strict province flag matches GB/T 2260 for all 100 codes"))
			diag("%d mismatches, first %s", bad, first);
	}

	prop_init(&p, "random strictly valid codes have no strict problems");
	prop_init(&p_nonstrict, "strict problems are a superset of non-strict ones (random codes)");
	rng_seed(51);
	for (i = 0; i < 50000; i++)
	{
		credit_norm n;
		unsigned	f,
					fs;

		gen_uscc_strict(s);
		PROP(&p, uscc_text_problems(s, true) == 0, "%s: 0x%x", s, uscc_text_problems(s, true));
		gen_uscc(s);
		if (i % 2)
			s[rnd_below(18)] = "0AIOZ*"[rnd_below(6)];
		norm(s, &n);
		f = uscc_problems(&n, false);
		fs = uscc_problems(&n, true);
		PROP(&p_nonstrict, (fs & f) == f && (fs & ~(unsigned) (CREDIT_PB_DEPARTMENT |
															   CREDIT_PB_CATEGORY |
															   CREDIT_PB_ORG_CODE |
															   CREDIT_PB_PROVINCE)) == f,
			 "%s: non-strict 0x%x strict 0x%x", s, f, fs);
	}
	prop_done(&p);
	prop_done(&p_nonstrict);

	ok(credit_find_department('9') && credit_find_department('9')->ncategories == 3,
	   "department 9 has 3 categories");
	ok(credit_find_department('B') == NULL && credit_find_department(0x39 + 0x100) == NULL,
	   "no department B, no department for a wide code point aliasing '9'");
	ok(credit_find_category('9', '2') != NULL && credit_find_category('9', '4') == NULL,
	   "category 92 found, 94 not");
	ok(credit_find_province('1', '0', CREDIT_PROVINCE_USCC) != NULL &&
	   credit_find_province('1', '0', CREDIT_PROVINCE_RID) == NULL &&
	   credit_find_province('8', '3', CREDIT_PROVINCE_RID) != NULL &&
	   credit_find_province('8', '3', CREDIT_PROVINCE_USCC) == NULL,
	   "province scopes: 10 uscc-only, 83 rid-only");
}

static void
test_uscc_packed_validity(void)
{
	uint8_t		v[USCC_PACKED_LEN],
				base[USCC_PACKED_LEN];
	int			org[9] = {21, 0, 0, 0, 1, 0, 0, 30, 4};
	int			bit,
				j;
	bool		all;
	credit_diag d;
	prop		p;
	long		i;
	long		nvalid = 0;

	ref_pack(9, 1, 350100, org, 0, base);
	ok(uscc_packed_is_valid(base), "reference packing of 91350100M000100Y4 is valid");
	is_int(uscc_text("91350100M000100Y43", v, &d), CREDIT_OK, "91350100M000100Y43 parses");
	ok(memcmp(v, base, USCC_PACKED_LEN) == 0, "... to the reference packing");

	/*
	 * the 5 check bits: 0 for a computed check character; on a Fujian pilot
	 * body any other check character is a legacy code, but never the
	 * computed one (value 3 here, bits 4)
	 */
	all = true;
	for (bit = 1; bit < 32; bit++)
	{
		memcpy(v, base, USCC_PACKED_LEN);
		v[9] |= (uint8_t) bit;
		all = all && uscc_packed_is_valid(v) == (bit != 3 + 1);
	}
	ok(all, "check bits on 91350100M000100Y4: 30 legacy values valid, the computed check + 1 invalid");
	{
		int			org_bj[9] = {1, 0, 0, 0, 1, 0, 4, 3, 3};	/* 100010433 */

		ref_pack(9, 1, 110000, org_bj, 0, v);
		ok(uscc_packed_is_valid(v), "reference packing of 91110000100010433L is valid");
		all = true;
		for (bit = 1; bit < 32; bit++)
		{
			v[9] = (uint8_t) ((v[9] & 0xE0) | bit);
			all = all && !uscc_packed_is_valid(v);
		}
		ok(all, "any check bits on a code outside the pilot province (11) -> invalid");
	}
	ref_pack(31, 1, 350100, org, 0, v);
	ok(!uscc_packed_is_valid(v), "department field 31 -> invalid");
	ref_pack(9, 31, 350100, org, 0, v);
	ok(!uscc_packed_is_valid(v), "category field 31 -> invalid");
	ref_pack(9, 1, 999999, org, 0, v);
	ok(uscc_packed_is_valid(v), "region 999999 -> valid");
	ref_pack(9, 1, 1000000, org, 0, v);
	ok(!uscc_packed_is_valid(v), "region 1000000 -> invalid");
	ref_pack(9, 1, 0xFFFFF, org, 0, v);
	ok(!uscc_packed_is_valid(v), "region 0xFFFFF -> invalid");
	for (j = 0; j < 9; j++)
	{
		int			o2[9];

		memcpy(o2, org, sizeof(o2));
		o2[j] = 31;
		ref_pack(9, 1, 350100, o2, 0, v);
		ok(!uscc_packed_is_valid(v), "organisation field %d = 31 -> invalid", j + 1);
	}
	memset(v, 0xFF, sizeof(v));
	ok(!uscc_packed_is_valid(v), "all-ones -> invalid");
	memset(v, 0, sizeof(v));
	ok(uscc_packed_is_valid(v), "all-zeros (00000000000000000 + check) -> valid");

	/* arbitrary bytes: valid exactly when unpack -> parse reproduces them */
	prop_init(&p, "random 10-byte values: valid iff format -> parse reproduces the bytes");
	rng_seed(61);
	for (i = 0; i < 300000; i++)
	{
		uint8_t		again[USCC_PACKED_LEN];
		char		out[USCC_TEXT_MAX + 1];
		credit_norm n;
		bool		valid,
					same;
		int			k;

		for (k = 0; k < USCC_PACKED_LEN; k++)
			v[k] = (uint8_t) rnd();
		/* make about half of them valid-looking: clear padding, clamp */
		if (i % 2)
		{
			v[9] &= 0xE0;
			v[0] &= 0xF7;
		}
		valid = uscc_packed_is_valid(v);
		nvalid += valid;
		out[uscc_format(v, out)] = '\0';
		norm(out, &n);
		same = uscc_parse(&n, again, &d) == CREDIT_OK &&
			memcmp(again, v, USCC_PACKED_LEN) == 0;
		PROP(&p, valid == same, "%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x: valid %d, round trip %d (%s)",
			 v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
			 valid, same, out);
	}
	prop_done(&p);
	ok(nvalid > 1000, "some random byte strings were valid (%ld)", nvalid);
}

/* ------------------------------------------------------------------------
 * normalisation
 * ------------------------------------------------------------------------ */

static void
check_norm(const char *input, const char *want, const char *label)
{
	credit_norm n;
	credit_norm_status st = norm(input, &n);

	if (!ok(st == CREDIT_NORM_OK && norm_is(&n, want), "normalise %s -> \"%s\"", label, want))
		diag("status %d, got %s", (int) st, show_norm(&n));
}

static void
test_normalize(void)
{
	credit_norm n;
	char		buf[256];
	char		want[64];
	size_t		o;
	uint32_t	c;
	prop		p;
	long		i;

	check_norm("91350100M000100Y43", "91350100M000100Y43", "plain code");
	check_norm("91350100m000100y43", "91350100M000100Y43", "lower case");
	check_norm("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "a-z");
	check_norm("  9135 0100-M000 100Y43\t\n", "91350100M000100Y43", "ASCII spaces, tab, newline, hyphen");
	check_norm("\x0b\x0c\r", "", "VT FF CR (ASCII White_Space)");
	norm("\x1c\x1d\x1e\x1f", &n);
	ok(norm_is(&n, "\x1c\x1d\x1e\x1f"), "normalise keeps U+001C..U+001F (not White_Space)");
	check_norm("a_b.c/d+e", "A_B.C/D+E", "other ASCII punctuation kept");

	/* full-width digits and letters, one test per block */
	o = 0;
	for (c = 0xFF10; c <= 0xFF19; c++)
		o += (size_t) enc_utf8(c, buf + o);
	buf[o] = '\0';
	check_norm(buf, "0123456789", "U+FF10..U+FF19 (full-width digits)");
	o = 0;
	for (c = 0xFF21; c <= 0xFF3A; c++)
		o += (size_t) enc_utf8(c, buf + o);
	buf[o] = '\0';
	check_norm(buf, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "U+FF21..U+FF3A (full-width capitals)");
	o = 0;
	for (c = 0xFF41; c <= 0xFF5A; c++)
		o += (size_t) enc_utf8(c, buf + o);
	buf[o] = '\0';
	check_norm(buf, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "U+FF41..U+FF5A (full-width small letters)");
	check_norm("\xef\xbc\x99\xef\xbc\x91\xef\xbc\x93\xef\xbc\x95\xef\xbc\x90\xef\xbc\x91"
			   "\xef\xbc\x90\xef\xbc\x90\xef\xbc\xad\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90"
			   "\xef\xbc\x91\xef\xbc\x90\xef\xbc\x90\xef\xbd\x99\xef\xbc\x94\xef\xbc\x93",
			   "91350100M000100Y43", "a whole code in full width (with full-width small y)");

	/* separators that must go, each inside a code */
	{
		static const struct
		{
			const char *bytes;
			const char *name;
		}			seps[] = {
			{"\xe3\x80\x80", "U+3000 ideographic space"},
			{"\t", "tab"},
			{"\xc2\xa0", "U+00A0 no-break space"},
			{"-", "hyphen-minus"},
			{"\xe2\x80\x90", "U+2010 hyphen"},
			{"\xe2\x80\x91", "U+2011 non-breaking hyphen"},
			{"\xe2\x80\x93", "U+2013 en dash"},
			{"\xe2\x80\x94", "U+2014 em dash"},
			{"\xe2\x80\x95", "U+2015 horizontal bar"},
			{"\xe2\x88\x92", "U+2212 minus sign"},
			{"\xef\xbc\x8d", "U+FF0D full-width hyphen-minus"},
			{"\xef\xb9\xa3", "U+FE63 small hyphen-minus"},
			{"\xe2\x80\x83", "U+2003 em space"},
			{"\xe2\x80\xaf", "U+202F narrow no-break space"},
			{"\xe2\x80\xa8", "U+2028 line separator"},
			{"\xc2\x85", "U+0085 next line"},
			{"\xe1\x9a\x80", "U+1680 ogham space mark"},
		};
		size_t		k;

		for (k = 0; k < sizeof(seps) / sizeof(seps[0]); k++)
		{
			snprintf(buf, sizeof(buf), "%s9135%s0100%sM000100Y43%s", seps[k].bytes,
					 seps[k].bytes, seps[k].bytes, seps[k].bytes);
			check_norm(buf, "91350100M000100Y43", seps[k].name);
		}
	}

	/* things that must stay */
	norm("9135\xe2\x80\x8b" "0100M000100Y43", &n);
	ok(n.len == 19 && n.cp[4] == 0x200B, "U+200B zero-width space is kept (len %d)", n.len);
	{
		uint8_t		packed[USCC_PACKED_LEN];
		credit_diag d;

		ok(uscc_parse(&n, packed, &d) == CREDIT_ERR_LENGTH && d.length == 19,
		   "... so a code with an inserted U+200B is 19 long");
		is_flags(uscc_problems(&n, false), CREDIT_PB_LENGTH | CREDIT_PB_CHARACTER,
				 "... with LENGTH and CHARACTER problems");
	}
	norm("\xef\xbb\xbf" "A", &n);
	ok(n.len == 2 && n.cp[0] == 0xFEFF && n.cp[1] == 'A', "U+FEFF (BOM) is kept");
	norm("\xe2\x81\xa0", &n);
	ok(n.len == 1 && n.cp[0] == 0x2060, "U+2060 word joiner is kept");
	norm("\xe4\xb8\xad", &n);
	ok(n.len == 1 && n.cp[0] == 0x4E2D, "CJK U+4E2D is kept");
	norm("\xc3\xa9", &n);
	ok(n.len == 1 && n.cp[0] == 0xE9, "U+00E9 is kept as is (not upper-cased)");
	norm("e\xcc\x81", &n);
	ok(n.len == 1 && n.cp[0] == 0xE9, "e + U+0301 composes to U+00E9 (NFKC)");
	norm("\xe2\x91\xa0", &n);
	ok(n.len == 1 && n.cp[0] == '1', "U+2460 circled one -> '1' (NFKC)");
	norm("\xf0\x9d\x9f\x8e", &n);
	ok(n.len == 1 && n.cp[0] == '0', "U+1D7CE mathematical bold zero -> '0' (NFKC, 4 bytes)");
	norm("\xf0\x9f\x98\x80", &n);
	ok(n.len == 1 && n.cp[0] == 0x1F600, "U+1F600 kept as one code point");

	/* invalid UTF-8 */
	{
		static const struct
		{
			const char *bytes;
			const char *name;
		}			bad[] = {
			{"\xff", "0xFF"},
			{"\x80", "lone continuation byte"},
			{"\xc3", "truncated 2-byte sequence"},
			{"abc\xe4\xb8", "truncated 3-byte sequence at the end"},
			{"\xc0\xaf", "overlong '/'"},
			{"\xe0\x80\xaf", "overlong 3-byte"},
			{"\xed\xa0\x80", "UTF-8 encoded surrogate U+D800"},
			{"\xf4\x90\x80\x80", "U+110000"},
			{"\xf8\x88\x80\x80\x80", "5-byte sequence"},
			{"9135\xfe" "0100M000100Y43", "0xFE inside a code"},
		};
		size_t		k;

		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
			is_int(credit_normalize(bad[k].bytes, strlen(bad[k].bytes), &n),
				   CREDIT_NORM_BAD_UTF8, "invalid UTF-8 (%s) -> CREDIT_NORM_BAD_UTF8",
				   bad[k].name);
	}
	is_int(credit_normalize("", 0, &n), CREDIT_NORM_OK, "empty input is OK");
	ok(n.len == 0, "... with length 0");
	is_int(credit_normalize("A\0B", 3, &n), CREDIT_NORM_OK, "embedded NUL (ASCII path)");
	ok(n.len == 3 && n.cp[1] == 0, "... is kept as a code point");
	is_int(credit_normalize("A\0\xc3\xa9", 4, &n), CREDIT_NORM_OK, "embedded NUL (ICU path)");
	ok(n.len == 3 && n.cp[1] == 0 && n.cp[2] == 0xE9, "... is kept as a code point");
	is_int(credit_normalize("12345", 3, &n), CREDIT_NORM_OK, "explicit length shorter than the string");
	ok(norm_is(&n, "123"), "... only the given bytes are read");

	/* long inputs: full length counted, first CREDIT_NORM_MAX kept */
	{
		size_t		cap = 10000 * 3 + 1;
		char	   *big = malloc(cap);
		bool		good = true;
		int			k;

		for (k = 0; k < 10000; k++)
			big[k] = (char) ('A' + k % 26);
		big[10000] = '\0';
		is_int(credit_normalize(big, 10000, &n), CREDIT_NORM_OK, "10000 ASCII chars: OK");
		is_int(n.len, 10000, "10000 ASCII chars: len 10000");
		for (k = 0; k < CREDIT_NORM_MAX; k++)
			good = good && n.cp[k] == (uint32_t) ('A' + k % 26);
		ok(good, "10000 ASCII chars: the first %d stored", CREDIT_NORM_MAX);

		o = 0;
		for (k = 0; k < 10000; k++)
			o += (size_t) enc_utf8(0xFF10 + (uint32_t) (k % 10), big + o);
		is_int(credit_normalize(big, o, &n), CREDIT_NORM_OK, "10000 full-width digits: OK");
		is_int(n.len, 10000, "10000 full-width digits: len 10000");
		good = true;
		for (k = 0; k < CREDIT_NORM_MAX; k++)
			good = good && n.cp[k] == (uint32_t) ('0' + k % 10);
		ok(good, "10000 full-width digits: the first %d stored as ASCII", CREDIT_NORM_MAX);

		/* U+FDFA expands to 18 code points under NFKC (3 of them spaces) */
		is_int(credit_normalize("\xef\xb7\xba", 3, &n), CREDIT_NORM_OK, "U+FDFA: OK");
		is_int(n.len, 15, "U+FDFA expands to 15 code points once spaces are dropped");
		o = 0;
		for (k = 0; k < 1000; k++)
			o += (size_t) enc_utf8(0xFDFA, big + o);
		is_int(credit_normalize(big, o, &n), CREDIT_NORM_OK, "1000 x U+FDFA (NFKC growth past the stack buffer): OK");
		is_int(n.len, 15000, "1000 x U+FDFA: len 15000");
		/* just under / at / over the 256-unit stack buffers */
		for (k = 254; k <= 258; k++)
		{
			int			m;

			o = 0;
			for (m = 0; m < k; m++)
				big[o++] = (char) ('0' + m % 10);
			o += (size_t) enc_utf8(0x4E2D, big + o);
			if (!ok(credit_normalize(big, o, &n) == CREDIT_NORM_OK && n.len == k + 1,
					"%d ASCII + one CJK (%d bytes) -> len %d", k, (int) o, k + 1))
				diag("got len %d", n.len);
		}
		free(big);
	}

	/* identifier input is bounded before normalisation (NFKC expands 18x) */
	{
		size_t		cap = 10000 * 3;
		char	   *big = malloc(cap);
		credit_norm m;
		int			k;

		o = 0;
		for (k = 0; k < 10000; k++)
			o += (size_t) enc_utf8(0xFDFA, big + o);
		n.len = 99;
		is_int(credit_normalize_code(big, o, &n), CREDIT_NORM_TOO_LONG,
			   "10000 x U+FDFA (30000 bytes): CREDIT_NORM_TOO_LONG, not normalised");
		is_int(n.len, 0, "... with length 0");
		memset(big, ' ', CREDIT_INPUT_MAX + 1);
		memcpy(big, "91350100M000100Y43", 18);
		is_int(credit_normalize_code(big, CREDIT_INPUT_MAX + 1, &n), CREDIT_NORM_TOO_LONG,
			   "a code and spaces, %d bytes: too long", CREDIT_INPUT_MAX + 1);
		is_int(credit_normalize_code(big, CREDIT_INPUT_MAX, &n), CREDIT_NORM_OK,
			   "a code and spaces, %d bytes: normalised", CREDIT_INPUT_MAX);
		ok(norm_is(&n, "91350100M000100Y43"), "... to the code");
		o = 0;
		for (k = 0; o + 3 <= CREDIT_INPUT_MAX; k++)
			o += (size_t) enc_utf8(0xFDFA, big + o);
		is_int(credit_normalize_code(big, o, &n), CREDIT_NORM_OK,
			   "%d x U+FDFA (%d bytes, within the bound): normalised", k, (int) o);
		credit_normalize(big, o, &m);
		ok(n.len == m.len && n.len == 15 * k && memcmp(n.cp, m.cp, sizeof(n.cp)) == 0,
		   "... exactly as credit_normalize() does");
		is_int(credit_normalize_code("", 0, &n), CREDIT_NORM_OK, "empty input: OK");
		free(big);
	}

	/* every ASCII byte alone: fast path == ICU path */
	{
		int			bad = 0,
					first = -1;

		for (c = 0; c < 128; c++)
		{
			credit_norm a,
						u;
			char		s[8];
			int			len;

			s[0] = (char) c;
			len = 1 + enc_utf8(0x4E2D, s + 1);
			if (!credit_normalize_ascii(s, 1, &a) ||
				credit_normalize(s, (size_t) len, &u) != CREDIT_NORM_OK ||
				u.len != a.len + 1 || (a.len == 1 && u.cp[0] != a.cp[0]) ||
				u.cp[a.len] != 0x4E2D)
			{
				if (bad++ == 0)
					first = (int) c;
			}
		}
		total_checks += 128;
		if (!ok(bad == 0, "ASCII fast path agrees with the ICU path on each of the 128 ASCII characters"))
			diag("%d differ, first 0x%02x", bad, first);
	}
	ok(!credit_normalize_ascii("ab\xc3\xa9", 4, &n), "credit_normalize_ascii refuses non-ASCII");
	ok(credit_normalize_ascii("a- b", 4, &n) && norm_is(&n, "AB"), "credit_normalize_ascii(\"a- b\") -> AB");

	/* property: random ASCII strings, both paths (non-ASCII appended or prepended) */
	prop_init(&p, "random ASCII strings: fast path == ICU path (CJK appended/prepended)");
	rng_seed(71);
	for (i = 0; i < 100000; i++)
	{
		credit_norm a,
					u;
		int			len = rnd_below(90),
					k;
		bool		prepend = (i & 1) != 0;
		bool		same;

		o = 0;
		if (prepend)
			o += (size_t) enc_utf8(0x4E2D, buf + o);
		for (k = 0; k < len; k++)
		{
			/* mostly printable, some controls, spaces and hyphens */
			int			r = rnd_below(10);

			buf[o++] = (char) (r < 7 ? 0x20 + rnd_below(95) : r == 7 ? '-' :
							   r == 8 ? rnd_below(0x20) : ' ');
		}
		if (!prepend)
			o += (size_t) enc_utf8(0x4E2D, buf + o);
		credit_normalize_ascii(buf + (prepend ? 3 : 0), (size_t) len, &a);
		if (credit_normalize(buf, o, &u) != CREDIT_NORM_OK)
		{
			PROP(&p, false, "ICU path failed on a %d-char string", len);
			continue;
		}
		same = u.len == a.len + 1;
		for (k = 0; same && k < u.len && k < CREDIT_NORM_MAX; k++)
		{
			uint32_t	e = prepend ? (k == 0 ? 0x4E2D : a.cp[k - 1])
				: (k < a.len ? a.cp[k] : 0x4E2D);

			same = u.cp[k] == e;
		}
		memcpy(want, buf + (prepend ? 3 : 0), (size_t) (len < 63 ? len : 63));
		want[len < 63 ? len : 63] = '\0';
		PROP(&p, same, "\"%s\": ascii %s, icu %s", want, show_norm(&a), show_norm(&u));
	}
	prop_done(&p);

	/* property: normalisation is idempotent on its ASCII-only results */
	prop_init(&p, "normalising the (ASCII) output again changes nothing");
	rng_seed(72);
	for (i = 0; i < 20000; i++)
	{
		credit_norm a,
					b;
		int			len = rnd_below(60),
					k;
		bool		same;

		o = 0;
		for (k = 0; k < len; k++)
		{
			static const uint32_t pool[] = {
				'1', 'a', 'Z', '-', ' ', 0x3000, 0xFF10, 0xFF41, 0x2014, 0xA0, 0xFF0D, 0x2460
			};

			o += (size_t) enc_utf8(pool[rnd_below(12)], buf + o);
		}
		if (credit_normalize(buf, o, &a) != CREDIT_NORM_OK)
		{
			PROP(&p, false, "normalise failed");
			continue;
		}
		o = 0;
		for (k = 0; k < a.len && k < CREDIT_NORM_MAX; k++)
			o += (size_t) enc_utf8(a.cp[k], buf + o);
		credit_normalize(buf, o, &b);
		same = a.len == b.len;
		for (k = 0; same && k < a.len; k++)
			same = a.cp[k] == b.cp[k];
		PROP(&p, same, "%s -> %s", show_norm(&a), show_norm(&b));
	}
	prop_done(&p);
}

/* ------------------------------------------------------------------------
 * resident ID number
 * ------------------------------------------------------------------------ */

static void
check_rid_diag(const char *input, const char *label, credit_problem problem,
			   int length, int position, uint32_t bad_char, char found,
			   char expected, int y, int m, int d_)
{
	credit_norm n;
	credit_diag d;
	int64_t		v;
	credit_norm_status st;
	credit_problem pr;

	memset(&d, 0x5A, sizeof(d));
	st = norm(input, &n);
	pr = rid_parse(&n, &v, &d);
	if (!ok(st == CREDIT_NORM_OK && pr == problem && d.problem == problem &&
			d.length == length && d.position == position &&
			d.bad_char == bad_char && d.found == found && d.expected == expected &&
			(y < 0 || (d.year == y && d.month == m && d.day == d_)),
			"rid diag %s: %s len=%d pos=%d", label, problem_name(problem),
			length, position))
		diag("got status %d, %s/%s len=%d pos=%d bad=U+%04X found=0x%02x expected=0x%02x date=%d-%d-%d for %s",
			 (int) st, problem_name(pr), problem_name(d.problem), d.length,
			 d.position, (unsigned) d.bad_char, (unsigned char) d.found,
			 (unsigned char) d.expected, d.year, d.month, d.day, show_norm(&n));
}

static void
test_rid(void)
{
	char		s[19],
				out[19];
	int64_t		v;
	credit_diag d;
	credit_norm n;
	prop		p,
				p2,
				p3;
	long		i;
	int			pos,
				y,
				m,
				dd;

	is_int(rid_check_char("11010519491231002"), 'X', "rid check of 11010519491231002 is 'X'");
	is_int(rid_check_char("44052418800101001"), '4', "rid check of 44052418800101001 is '4'");
	is_int(rid_check_char("1101051949123100A"), '\0', "rid check with a letter is NUL");
	is_int(rid_text("11010519491231002X", &v, &d), CREDIT_OK, "11010519491231002X parses");
	ok(v == INT64_C(11010519491231002), "... to 11010519491231002");
	rid_unpack(v, out);
	out[18] = '\0';
	ok(strcmp(out, "11010519491231002X") == 0, "... and unpacks to 11010519491231002X (%s)", out);
	is_int(rid_text("11010519491231002x", &v, &d), CREDIT_OK, "lower-case x accepted");
	is_int(rid_text("110105 19491231 002x", &v, &d), CREDIT_OK, "spaces and lower-case x accepted");
	is_int(rid_text("\xef\xbc\x91\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x95"
					"\xef\xbc\x91\xef\xbc\x99\xef\xbc\x94\xef\xbc\x99\xef\xbc\x91\xef\xbc\x92"
					"\xef\xbc\x93\xef\xbc\x91\xef\xbc\x90\xef\xbc\x90\xef\xbc\x92\xef\xbd\x98",
					&v, &d), CREDIT_OK, "full-width with full-width small x accepted");
	is_int(rid_text("440524188001010014", &v, &d), CREDIT_OK, "440524188001010014 parses");
	is_flags(rid_text_problems("11010519491231002X", true), 0, "11010519491231002X strict clean");

	/* check-digit algorithm against the reference, all 11 results */
	{
		bool		seen[11] = {false};
		int			nseen = 0;

		prop_init(&p, "rid_check_char equals ISO 7064 MOD 11-2 (recursive form) on random bodies");
		rng_seed(81);
		for (i = 0; i < 200000; i++)
		{
			char		body[18];
			char		c;
			int			k;

			for (k = 0; k < 17; k++)
				body[k] = rnd_digit();
			body[17] = '\0';
			c = rid_check_char(body);
			PROP(&p, c == ref_rid_check(body), "%s: got %c, reference %c", body,
				 c ? c : '?', ref_rid_check(body));
			k = c == 'X' ? 10 : c - '0';
			if (k >= 0 && k <= 10 && !seen[k])
			{
				seen[k] = true;
				nseen++;
			}
		}
		prop_done(&p);
		is_int(nseen, 11, "all 11 rid check characters (0-9, X) occur");
	}

	/* 'X' only at position 18 */
	{
		int			bad = 0;

		for (pos = 0; pos < 17; pos++)
		{
			memcpy(s, "11010519491231002X", 19);
			s[pos] = 'X';
			if (rid_text(s, &v, &d) != CREDIT_ERR_CHARACTER || d.position != pos + 1 ||
				d.bad_char != 'X')
			{
				if (bad++ == 0)
					diag("%s: %s at %d", s, problem_name(d.problem), d.position);
			}
		}
		total_checks += 17;
		ok(bad == 0, "'X' at positions 1..17 is a CHARACTER problem at that position");
	}

	/* birth dates */
	make_rid(s, "110105", 1900, 2, 29, 1);
	check_rid_diag(s, "19000229", CREDIT_ERR_BIRTH_DATE, 18, 7, 0, 0, 0, 1900, 2, 29);
	make_rid(s, "110105", 2000, 2, 29, 1);
	check_rid_diag(s, "20000229", CREDIT_OK, 18, 0, 0, 0, 0, 2000, 2, 29);
	make_rid(s, "110105", 1799, 12, 31, 1);
	check_rid_diag(s, "17991231", CREDIT_ERR_BIRTH_DATE, 18, 7, 0, 0, 0, 1799, 12, 31);
	make_rid(s, "110105", 1800, 1, 1, 1);
	check_rid_diag(s, "18000101", CREDIT_OK, 18, 0, 0, 0, 0, 1800, 1, 1);
	make_rid(s, "110105", 1990, 13, 1, 1);
	check_rid_diag(s, "month 13", CREDIT_ERR_BIRTH_DATE, 18, 7, 0, 0, 0, 1990, 13, 1);
	make_rid(s, "110105", 1990, 0, 10, 1);
	check_rid_diag(s, "month 00", CREDIT_ERR_BIRTH_DATE, 18, 7, 0, 0, 0, 1990, 0, 10);
	make_rid(s, "110105", 1990, 1, 0, 1);
	check_rid_diag(s, "day 00", CREDIT_ERR_BIRTH_DATE, 18, 7, 0, 0, 0, 1990, 1, 0);
	make_rid(s, "110105", 1990, 4, 31, 1);
	check_rid_diag(s, "19900431", CREDIT_ERR_BIRTH_DATE, 18, 7, 0, 0, 0, 1990, 4, 31);
	make_rid(s, "110105", 1990, 1, 32, 1);
	check_rid_diag(s, "19900132", CREDIT_ERR_BIRTH_DATE, 18, 7, 0, 0, 0, 1990, 1, 32);
	make_rid(s, "110105", 1996, 2, 29, 1);
	check_rid_diag(s, "19960229", CREDIT_OK, 18, 0, 0, 0, 0, 1996, 2, 29);
	make_rid(s, "110105", 2100, 2, 29, 1);
	check_rid_diag(s, "21000229", CREDIT_ERR_BIRTH_DATE, 18, 7, 0, 0, 0, 2100, 2, 29);
	make_rid(s, "110105", 0, 1, 1, 1);
	check_rid_diag(s, "00000101", CREDIT_ERR_BIRTH_DATE, 18, 7, 0, 0, 0, 0, 1, 1);
	make_rid(s, "110105", 9999, 12, 31, 1);
	check_rid_diag(s, "99991231 (future is the caller's check)", CREDIT_OK, 18, 0, 0, 0, 0, 9999, 12, 31);
	{
		int			bad = 0;

		for (y = 1700; y <= 2500; y++)
			for (m = -1; m <= 14; m++)
				for (dd = -1; dd <= 33; dd++)
					if (rid_date_ok(y, m, dd) != ref_date_ok(y, m, dd) && bad++ == 0)
						diag("rid_date_ok(%d, %d, %d) = %d", y, m, dd, rid_date_ok(y, m, dd));
		total_checks += 801 * 16 * 35;
		ok(bad == 0, "rid_date_ok agrees with the reference for years 1700..2500");
	}

	/* diagnostics and their order: length, character, birth date, check */
	check_rid_diag("11010519491231002X", "valid", CREDIT_OK, 18, 0, 0, 0, 0, 1949, 12, 31);
	check_rid_diag("11010519491231002", "17 chars", CREDIT_ERR_LENGTH, 17, 0, 0, 0, 0, -1, 0, 0);
	check_rid_diag("11010519491231002X1", "19 chars", CREDIT_ERR_LENGTH, 19, 0, 0, 0, 0, -1, 0, 0);
	check_rid_diag("", "empty", CREDIT_ERR_LENGTH, 0, 0, 0, 0, 0, -1, 0, 0);
	check_rid_diag("A1010519491231002X", "'A' at 1", CREDIT_ERR_CHARACTER, 18, 1, 'A', 0, 0, -1, 0, 0);
	check_rid_diag("11010519491231002Y", "'Y' at 18", CREDIT_ERR_CHARACTER, 18, 18, 'Y', 0, 0, -1, 0, 0);
	check_rid_diag("110105194912310021", "wrong check", CREDIT_ERR_CHECK_CHAR, 18, 18, 0, '1', 'X', -1, 0, 0);
	check_rid_diag("440524188001010013", "wrong check 3", CREDIT_ERR_CHECK_CHAR, 18, 18, 0, '3', '4', -1, 0, 0);
	check_rid_diag("11010519491331002A", "character before birth date", CREDIT_ERR_CHARACTER,
				   18, 18, 'A', 0, 0, -1, 0, 0);
	check_rid_diag("1101051949133100A", "length before character (and names it)",
				   CREDIT_ERR_LENGTH, 17, 17, 'A', 0, 0, -1, 0, 0);
	check_rid_diag("11010519491231002X0", "19 chars, 'X' at 18 is not named",
				   CREDIT_ERR_LENGTH, 19, 0, 0, 0, 0, -1, 0, 0);
	check_rid_diag("1101051949123100X", "17 chars, 'X' at 17 is named",
				   CREDIT_ERR_LENGTH, 17, 17, 'X', 0, 0, -1, 0, 0);
	check_rid_diag("110105\xe2\x80\x8b" "19491231002X", "U+200B inserted: LENGTH 19, names it",
				   CREDIT_ERR_LENGTH, 19, 7, 0x200B, 0, 0, -1, 0, 0);
	check_rid_diag("110105194913310020", "birth date before check", CREDIT_ERR_BIRTH_DATE,
				   18, 7, 0, 0, 0, 1949, 13, 31);
	check_rid_diag("1101\xe2\x80\x8b" "519491231002X", "U+200B replacing position 5",
				   CREDIT_ERR_CHARACTER, 18, 5, 0x200B, 0, 0, -1, 0, 0);
	is_flags(rid_text_problems("110105194913310020", false),
			 CREDIT_PB_BIRTH_DATE | CREDIT_PB_CHECK_CHAR, "flags: bad date + wrong check");
	is_flags(rid_text_problems("11010519491331002A", false),
			 CREDIT_PB_CHARACTER | CREDIT_PB_BIRTH_DATE, "flags: bad char + bad date");
	is_flags(rid_text_problems("1101051949133", false), CREDIT_PB_LENGTH,
			 "flags: 13 chars, date not judged");
	is_flags(rid_text_problems("11010519491331", false), CREDIT_PB_LENGTH | CREDIT_PB_BIRTH_DATE,
			 "flags: 14 chars with a bad date");
	is_flags(rid_text_problems("", true), CREDIT_PB_LENGTH, "strict flags on empty: LENGTH");

	/* strict province */
	make_rid(s, "990105", 1990, 1, 1, 1);
	is_flags(rid_text_problems(s, true), CREDIT_PB_PROVINCE, "%s: strict province 99 bad", s);
	is_flags(rid_text_problems(s, false), 0, "%s: non-strict clean", s);
	make_rid(s, "830000", 1990, 1, 1, 1);
	is_flags(rid_text_problems(s, true), 0, "%s: strict province 83 ok for rid", s);
	make_rid(s, "100000", 1990, 1, 1, 1);
	is_flags(rid_text_problems(s, true), CREDIT_PB_PROVINCE, "%s: strict province 10 bad for rid", s);
	make_rid(s, "650000", 1990, 1, 1, 1);
	is_flags(rid_text_problems(s, true), 0, "%s: strict province 65 ok", s);
	{
		int			bad = 0,
					a;

		for (a = 0; a < 100; a++)
		{
			char		region[7];
			unsigned	want;

			snprintf(region, sizeof(region), "%02d0101", a);
			make_rid(s, region, 1990, 1, 1, 1);
			want = ref_province_ok(region[0], region[1], true) ? 0 : CREDIT_PB_PROVINCE;
			if (rid_text_problems(s, true) != want && bad++ == 0)
				diag("%s: 0x%x", s, rid_text_problems(s, true));
		}
		total_checks += 100;
		ok(bad == 0, "rid strict province flag matches GB/T 2260 (+83) for all 100 codes");
	}

	/* round trip and problems on random valid numbers */
	prop_init(&p, "rid_parse accepts 200000 random valid numbers, unpack gives the text back");
	prop_init(&p2, "rid_value_is_valid on every parsed value, problems == 0");
	rng_seed(91);
	for (i = 0; i < 200000; i++)
	{
		credit_problem pr;

		gen_rid(s);
		if (i % 5 == 0 && s[17] == 'X')
			s[17] = 'x';
		pr = rid_text(s, &v, &d);
		if (s[17] == 'x')
			s[17] = 'X';
		rid_unpack(v, out);
		out[18] = '\0';
		PROP(&p, pr == CREDIT_OK && strcmp(out, s) == 0, "%s: %s, unpacked %s", s,
			 problem_name(pr), pr == CREDIT_OK ? out : "-");
		norm(s, &n);
		PROP(&p2, pr == CREDIT_OK && rid_value_is_valid(v) && rid_problems(&n, false) == 0,
			 "%s: valid %d, flags 0x%x", s, pr == CREDIT_OK && rid_value_is_valid(v),
			 rid_problems(&n, false));
	}
	prop_done(&p);
	prop_done(&p2);

	/* order: int64 order == text order */
	prop_init(&p, "sign(int64 a - b) == sign(strcmp(text)) on random rid pairs (some sharing prefixes)");
	rng_seed(92);
	for (i = 0; i < 200000; i++)
	{
		char		a[19],
					b[19];
		int64_t		va,
					vb;
		int			k,
					ts,
					vs;

		gen_rid(a);
		if (i % 2)
			gen_rid(b);
		else
		{
			/* same prefix, vary the sequence number / day */
			memcpy(b, a, 19);
			k = rnd_below(3);
			if (k == 0)
				make_rid(b, a, atoi((char[5]) {a[6], a[7], a[8], a[9], 0}),
						 atoi((char[3]) {a[10], a[11], 0}),
						 atoi((char[3]) {a[12], a[13], 0}), rnd_below(1000));
			else if (k == 1)
				b[16] = rnd_digit(), b[17] = ref_rid_check(b);
		}
		if (rid_text(a, &va, &d) != CREDIT_OK || rid_text(b, &vb, &d) != CREDIT_OK)
		{
			PROP(&p, false, "%s / %s did not parse", a, b);
			continue;
		}
		ts = sign(strcmp(a, b));
		vs = (va > vb) - (va < vb);
		PROP(&p, ts == vs, "%s vs %s: strcmp %d, int64 %d", a, b, ts, vs);
	}
	prop_done(&p);

	/* single substitutions and transpositions */
	prop_init(&p, "every single-digit substitution of 2000 random rids is rejected");
	prop_init(&p2, "every adjacent transposition of unequal characters is rejected");
	prop_init(&p3, "rid check diagnostics of substitutions: found/expected");
	rng_seed(93);
	for (i = 0; i < 2000; i++)
	{
		char		code[19];

		gen_rid(code);
		for (pos = 0; pos < 18; pos++)
		{
			const char *alts = pos == 17 ? "0123456789X" : "0123456789";
			const char *c;

			for (c = alts; *c; c++)
			{
				credit_problem pr;

				if (*c == code[pos])
					continue;
				memcpy(s, code, 19);
				s[pos] = *c;
				pr = rid_text(s, &v, &d);
				PROP(&p, pr == CREDIT_ERR_CHECK_CHAR ||
					 (pr == CREDIT_ERR_BIRTH_DATE && pos >= 6 && pos <= 13),
					 "%s (from %s): %s", s, code, problem_name(pr));
				if (pr == CREDIT_ERR_CHECK_CHAR)
					PROP(&p3, d.position == 18 && d.found == s[17] &&
						 d.expected == ref_rid_check(s),
						 "%s: found %c expected %c", s, d.found, d.expected);
			}
		}
		for (pos = 0; pos < 17; pos++)
		{
			credit_problem pr;
			char		t;

			if (code[pos] == code[pos + 1])
				continue;
			memcpy(s, code, 19);
			t = s[pos];
			s[pos] = s[pos + 1];
			s[pos + 1] = t;
			pr = rid_text(s, &v, &d);
			PROP(&p2, pr == CREDIT_ERR_CHECK_CHAR || pr == CREDIT_ERR_BIRTH_DATE ||
				 (pr == CREDIT_ERR_CHARACTER && pos == 16 && code[17] == 'X'),
				 "%s (from %s): %s", s, code, problem_name(pr));
		}
	}
	prop_done(&p);
	prop_done(&p3);
	prop_done(&p2);

	/* rid_value_is_valid */
	ok(rid_value_is_valid(INT64_C(11010519491231002)), "rid_value_is_valid(11010519491231002)");
	ok(!rid_value_is_valid(-1), "rid_value_is_valid(-1) is false");
	ok(!rid_value_is_valid(INT64_MIN), "rid_value_is_valid(INT64_MIN) is false");
	ok(!rid_value_is_valid(INT64_C(100000000000000000)), "rid_value_is_valid(10^17) is false");
	ok(!rid_value_is_valid(INT64_MAX), "rid_value_is_valid(INT64_MAX) is false");
	ok(rid_value_is_valid(INT64_C(99999999991231999)), "rid_value_is_valid(99999999991231999) (max valid)");
	ok(!rid_value_is_valid(INT64_C(11010519000229001)), "value with 1900-02-29 is not valid");
	ok(!rid_value_is_valid(0), "value 0 (year 0) is not valid");
	ok(rid_value_is_valid(INT64_C(18000101000)), "value 00000018000101000 (year 1800) is valid");
	prop_init(&p, "random int64 values: rid_value_is_valid iff unpack -> parse round-trips");
	rng_seed(94);
	for (i = 0; i < 200000; i++)
	{
		int64_t		val,
					back = -1;
		bool		valid,
					same;

		switch (i % 4)
		{
			case 0:
				val = (int64_t) rnd();	/* anything, mostly out of range */
				break;
			case 1:
				val = (int64_t) (rnd() % UINT64_C(100000000000000000));
				break;
			default:
				gen_rid(s);
				val = (int64_t) strtoll((char[18]) {
					s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8],
					s[9], s[10], s[11], s[12], s[13], s[14], s[15], s[16], 0
				}, NULL, 10);
				if (i % 8 >= 6)
					val += (int64_t) rnd_below(2000) * 1000;	/* shift the day */
				break;
		}
		valid = rid_value_is_valid(val);
		same = false;
		if (val >= 0 && val <= INT64_C(99999999999999999))
		{
			rid_unpack(val, out);
			out[18] = '\0';
			norm(out, &n);
			same = rid_parse(&n, &back, &d) == CREDIT_OK && back == val;
		}
		PROP(&p, valid == same, "%lld: valid %d, round trip %d", (long long) val, valid, same);
	}
	prop_done(&p);
}

/* is the character at 0-based index i allowed (ignoring the region rule)? */
static bool
allowed_at(const credit_norm *n, int i, bool rid)
{
	uint32_t	c = n->cp[i];

	if (rid)
		return (c >= '0' && c <= '9') || (i == 17 && c == 'X');
	return c < 0x80 && ref_val((char) c) >= 0;
}

/* 1-based position of the first character outside the allowed set, or 0 */
static int
first_bad(const credit_norm *n, bool rid)
{
	int			i;

	for (i = 0; i < n->len && i < CREDIT_NORM_MAX; i++)
		if (!allowed_at(n, i, rid))
			return i + 1;
	return 0;
}

/*
 * The rules of ident_core.h: OK -> 0; LENGTH and CHARACTER -> the first
 * character outside the allowed set (0 if none, for LENGTH); REGION_DIGITS
 * -> the first non-digit in 3..8; CHECK_CHAR -> 18; BIRTH_DATE -> 7.
 */
static bool
diag_position_ok(const credit_norm *n, const credit_diag *d, bool rid)
{
	int			fb = first_bad(n, rid);
	int			i;

	/* the legacy marker is not part of the code */
	if (d->length != n->len - (d->marked ? USCC_LEGACY_MARK_LEN : 0))
		return false;
	switch (d->problem)
	{
		case CREDIT_OK:
		case CREDIT_ERR_LEGACY_MARK:
			return d->position == 0;
		case CREDIT_ERR_LENGTH:
		case CREDIT_ERR_CHARACTER:
			if (d->position != fb)
				return false;
			if (fb == 0)
				return d->problem == CREDIT_ERR_LENGTH && d->bad_char == 0;
			return fb <= n->len && d->bad_char == n->cp[fb - 1];
		case CREDIT_ERR_REGION_DIGITS:
			if (rid)
				return false;
			for (i = 2; i < 8; i++)
				if (n->cp[i] < '0' || n->cp[i] > '9')
					return d->position == i + 1 && d->bad_char == n->cp[i];
			return false;
		case CREDIT_ERR_BIRTH_DATE:
			return rid && d->position == 7;
		case CREDIT_ERR_CHECK_CHAR:
		case CREDIT_ERR_NOT_LEGACY:
			return d->position == 18 && d->found == (char) n->cp[17] &&
				d->expected == (rid ? ref_rid_check : ref_uscc_check)
				((char[17]) {
				(char) n->cp[0], (char) n->cp[1], (char) n->cp[2], (char) n->cp[3],
				(char) n->cp[4], (char) n->cp[5], (char) n->cp[6], (char) n->cp[7],
				(char) n->cp[8], (char) n->cp[9], (char) n->cp[10], (char) n->cp[11],
				(char) n->cp[12], (char) n->cp[13], (char) n->cp[14], (char) n->cp[15],
				(char) n->cp[16]});
	}
	return false;
}

/* parse OK <=> no problems, and parse's problem is the first flag in order */
static void
test_consistency(void)
{
	prop		pu,
				pr_,
				pd;
	long		i;
	static const uint32_t junk[] = {
		'0', '1', '9', 'A', 'X', 'Y', 'I', 'O', 'Z', 'x', '*', 0x200B, 0xFF10, 0x4E2D, '-'
	};

	prop_init(&pu, "uscc: parse OK iff problems == 0, parse problem == first flag");
	prop_init(&pr_, "rid: parse OK iff problems == 0, parse problem == first flag");
	prop_init(&pd, "diag position/bad_char follow the documented rules for every problem");
	rng_seed(101);
	for (i = 0; i < 200000; i++)
	{
		char		s[19],
					buf[128];
		credit_norm n;
		credit_diag d;
		uint8_t		packed[USCC_PACKED_LEN];
		int64_t		v;
		credit_problem p;
		unsigned	f,
					want_first;
		int			k,
					nmut;
		size_t		o = 0;

		if (i % 2)
			gen_uscc(s);
		else
			gen_rid(s);
		/* mutate: a few random edits from a small, nasty alphabet */
		nmut = rnd_below(3);
		for (k = 0; k < 18; k++)
		{
			if (nmut > 0 && rnd_below(6) == 0)
			{
				nmut--;
				switch (rnd_below(3))
				{
					case 0:		/* replace */
						o += (size_t) enc_utf8(junk[rnd_below(15)], buf + o);
						continue;
					case 1:		/* delete */
						continue;
					default:	/* insert */
						o += (size_t) enc_utf8(junk[rnd_below(15)], buf + o);
						break;
				}
			}
			buf[o++] = s[k];
		}
		buf[o] = '\0';
		norm(buf, &n);

		p = uscc_parse(&n, packed, &d);
		f = uscc_problems(&n, false);
		want_first = (f & CREDIT_PB_LENGTH) ? CREDIT_ERR_LENGTH
			: (f & CREDIT_PB_CHARACTER) ? CREDIT_ERR_CHARACTER
			: (f & CREDIT_PB_REGION_DIGITS) ? CREDIT_ERR_REGION_DIGITS
			: (f & CREDIT_PB_CHECK_CHAR) ? CREDIT_ERR_CHECK_CHAR : CREDIT_OK;
		PROP(&pu, (p == CREDIT_OK) == (f == 0) && (unsigned) p == want_first,
			 "%s: parse %s, flags 0x%x", show_norm(&n), problem_name(p), f);
		PROP(&pd, diag_position_ok(&n, &d, false),
			 "uscc %s: %s at %d (U+%04X)", show_norm(&n), problem_name(p), d.position,
			 (unsigned) d.bad_char);

		p = rid_parse(&n, &v, &d);
		f = rid_problems(&n, false);
		want_first = (f & CREDIT_PB_LENGTH) ? CREDIT_ERR_LENGTH
			: (f & CREDIT_PB_CHARACTER) ? CREDIT_ERR_CHARACTER
			: (f & CREDIT_PB_BIRTH_DATE) ? CREDIT_ERR_BIRTH_DATE
			: (f & CREDIT_PB_CHECK_CHAR) ? CREDIT_ERR_CHECK_CHAR : CREDIT_OK;
		PROP(&pr_, (p == CREDIT_OK) == (f == 0) && (unsigned) p == want_first,
			 "%s: parse %s, flags 0x%x", show_norm(&n), problem_name(p), f);
		PROP(&pd, diag_position_ok(&n, &d, true),
			 "rid %s: %s at %d (U+%04X)", show_norm(&n), problem_name(p), d.position,
			 (unsigned) d.bad_char);
	}
	prop_done(&pu);
	prop_done(&pr_);
	prop_done(&pd);
}

/* ------------------------------------------------------------------------
 * fast paths: uscc_parse_canonical / rid_parse_canonical accept exactly the
 * canonical valid inputs, with the packed value of the general parser
 * ------------------------------------------------------------------------ */

static void
mutate(char *s, int len)
{
	static const char pool[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz -\t";
	int			k = rnd_below(4);

	if (k == 0)
		s[rnd_below(len)] = pool[rnd_below((int) sizeof(pool) - 1)];
	else if (k == 1)
	{
		int			i = rnd_below(len - 1);
		char		t = s[i];

		s[i] = s[i + 1];
		s[i + 1] = t;
	}
	else if (k == 2)
		s[rnd_below(len)] = (char) (0x80 | rnd_below(0x40));	/* non-ASCII byte */
	/* k == 3: unchanged */
}

static void
test_fast_paths(void)
{
	prop		pu,
				pr;
	int			i;

	rng_seed(20261121);
	prop_init(&pu, "uscc_parse_canonical accepts exactly what is canonical and valid, packing alike");
	prop_init(&pr, "rid_parse_canonical accepts exactly what is canonical and valid, value alike");
	for (i = 0; i < 300000; i++)
	{
		char		s[32];
		uint8_t		fast[USCC_PACKED_LEN],
					slow[USCC_PACKED_LEN];
		int64_t		vf = 0,
					vs = 0;
		credit_diag d;
		int			len = 18 + (rnd_below(20) == 0 ? rnd_below(3) - 1 : 0);
		bool		f_ok,
					s_ok,
					canonical;
		int			k;

		gen_uscc(s);
		mutate(s, 18);
		s[len] = '\0';
		f_ok = uscc_parse_canonical(s, (size_t) len, fast);
		s_ok = uscc_text(s, slow, &d) == CREDIT_OK;
		/* canonical: what the normaliser returns unchanged */
		canonical = len == 18;
		for (k = 0; k < len; k++)
			canonical = canonical && ((s[k] >= '0' && s[k] <= '9') || (s[k] >= 'A' && s[k] <= 'Z'));
		PROP(&pu, f_ok == (s_ok && canonical) && (!f_ok || memcmp(fast, slow, USCC_PACKED_LEN) == 0),
			 "%.*s: fast %d, general %d, canonical %d", len, s, f_ok, s_ok, canonical);

		gen_rid(s);
		mutate(s, 18);
		s[len] = '\0';
		f_ok = rid_parse_canonical(s, (size_t) len, &vf);
		s_ok = rid_text(s, &vs, &d) == CREDIT_OK;
		canonical = len == 18;
		for (k = 0; k < len; k++)
			canonical = canonical && ((s[k] >= '0' && s[k] <= '9') || s[k] == 'X');
		PROP(&pr, f_ok == (s_ok && canonical) && (!f_ok || vf == vs),
			 "%.*s: fast %d, general %d, canonical %d", len, s, f_ok, s_ok, canonical);
	}
	prop_done(&pu);
	prop_done(&pr);
}

/* ------------------------------------------------------------------------
 * legacy pilot codes
 * ------------------------------------------------------------------------ */

/*
 * Real codes issued before 2016 in the Fujian (Xiamen) pilot whose check
 * character fails GB 32100, as published:
 *	 91350203M0001QKT19  hutool issue #4119 (2025-10-27), a real company,
 *						 looked up on qixin.com and aiqicha
 *	 91350211M0000XUF46  bluesky335/IDCheck README: 厦门云上晴空航空科技有限公司
 *	 91350100M0001TGQXM  bluesky335/IDCheck README: 福建恒跃柳工机械销售有限公司
 *	 91350203M0001FUE2P  bluesky335/IDCheck README: 厦门黑脉网络科技有限公司
 *	 91350211M00013FA1N  hutool CreditCodeUtilTest.isCreditCode2 (citing IDCheck)
 */
static const char *const PILOT_CODES[] = {
	"91350203M0001QKT19", "91350211M0000XUF46", "91350100M0001TGQXM",
	"91350203M0001FUE2P", "91350211M00013FA1N"
};
#define N_PILOT_CODES ((int) (sizeof(PILOT_CODES) / sizeof(PILOT_CODES[0])))

/* the reference packing of 18 characters with the check bits given */
static void
ref_pack_text(const char *s, uint32_t check_bits, uint8_t *out)
{
	int			org[9];
	uint32_t	region = 0;
	int			i;

	for (i = 2; i < 8; i++)
		region = region * 10 + (uint32_t) (s[i] - '0');
	for (i = 0; i < 9; i++)
		org[i] = ref_val(s[8 + i]);
	ref_pack(ref_val(s[0]), ref_val(s[1]), region, org, check_bits, out);
}

/* a random code the pilot could have issued: 91/92/93 35xxxx, valid org check */
static void
gen_pilot_body(char *s)
{
	char		org[9];
	int			i;

	s[0] = '9';
	s[1] = "123"[rnd_below(3)];
	s[2] = '3';
	s[3] = '5';
	for (i = 4; i < 8; i++)
		s[i] = rnd_digit();
	for (i = 0; i < 8; i++)
		org[i] = rnd_alpha();
	org[8] = '\0';
	memcpy(s + 8, org, 8);
	s[16] = ref_org_check(org);
	s[17] = ref_uscc_check(s);
	s[18] = '\0';
}

/* a wrong check character for the 17 characters of s */
static char
wrong_check(const char *s)
{
	char		c;

	do
		c = rnd_alpha();
	while (c == ref_uscc_check(s));
	return c;
}

static credit_problem
uscc_text_legacy(const char *s, uint8_t *packed, credit_diag *d)
{
	credit_norm n;

	norm(s, &n);
	return uscc_parse_legacy(&n, packed, d);
}

static void
test_uscc_legacy_published(void)
{
	int			k;

	for (k = 0; k < N_PILOT_CODES; k++)
	{
		const char *code = PILOT_CODES[k];
		char		marked[64],
					out[USCC_TEXT_MAX + 1];
		uint8_t		packed[USCC_PACKED_LEN],
					again[USCC_PACKED_LEN],
					ref[USCC_PACKED_LEN];
		credit_diag d;
		credit_norm n;
		int			len;

		ok(ref_uscc_check(code) != code[17] && ref_org_check(code + 8) == code[16],
		   "%s: check character %c is not GB 32100's (%c), GB 11714 passes",
		   code, code[17], ref_uscc_check(code));
		/* ordinary input rejects it, and says it could be a legacy code */
		is_int(uscc_text(code, packed, &d), CREDIT_ERR_CHECK_CHAR, "%s: uscc_parse refuses it", code);
		ok(d.legacy_faults == 0 && d.found == code[17] && d.expected == ref_uscc_check(code),
		   "%s: ... with the check characters found and expected, no legacy fault", code);
		ok(!uscc_parse_stored(code, false, packed), "%s: the binary form without the flag is refused", code);
		is_flags(uscc_text_problems(code, false), CREDIT_PB_CHECK_CHAR, "%s: problems: check_char", code);
		is_flags(uscc_text_problems(code, true), CREDIT_PB_LEGACY_CHECK, "%s: strict problems: legacy_check_char only", code);

		/* stored on purpose */
		is_int(uscc_text_legacy(code, packed, &d), CREDIT_OK, "%s: uscc_parse_legacy stores it", code);
		ref_pack_text(code, (uint32_t) ref_val(code[17]) + 1, ref);
		ok(memcmp(packed, ref, USCC_PACKED_LEN) == 0, "%s: packed as the layout says (check value + 1 in the low 5 bits)", code);
		ok(uscc_packed_is_legacy(packed) && uscc_packed_is_valid(packed), "%s: legacy and valid", code);
		uscc_unpack(packed, out);
		ok(memcmp(out, code, USCC_LEN) == 0, "%s: unpack gives its 18 characters exactly", code);
		len = uscc_format(packed, out);
		out[len] = '\0';
		snprintf(marked, sizeof(marked), "%s(legacy)", code);
		if (!ok(strcmp(out, marked) == 0, "%s: its text form carries the marker", code))
			diag("got \"%s\"", out);

		/* the text form is accepted by ordinary input, to the same bytes */
		is_int(uscc_text(out, again, &d), CREDIT_OK, "%s(legacy): uscc_parse accepts the text form", code);
		ok(memcmp(again, packed, USCC_PACKED_LEN) == 0, "%s(legacy): ... to the same packed value", code);
		ok(uscc_parse_stored(code, true, again) && memcmp(again, packed, USCC_PACKED_LEN) == 0,
		   "%s: the binary form with the flag gives the same packed value", code);
		is_flags(uscc_text_problems(out, false), 0, "%s(legacy): no problem", code);
		is_flags(uscc_text_problems(out, true), CREDIT_PB_LEGACY_CHECK, "%s(legacy): strict: legacy_check_char", code);
		norm(code, &n);
		is_flags(uscc_classify(&n, again), CREDIT_PB_LEGACY_CHECK, "%s: classify: legacy", code);
		ok(memcmp(again, packed, USCC_PACKED_LEN) == 0, "%s: classify packs it as uscc_parse_legacy does", code);

		/* a legacy flag on the corrected code is not a value */
		{
			char		fixed[19];

			memcpy(fixed, code, 19);
			fixed[17] = ref_uscc_check(code);
			ref_pack_text(fixed, (uint32_t) ref_val(fixed[17]) + 1, ref);
			ok(!uscc_packed_is_valid(ref), "%s: the flag with the computed check character %c -> invalid", code, fixed[17]);
			ok(!uscc_parse_stored(fixed, true, again), "%s: ... and refused in the binary form", fixed);
			snprintf(marked, sizeof(marked), "%s(legacy)", fixed);
			is_int(uscc_text(marked, again, &d), CREDIT_ERR_LEGACY_MARK, "%s: the marker on a right check character is refused", marked);
			is_flags(uscc_text_problems(marked, false), CREDIT_PB_LEGACY_MARK, "%s: problem legacy_marker", marked);
			is_int(uscc_text_legacy(fixed, again, &d), CREDIT_OK, "%s: uscc_parse_legacy stores the corrected code ...", fixed);
			ok(!uscc_packed_is_legacy(again), "%s: ... as an ordinary code", fixed);
		}
	}
}

static void
test_uscc_legacy_rules(void)
{
	uint8_t		packed[USCC_PACKED_LEN];
	credit_diag d;
	int			i;
	static const char *const marked_forms[] = {
		"91350203M0001QKT19(legacy)", "91350203M0001QKT19 (LEGACY)", "9135 0203-M000 1QKT19 ( legacy )",
		"\xef\xbc\x99\xef\xbc\x91" "350203M0001QKT19\xef\xbc\x88legacy\xef\xbc\x89"	/* full-width */
	};

	for (i = 0; i < (int) (sizeof(marked_forms) / sizeof(marked_forms[0])); i++)
		ok(uscc_text(marked_forms[i], packed, &d) == CREDIT_OK && uscc_packed_is_legacy(packed),
		   "marked form %d accepted as a legacy code", i + 1);

	/* what fails is said: department, category, GB 11714, province */
	is_int(uscc_text_legacy("B1350203M0001QKT1X", packed, &d), CREDIT_ERR_NOT_LEGACY, "department B: not a legacy code");
	is_flags(d.legacy_faults, CREDIT_PB_DEPARTMENT, "... fault: department");
	is_int(uscc_text_legacy("94350203M0001QKT1X", packed, &d), CREDIT_ERR_NOT_LEGACY, "category 4 of department 9: not a legacy code");
	is_flags(d.legacy_faults, CREDIT_PB_CATEGORY, "... fault: category");
	is_int(uscc_text_legacy("91350203M0001QKT29", packed, &d), CREDIT_ERR_NOT_LEGACY, "GB 11714 fails: not a legacy code");
	ok(d.legacy_faults == CREDIT_PB_ORG_CODE && d.org_expected == '1',
	   "... fault: org_code_check, positions 9-16 give 1 (got 0x%x, %c)", d.legacy_faults, d.org_expected);
	is_int(uscc_text_legacy("91110203M0001QKT1X", packed, &d), CREDIT_ERR_NOT_LEGACY, "region 11 (北京): not a legacy code");
	is_flags(d.legacy_faults, CREDIT_PB_PROVINCE, "... fault: province (the pilot was in Fujian, 35)");
	is_flags(uscc_text_problems("91110203M0001QKT1X", true), CREDIT_PB_CHECK_CHAR,
			 "strict problems of that code: check_char, not legacy_check_char");
	is_int(uscc_text_legacy("B4110203M0001QKT2X", packed, &d), CREDIT_ERR_NOT_LEGACY, "every fault at once");
	is_flags(d.legacy_faults, CREDIT_PB_DEPARTMENT | CREDIT_PB_ORG_CODE | CREDIT_PB_PROVINCE, "... all reported");
	is_int(uscc_text("91350203M0001QKT2X(legacy)", packed, &d), CREDIT_ERR_NOT_LEGACY, "marked, but GB 11714 fails: refused");
	/* the other faults come first, as for any code */
	is_int(uscc_text_legacy("91350203M0001QKT1", packed, &d), CREDIT_ERR_LENGTH, "uscc_parse_legacy: 17 characters: length");
	is_int(uscc_text_legacy("9135020AM0001QKT19", packed, &d), CREDIT_ERR_REGION_DIGITS, "uscc_parse_legacy: letter in the region: region_digits");
	is_int(uscc_text("91350203M0001QKT19(legacy", packed, &d), CREDIT_ERR_LENGTH, "an unclosed marker is no marker");
	is_int(uscc_text("(legacy)", packed, &d), CREDIT_ERR_LENGTH, "the marker alone: length 0");
	ok(d.length == 0, "... the code's length excludes the marker");

	/* random pilot codes with a wrong check character round-trip */
	{
		prop		p;

		prop_init(&p, "random pilot bodies with a wrong check character: store, format, parse, is_valid");
		rng_seed(35);
		for (i = 0; i < 100000; i++)
		{
			char		s[19],
						out[USCC_TEXT_MAX + 1];
			uint8_t		again[USCC_PACKED_LEN];
			int			len;
			bool		good;

			gen_pilot_body(s);
			s[17] = wrong_check(s);
			good = uscc_text_legacy(s, packed, &d) == CREDIT_OK && uscc_packed_is_legacy(packed) &&
				uscc_packed_is_valid(packed);
			len = uscc_format(packed, out);
			out[len] = '\0';
			good = good && len == USCC_TEXT_MAX && memcmp(out, s, USCC_LEN) == 0 &&
				uscc_text(out, again, &d) == CREDIT_OK && memcmp(again, packed, USCC_PACKED_LEN) == 0 &&
				uscc_text_problems(s, true) == CREDIT_PB_LEGACY_CHECK;
			PROP(&p, good, "%s", s);
		}
		prop_done(&p);
	}
}

static void
test_uscc_legacy_order(void)
{
	prop		p_body,
				p_rand,
				p_key,
				p_eq;
	long		i;
	int			k;

	/* the 31 codes of one body: 1 ordinary, 30 legacy, in text order */
	prop_init(&p_body, "all 31 check characters of a pilot body: uscc_packed_cmp == strcmp on every pair");
	for (k = 0; k < N_PILOT_CODES + 200; k++)
	{
		char		s[31][19];
		uint8_t		pk[31][USCC_PACKED_LEN];
		credit_diag d;
		int			a,
					b;

		if (k < N_PILOT_CODES)
			memcpy(s[0], PILOT_CODES[k], 19);
		else
			gen_pilot_body(s[0]);
		for (a = 0; a < 31; a++)
		{
			memcpy(s[a], s[0], 19);
			s[a][17] = REF_ALPHA[a];
			if (uscc_text_legacy(s[a], pk[a], &d) != CREDIT_OK)
				PROP(&p_body, false, "%s does not parse", s[a]);
		}
		for (a = 0; a < 31; a++)
			for (b = 0; b < 31; b++)
				PROP(&p_body, sign(uscc_packed_cmp(pk[a], pk[b])) == sign(strcmp(s[a], s[b])),
					 "%s vs %s: cmp %d", s[a], s[b], uscc_packed_cmp(pk[a], pk[b]));
	}
	prop_done(&p_body);

	/* legacy against ordinary codes, and against each other */
	prop_init(&p_rand, "legacy vs ordinary and legacy vs legacy: sign(uscc_packed_cmp) == sign(strcmp)");
	prop_init(&p_key, "... and the abbreviated key (first 8 bytes) never contradicts it");
	prop_init(&p_eq, "... cmp == 0 exactly when the bytes are equal, and it is antisymmetric");
	rng_seed(36);
	for (i = 0; i < 300000; i++)
	{
		char		a[19],
					b[19];
		uint8_t		pa[USCC_PACKED_LEN],
					pb[USCC_PACKED_LEN];
		credit_diag d;
		int			j,
					cs;

		gen_pilot_body(a);
		a[17] = wrong_check(a);
		switch (i % 4)
		{
			case 0:				/* an ordinary code of the pilot province */
				gen_pilot_body(b);
				break;
			case 1:				/* another legacy code */
				gen_pilot_body(b);
				b[17] = wrong_check(b);
				break;
			case 2:				/* a prefix shared, the rest random */
				memcpy(b, a, 19);
				for (j = 8 + rnd_below(9); j < 16; j++)
					b[j] = rnd_alpha();
				b[16] = ref_org_check(b + 8);
				b[17] = rnd_below(2) ? ref_uscc_check(b) : wrong_check(b);
				break;
			default:			/* any ordinary code */
				gen_uscc(b);
				break;
		}
		if (uscc_text_legacy(a, pa, &d) != CREDIT_OK || uscc_text_legacy(b, pb, &d) != CREDIT_OK)
		{
			PROP(&p_rand, false, "%s / %s did not parse", a, b);
			continue;
		}
		check_order(&p_rand, &p_key, a, b, pa, pb, false);
		cs = sign(uscc_packed_cmp(pa, pb));
		PROP(&p_eq, (cs == 0) == (memcmp(pa, pb, USCC_PACKED_LEN) == 0) &&
			 cs == -sign(uscc_packed_cmp(pb, pa)), "%s vs %s", a, b);
	}
	prop_done(&p_rand);
	prop_done(&p_key);
	prop_done(&p_eq);

	/* a sorted list with the published codes among ordinary ones */
	{
		static const char *const seq[] = {
			"91350100M000100Y43", "91350100M0001TGQXM", "91350203M0001FUE2P",
			"91350203M0001QKT19", "91350211M0000XUF46", "91350211M00013FA1N"
		};

		ok(sorted_in_text_order(seq, 6, false),
		   "the published pilot codes and the GB 32100 example compare like their text");
	}
}

static void
test_name_key(void)
{
	static const struct
	{
		const char *in;
		const char *key;
	}			cases[] = {
		{"厦门象屿集团有限公司", "厦门象屿集团有限公司"},
		{"  厦门象屿集团有限公司\t", "厦门象屿集团有限公司"},
		{"天津云上畅游科技合伙企业（有限合伙）", "天津云上畅游科技合伙企业(有限合伙)"},
		{"ａｂｃ　Ｃｏ．，Ｌｔｄ", "ABC CO.,LTD"},
		{"abc  \xc2\xa0 co", "ABC CO"},
		{"\xe3\x80\x80\xe3\x80\x80", ""},
		{"", ""},
		{"x\xef\xbd\x9e\xef\xbd\x9f", "X~\xef\xbd\x9f"},		/* U+FF5E maps, U+FF5F stays */
		{"\xef\xbc\x80!", "\xef\xbc\x80!"},	/* U+FF00 is not a full-width form */
		{"\xef\xbc", "\xef\xbc"},	/* truncated sequence kept as it is */
	};
	int			i;

	for (i = 0; i < (int) (sizeof(cases) / sizeof(cases[0])); i++)
	{
		char		out[128];
		size_t		len = credit_name_key(cases[i].in, strlen(cases[i].in), out);

		out[len] = '\0';
		ok(len <= strlen(cases[i].in) && strcmp(out, cases[i].key) == 0,
		   "name key %d: \"%s\" -> \"%s\"", i + 1, cases[i].in, out);
	}
}

int
main(void)
{
	test_utf8_encode();
	test_uscc_alphabet();
	test_uscc_check_known();
	test_uscc_roundtrip();
	test_uscc_order();
	test_uscc_error_detection();
	test_uscc_diagnostics();
	test_uscc_strict();
	test_uscc_packed_validity();
	test_uscc_legacy_published();
	test_uscc_legacy_rules();
	test_uscc_legacy_order();
	test_name_key();
	test_normalize();
	test_rid();
	test_consistency();
	test_fast_paths();
	diag("%d test lines, %ld checks inside properties and loops",
		 tap_run, total_checks);
	return done_testing();
}
