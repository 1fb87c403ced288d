/*
 * normalize.c
 *	  Input normalisation for identifier codes: Unicode NFKC (ICU), removal
 *	  of white space and dashes, ASCII upper-casing.  No PostgreSQL headers.
 *
 * What is removed is defined by Unicode properties, so the rule is exact and
 * documented: every code point with White_Space (this includes U+3000
 * IDEOGRAPHIC SPACE and U+00A0) and every code point with Dash (hyphen-minus,
 * U+2010..U+2015, U+2212 minus sign, ...).  Nothing else is dropped or
 * changed: an invisible U+200B stays and is reported as a bad character.
 */
#include "ident_core.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

int
credit_utf8_encode(uint32_t cp, char *buf)
{
	if (cp < 0x80)
	{
		buf[0] = (char) cp;
		return 1;
	}
	if (cp < 0x800)
	{
		buf[0] = (char) (0xC0 | (cp >> 6));
		buf[1] = (char) (0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000)
	{
		buf[0] = (char) (0xE0 | (cp >> 12));
		buf[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		buf[2] = (char) (0x80 | (cp & 0x3F));
		return 3;
	}
	buf[0] = (char) (0xF0 | (cp >> 18));
	buf[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
	buf[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
	buf[3] = (char) (0x80 | (cp & 0x3F));
	return 4;
}

static inline void
norm_append(credit_norm *out, uint32_t cp)
{
	if (out->len < CREDIT_NORM_MAX)
		out->cp[out->len] = cp;
	out->len++;
}

/*
 * ASCII fast path.  NFKC maps every ASCII character to itself, and the only
 * ASCII code points with White_Space or Dash are U+0009..U+000D, U+0020 and
 * U+002D, so this gives exactly what the ICU path gives.  Returns false (and
 * leaves *out unspecified) when the input is not pure ASCII.
 */
bool
credit_normalize_ascii(const char *s, size_t len, credit_norm *out)
{
	size_t		i;

	out->len = 0;
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c >= 0x80)
			return false;
		if ((c >= 0x09 && c <= 0x0D) || c == ' ' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (unsigned char) (c - 'a' + 'A');
		norm_append(out, c);
	}
	return true;
}

#define STACK_UNITS 256

credit_norm_status
credit_normalize(const char *utf8, size_t len, credit_norm *out)
{
	UChar		src_stack[STACK_UNITS];
	UChar		dst_stack[STACK_UNITS];
	UChar	   *src = src_stack;
	UChar	   *dst = dst_stack;
	int32_t		src_len = 0;
	int32_t		dst_len;
	UErrorCode	err = U_ZERO_ERROR;
	const UNormalizer2 *nfkc;
	credit_norm_status status = CREDIT_NORM_OK;
	int32_t		i;

	if (credit_normalize_ascii(utf8, len, out))
		return CREDIT_NORM_OK;

	out->len = 0;
	if (len > (size_t) (INT32_MAX / 4))
		return CREDIT_NORM_NO_MEMORY;

	/* UTF-8 -> UTF-16; never more UTF-16 units than UTF-8 bytes */
	if (len > STACK_UNITS)
	{
		src = malloc(len * sizeof(UChar));
		if (src == NULL)
			return CREDIT_NORM_NO_MEMORY;
	}
	u_strFromUTF8(src, (int32_t) (len > STACK_UNITS ? len : STACK_UNITS),
				  &src_len, utf8, (int32_t) len, &err);
	if (U_FAILURE(err))
	{
		status = (err == U_INVALID_CHAR_FOUND || err == U_ILLEGAL_CHAR_FOUND)
			? CREDIT_NORM_BAD_UTF8 : CREDIT_NORM_ICU_ERROR;
		goto done;
	}

	nfkc = unorm2_getNFKCInstance(&err);
	if (U_FAILURE(err))
	{
		status = CREDIT_NORM_ICU_ERROR;
		goto done;
	}

	/* NFKC may expand: preflight when the stack buffer is too small */
	dst_len = unorm2_normalize(nfkc, src, src_len, dst, STACK_UNITS, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR)
	{
		err = U_ZERO_ERROR;
		dst = malloc(((size_t) dst_len + 1) * sizeof(UChar));
		if (dst == NULL)
		{
			status = CREDIT_NORM_NO_MEMORY;
			goto done;
		}
		dst_len = unorm2_normalize(nfkc, src, src_len, dst, dst_len + 1, &err);
	}
	if (U_FAILURE(err))
	{
		status = CREDIT_NORM_ICU_ERROR;
		goto done;
	}

	for (i = 0; i < dst_len;)
	{
		UChar32		c;

		U16_NEXT(dst, i, dst_len, c);
		if (u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_DASH))
			continue;
		if (c >= 'a' && c <= 'z')
			c = c - 'a' + 'A';
		norm_append(out, (uint32_t) c);
	}

done:
	if (src != src_stack)
		free(src);
	if (dst != dst_stack)
		free(dst);
	return status;
}

credit_norm_status
credit_normalize_code(const char *utf8, size_t len, credit_norm *out)
{
	if (len > CREDIT_INPUT_MAX)
	{
		out->len = 0;
		return CREDIT_NORM_TOO_LONG;
	}
	return credit_normalize(utf8, len, out);
}

size_t
credit_name_key(const char *utf8, size_t len, char *out)
{
	const unsigned char *s = (const unsigned char *) utf8;
	size_t		i = 0;
	size_t		o = 0;
	bool		space = false;	/* a space is pending (never at the start) */

	while (i < len)
	{
		unsigned char c = s[i];
		unsigned char ascii = 0;
		size_t		step = 1;

		if (c == ' ' || (c >= '\t' && c <= '\r'))
			ascii = ' ';
		else if (c == 0xC2 && i + 1 < len && s[i + 1] == 0xA0)
			ascii = ' ', step = 2;	/* U+00A0 */
		else if (c == 0xE3 && i + 2 < len && s[i + 1] == 0x80 && s[i + 2] == 0x80)
			ascii = ' ', step = 3;	/* U+3000 */
		else if (c == 0xEF && i + 2 < len &&
				 ((s[i + 1] == 0xBC && s[i + 2] >= 0x81 && s[i + 2] <= 0xBF) ||
				  (s[i + 1] == 0xBD && s[i + 2] >= 0x80 && s[i + 2] <= 0x9E)))
		{
			/* U+FF01..U+FF5E: EF BC 81..BF, EF BD 80..9E -> 0x21..0x7E */
			ascii = (unsigned char) (s[i + 1] == 0xBC ? s[i + 2] - 0x60 : s[i + 2] - 0x20);
			step = 3;
		}
		else if (c < 0x80)
			ascii = c;

		if (ascii == ' ')
		{
			space = o > 0;
			i += step;
			continue;
		}
		if (space)
		{
			out[o++] = ' ';
			space = false;
		}
		if (ascii != 0)
			out[o++] = (char) (ascii >= 'a' && ascii <= 'z' ? ascii - 'a' + 'A' : ascii);
		else
			out[o++] = (char) c;	/* any other byte, as it is */
		i += step;
	}
	return o;
}
