/*
 * credit_verify.c
 *	  credit-verify PROOF_FILE DIGEST: check, without a server, that an audit
 *	  log row is in the tamper-evident log whose latest block is DIGEST.
 *
 * The proof is the text of a jsonb the server produced (any key order and
 * whitespace are accepted):
 *
 *	{"version": 1, "log_id": 123, "row_hash": HEX, "leaf_index": 4,
 *	 "tree_size": 9, "path": [HEX, ...], "block": BLOCK, "chain": [BLOCK, ...],
 *	 "digest": "17:HEX"}
 *	BLOCK = {"block_id": 5, "row_count": 9, "merkle_root": HEX,
 *	 "prev_hash": HEX or null, "sealed_at": 849123456789012, "hash_version": 2,
 *	 "high_log_id": 130, "late_log_ids": [...], "deferred_log_ids": [...],
 *	 "block_hash": HEX}
 *
 * HEX is 64 lower-case hex digits.  A version 1 block needs no high_log_id,
 * late_log_ids or deferred_log_ids (they are type-checked and ignored when
 * present); a version 2 block needs all three.  Unknown and duplicate keys
 * are errors.
 *
 * Checks: the path proves row_hash is leaf leaf_index of tree_size leaves
 * under block.merkle_root (RFC 6962), tree_size = block.row_count; every
 * block's hash recomputed from its fields equals its block_hash; chain[0]
 * follows block and every chain block the one before it (block_id + 1,
 * prev_hash = its block_hash); for a version 2 block, log_id is at most
 * high_log_id and not deferred; the last block as "block_id:block_hash"
 * equals the proof's digest and the DIGEST argument.
 *
 * Exit status: 0 and "ok: ..." when the proof holds; 1 and "rejected: ..."
 * when it does not; 2 on bad usage, unreadable or malformed input.
 *
 * The JSON parser is small and strict (RFC 8259 with integers only, no
 * \u0000, valid UTF-8, at most 32 levels deep, input at most 64 MiB): it is
 * meant for hostile input.  Built with -DCREDIT_VERIFY_NO_MAIN, this file is
 * the library the fuzz target (test/fuzz/fuzz_proof.c) includes.
 */
#ifndef CREDIT_VERIFY_NO_MAIN
#include "postgres_fe.h"

#include "common/cryptohash.h"
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_core.h"

#define CV_MAX_INPUT	(64 * 1024 * 1024)
#define CV_MAX_DEPTH	32

#define CV_OK		0
#define CV_REJECTED 1
#define CV_BAD		2

/* ---------- JSON ---------- */

typedef enum jtype
{
	J_NULL,
	J_TRUE,
	J_FALSE,
	J_INT,
	J_STR,
	J_ARR,
	J_OBJ
} jtype;

/* an object's kids are key, value, key, value, ... (n members: 2n kids) */
typedef struct jnode
{
	jtype		type;
	size_t		n;				/* string: bytes; array, object: members */
	union
	{
		int64_t		i;
		char	   *s;			/* NUL-terminated too (no \u0000 inside) */
		struct jnode *kids;
	}			u;
} jnode;

typedef struct jparser
{
	const char *s;
	size_t		len;
	size_t		pos;
	int			depth;
	char	   *err;			/* the message, CV_BAD */
	size_t		errsz;
} jparser;

static void
jfree(jnode *j)
{
	size_t		i;

	if (j->type == J_STR)
		free(j->u.s);
	else if (j->type == J_ARR || j->type == J_OBJ)
	{
		size_t		nk = j->type == J_OBJ ? 2 * j->n : j->n;

		for (i = 0; i < nk; i++)
			jfree(&j->u.kids[i]);
		free(j->u.kids);
	}
	j->type = J_NULL;
}

/* a key for a message: at most 60 bytes, anything but printable ASCII as '?' */
static const char *
printable(const jnode *k, char *buf, size_t bufsz)
{
	size_t		i;

	for (i = 0; i < k->n && i < 60 && i + 1 < bufsz; i++)
		buf[i] = (k->u.s[i] >= 0x20 && k->u.s[i] < 0x7f) ? k->u.s[i] : '?';
	buf[i] = '\0';
	return buf;
}

static bool
jerror(jparser *p, const char *fmt,...)
{
	va_list		ap;
	size_t		o;

	snprintf(p->err, p->errsz, "malformed JSON at byte %zu: ", p->pos);
	o = strlen(p->err);
	va_start(ap, fmt);
	vsnprintf(p->err + o, p->errsz - o, fmt, ap);
	va_end(ap);
	return false;
}

static void
skip_ws(jparser *p)
{
	while (p->pos < p->len &&
		   (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
			p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

/* describe the byte at pos for a message */
static const char *
what_is_here(jparser *p, char *buf, size_t bufsz)
{
	unsigned char c;

	if (p->pos >= p->len)
		return "the end of the input";
	c = (unsigned char) p->s[p->pos];
	if (c >= 0x21 && c < 0x7f)
		snprintf(buf, bufsz, "'%c'", c);
	else
		snprintf(buf, bufsz, "byte 0x%02x", c);
	return buf;
}

static bool
parse_value(jparser *p, jnode *out);

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* a growing byte buffer for decoded strings */
typedef struct sbuf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} sbuf;

static bool
sbuf_put(jparser *p, sbuf *b, const char *data, size_t len)
{
	if (b->len + len + 1 > b->cap)
	{
		size_t		cap = b->cap ? b->cap : 64;
		char	   *d;

		while (cap < b->len + len + 1)
			cap *= 2;
		d = realloc(b->data, cap);
		if (d == NULL)
			return jerror(p, "out of memory");
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return true;
}

/* the length of the valid UTF-8 sequence at s (at most avail bytes), or 0 */
static size_t
utf8_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t		n,
				i;
	unsigned char lo = 0x80,
				hi = 0xBF;

	if (c < 0x80)
		return 1;
	else if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
	{
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;			/* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F;			/* no surrogates */
	}
	else if (c >= 0xF0 && c <= 0xF4)
	{
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;			/* nothing above U+10FFFF */
	}
	else
		return 0;
	if (avail < n)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

static bool
parse_hex4(jparser *p, unsigned *out)
{
	unsigned	v = 0;
	int			i;

	if (p->len - p->pos < 4)
		return jerror(p, "\\u needs four hex digits");
	for (i = 0; i < 4; i++)
	{
		int			d = hexval(p->s[p->pos + i]);

		if (d < 0)
			return jerror(p, "\\u needs four hex digits");
		v = v * 16 + (unsigned) d;
	}
	p->pos += 4;
	*out = v;
	return true;
}

static bool
parse_string(jparser *p, jnode *out)
{
	sbuf		b = {NULL, 0, 0};

	p->pos++;					/* the opening quote */
	if (!sbuf_put(p, &b, "", 0))
		return false;
	for (;;)
	{
		unsigned char c;

		if (p->pos >= p->len)
		{
			free(b.data);
			return jerror(p, "unterminated string");
		}
		c = (unsigned char) p->s[p->pos];
		if (c == '"')
		{
			p->pos++;
			break;
		}
		if (c < 0x20)
		{
			free(b.data);
			return jerror(p, "control character 0x%02x in a string (escape it)", c);
		}
		if (c == '\\')
		{
			char		e;
			char		u8[4];
			size_t		u8len;
			unsigned	cp;

			p->pos++;
			if (p->pos >= p->len)
			{
				free(b.data);
				return jerror(p, "unterminated string");
			}
			e = p->s[p->pos++];
			switch (e)
			{
				case '"':
				case '\\':
				case '/':
					u8[0] = e;
					u8len = 1;
					break;
				case 'b':
					u8[0] = '\b';
					u8len = 1;
					break;
				case 'f':
					u8[0] = '\f';
					u8len = 1;
					break;
				case 'n':
					u8[0] = '\n';
					u8len = 1;
					break;
				case 'r':
					u8[0] = '\r';
					u8len = 1;
					break;
				case 't':
					u8[0] = '\t';
					u8len = 1;
					break;
				case 'u':
					if (!parse_hex4(p, &cp))
					{
						free(b.data);
						return false;
					}
					if (cp >= 0xDC00 && cp <= 0xDFFF)
					{
						free(b.data);
						return jerror(p, "a lone low surrogate \\u%04X", cp);
					}
					if (cp >= 0xD800 && cp <= 0xDBFF)
					{
						unsigned	lo;

						if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
						{
							free(b.data);
							return jerror(p, "a high surrogate \\u%04X without its low surrogate", cp);
						}
						p->pos += 2;
						if (!parse_hex4(p, &lo))
						{
							free(b.data);
							return false;
						}
						if (lo < 0xDC00 || lo > 0xDFFF)
						{
							free(b.data);
							return jerror(p, "a high surrogate \\u%04X followed by \\u%04X", cp, lo);
						}
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					}
					if (cp == 0)
					{
						free(b.data);
						return jerror(p, "\\u0000 is not accepted (PostgreSQL's jsonb has no NUL characters)");
					}
					if (cp < 0x80)
					{
						u8[0] = (char) cp;
						u8len = 1;
					}
					else if (cp < 0x800)
					{
						u8[0] = (char) (0xC0 | (cp >> 6));
						u8[1] = (char) (0x80 | (cp & 0x3F));
						u8len = 2;
					}
					else if (cp < 0x10000)
					{
						u8[0] = (char) (0xE0 | (cp >> 12));
						u8[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
						u8[2] = (char) (0x80 | (cp & 0x3F));
						u8len = 3;
					}
					else
					{
						u8[0] = (char) (0xF0 | (cp >> 18));
						u8[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
						u8[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
						u8[3] = (char) (0x80 | (cp & 0x3F));
						u8len = 4;
					}
					break;
				default:
					p->pos--;
					free(b.data);
					if ((unsigned char) e >= 0x21 && (unsigned char) e < 0x7f)
						return jerror(p, "unknown escape \\%c", e);
					return jerror(p, "unknown escape (backslash, byte 0x%02x)", (unsigned char) e);
			}
			if (!sbuf_put(p, &b, u8, u8len))
			{
				free(b.data);
				return false;
			}
		}
		else
		{
			size_t		n = utf8_len((const unsigned char *) p->s + p->pos, p->len - p->pos);

			if (n == 0)
			{
				free(b.data);
				return jerror(p, "invalid UTF-8 in a string");
			}
			if (!sbuf_put(p, &b, p->s + p->pos, n))
			{
				free(b.data);
				return false;
			}
			p->pos += n;
		}
	}
	out->type = J_STR;
	out->n = b.len;
	out->u.s = b.data;
	return true;
}

static bool
parse_number(jparser *p, jnode *out)
{
	bool		neg = false;
	uint64_t	mag = 0;
	uint64_t	limit;

	if (p->s[p->pos] == '-')
	{
		neg = true;
		p->pos++;
	}
	limit = neg ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
	if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
		return jerror(p, "a number needs digits");
	if (p->s[p->pos] == '0' && p->pos + 1 < p->len &&
		p->s[p->pos + 1] >= '0' && p->s[p->pos + 1] <= '9')
		return jerror(p, "a number with a leading zero");
	while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
	{
		unsigned	d = (unsigned) (p->s[p->pos] - '0');

		if (mag > (limit - d) / 10)
			return jerror(p, "an integer out of the 64-bit range");
		mag = mag * 10 + d;
		p->pos++;
	}
	if (p->pos < p->len &&
		(p->s[p->pos] == '.' || p->s[p->pos] == 'e' || p->s[p->pos] == 'E'))
		return jerror(p, "only integers are accepted (a fraction or an exponent)");
	out->type = J_INT;
	out->n = 0;
	if (neg)
		out->u.i = mag == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) mag;
	else
		out->u.i = (int64_t) mag;
	return true;
}

static int
key_cmp(const void *a, const void *b)
{
	const jnode *x = *(const jnode *const *) a;
	const jnode *y = *(const jnode *const *) b;

	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return memcmp(x->u.s, y->u.s, x->n);
}

/* arrays and objects: kids grow as they come */
static bool
parse_container(jparser *p, jnode *out, bool obj)
{
	char		close = obj ? '}' : ']';
	jnode	   *kids = NULL;
	size_t		n = 0,
				cap = 0,
				per = obj ? 2 : 1,
				i;
	char		here[32];

	if (++p->depth > CV_MAX_DEPTH)
		return jerror(p, "nested deeper than %d levels", CV_MAX_DEPTH);
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close)
		p->pos++;
	else
	{
		for (;;)
		{
			if (per * (n + 1) > cap)
			{
				size_t		ncap = cap ? 2 * cap : 8;
				jnode	   *k = realloc(kids, ncap * sizeof(jnode));

				if (k == NULL)
				{
					jerror(p, "out of memory");
					goto fail;
				}
				kids = k;
				cap = ncap;
			}
			if (obj)
			{
				if (p->pos >= p->len || p->s[p->pos] != '"')
				{
					jerror(p, "expected a key (a string), found %s", what_is_here(p, here, sizeof(here)));
					goto fail;
				}
				if (!parse_string(p, &kids[2 * n]))
					goto fail;
				skip_ws(p);
				if (p->pos >= p->len || p->s[p->pos] != ':')
				{
					jfree(&kids[2 * n]);
					jerror(p, "expected ':' after a key, found %s", what_is_here(p, here, sizeof(here)));
					goto fail;
				}
				p->pos++;
				skip_ws(p);
				if (!parse_value(p, &kids[2 * n + 1]))
				{
					jfree(&kids[2 * n]);
					goto fail;
				}
			}
			else if (!parse_value(p, &kids[n]))
				goto fail;
			n++;
			skip_ws(p);
			if (p->pos < p->len && p->s[p->pos] == ',')
			{
				p->pos++;
				skip_ws(p);
				continue;
			}
			if (p->pos < p->len && p->s[p->pos] == close)
			{
				p->pos++;
				break;
			}
			jerror(p, "expected ',' or '%c', found %s", close, what_is_here(p, here, sizeof(here)));
			goto fail;
		}
	}
	p->depth--;
	out->type = obj ? J_OBJ : J_ARR;
	out->n = n;
	out->u.kids = kids;
	if (obj && n > 1)
	{
		/* no duplicate keys (jsonb would keep the last one silently) */
		const jnode **keys = malloc(n * sizeof(jnode *));

		if (keys == NULL)
		{
			jfree(out);
			return jerror(p, "out of memory");
		}
		for (i = 0; i < n; i++)
			keys[i] = &kids[2 * i];
		qsort(keys, n, sizeof(jnode *), key_cmp);
		for (i = 1; i < n; i++)
			if (key_cmp(&keys[i - 1], &keys[i]) == 0)
			{
				char		buf[64];

				jerror(p, "duplicate key \"%s\" in the object ending here",
					   printable(keys[i], buf, sizeof(buf)));
				free(keys);
				jfree(out);
				return false;
			}
		free(keys);
	}
	return true;

fail:
	for (i = 0; i < per * n; i++)
		jfree(&kids[i]);
	free(kids);
	return false;
}

static bool
parse_literal(jparser *p, const char *word, jtype type, jnode *out)
{
	size_t		wl = strlen(word);

	if (p->len - p->pos < wl || memcmp(p->s + p->pos, word, wl) != 0)
		return jerror(p, "unexpected characters (not true, false or null)");
	p->pos += wl;
	out->type = type;
	out->n = 0;
	return true;
}

static bool
parse_value(jparser *p, jnode *out)
{
	char		here[32];

	out->type = J_NULL;
	if (p->pos >= p->len)
		return jerror(p, "a value is missing (the input ends)");
	switch (p->s[p->pos])
	{
		case '{':
			return parse_container(p, out, true);
		case '[':
			return parse_container(p, out, false);
		case '"':
			return parse_string(p, out);
		case 't':
			return parse_literal(p, "true", J_TRUE, out);
		case 'f':
			return parse_literal(p, "false", J_FALSE, out);
		case 'n':
			return parse_literal(p, "null", J_NULL, out);
		default:
			if (p->s[p->pos] == '-' || (p->s[p->pos] >= '0' && p->s[p->pos] <= '9'))
				return parse_number(p, out);
			return jerror(p, "expected a value, found %s", what_is_here(p, here, sizeof(here)));
	}
}

/* the whole input is one JSON value */
static bool
json_parse(const char *s, size_t len, jnode *out, char *err, size_t errsz)
{
	jparser		p = {s, len, 0, 0, err, errsz};
	char		here[32];

	skip_ws(&p);
	if (p.pos >= p.len)
	{
		snprintf(err, errsz, "malformed JSON: the input is empty");
		return false;
	}
	if (!parse_value(&p, out))
		return false;
	skip_ws(&p);
	if (p.pos < p.len)
	{
		jerror(&p, "%s after the end of the JSON value", what_is_here(&p, here, sizeof(here)));
		jfree(out);
		return false;
	}
	return true;
}

/* ---------- the proof ---------- */

typedef struct cv_block
{
	audit_block_header h;
	uint8_t		block_hash[AUDIT_HASH_LEN];
	int64_t    *late;
	int64_t    *deferred;
} cv_block;

typedef struct cv_ctx
{
	char	   *msg;
	size_t		msgsz;
	audit_sha256_fn sha256;
} cv_ctx;

static int
cv_fail(cv_ctx *c, int status, const char *fmt,...)
{
	va_list		ap;
	size_t		o;

	snprintf(c->msg, c->msgsz, "%s", status == CV_REJECTED ? "rejected: " : "malformed proof: ");
	o = strlen(c->msg);
	va_start(ap, fmt);
	vsnprintf(c->msg + o, c->msgsz - o, fmt, ap);
	va_end(ap);
	return status;
}

static const jnode *
member(const jnode *obj, const char *key)
{
	size_t		kl = strlen(key),
				i;

	for (i = 0; i < obj->n; i++)
		if (obj->u.kids[2 * i].n == kl && memcmp(obj->u.kids[2 * i].u.s, key, kl) == 0)
			return &obj->u.kids[2 * i + 1];
	return NULL;
}

/* every key of obj is one of allowed (a NULL-terminated list) */
static int
known_keys(cv_ctx *c, const jnode *obj, const char *const *allowed, const char *where)
{
	size_t		i;

	for (i = 0; i < obj->n; i++)
	{
		const jnode *k = &obj->u.kids[2 * i];
		const char *const *a;

		for (a = allowed; *a; a++)
			if (k->n == strlen(*a) && memcmp(k->u.s, *a, k->n) == 0)
				break;
		if (*a == NULL)
		{
			char		buf[64];

			return cv_fail(c, CV_BAD, "%s: unknown key \"%s\"", where, printable(k, buf, sizeof(buf)));
		}
	}
	return CV_OK;
}

static int
get_int(cv_ctx *c, const jnode *obj, const char *key, const char *where, int64_t *out)
{
	const jnode *v = member(obj, key);

	if (v == NULL)
		return cv_fail(c, CV_BAD, "%s: \"%s\" is missing", where, key);
	if (v->type != J_INT)
		return cv_fail(c, CV_BAD, "%s: \"%s\" must be an integer", where, key);
	*out = v->u.i;
	return CV_OK;
}

static bool
hex_decode(const char *s, size_t len, uint8_t out[AUDIT_HASH_LEN], bool upper_ok)
{
	size_t		i;

	if (len != 2 * AUDIT_HASH_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
			  (upper_ok && s[i] >= 'A' && s[i] <= 'F')))
			return false;
	for (i = 0; i < AUDIT_HASH_LEN; i++)
		out[i] = (uint8_t) (hexval(s[2 * i]) * 16 + hexval(s[2 * i + 1]));
	return true;
}

static void
hex_encode(const uint8_t h[AUDIT_HASH_LEN], char out[2 * AUDIT_HASH_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	int			i;

	for (i = 0; i < AUDIT_HASH_LEN; i++)
	{
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[2 * AUDIT_HASH_LEN] = '\0';
}

static int
hash_node(cv_ctx *c, const jnode *v, const char *where, const char *key, uint8_t out[AUDIT_HASH_LEN])
{
	if (v->type != J_STR || !hex_decode(v->u.s, v->n, out, false))
		return cv_fail(c, CV_BAD, "%s: \"%s\" must be a SHA-256 hash as 64 lower-case hex digits",
					   where, key);
	return CV_OK;
}

static int
get_hash(cv_ctx *c, const jnode *obj, const char *key, const char *where, uint8_t out[AUDIT_HASH_LEN])
{
	const jnode *v = member(obj, key);

	if (v == NULL)
		return cv_fail(c, CV_BAD, "%s: \"%s\" is missing", where, key);
	return hash_node(c, v, where, key, out);
}

static int
get_ids(cv_ctx *c, const jnode *obj, const char *key, const char *where,
		int64_t **out, size_t *n)
{
	const jnode *v = member(obj, key);
	size_t		i;

	if (v == NULL)
		return cv_fail(c, CV_BAD, "%s: \"%s\" is missing (hash_version 2)", where, key);
	if (v->type != J_ARR)
		return cv_fail(c, CV_BAD, "%s: \"%s\" must be an array of integers", where, key);
	*out = malloc((v->n ? v->n : 1) * sizeof(int64_t));
	if (*out == NULL)
		return cv_fail(c, CV_BAD, "%s: out of memory", where);
	*n = v->n;
	for (i = 0; i < v->n; i++)
	{
		if (v->u.kids[i].type != J_INT)
			return cv_fail(c, CV_BAD, "%s: \"%s\"[%zu] must be an integer", where, key, i);
		(*out)[i] = v->u.kids[i].u.i;
	}
	return CV_OK;
}

static const char *const block_keys[] = {
	"block_id", "row_count", "merkle_root", "prev_hash", "sealed_at", "hash_version",
	"high_log_id", "late_log_ids", "deferred_log_ids", "block_hash", NULL
};

/* a v2 field to read: always in version 2; in version 1 when not absent or null */
static bool
present(const jnode *obj, const char *key, int64_t version)
{
	const jnode *v = member(obj, key);

	return version == 2 || (v != NULL && v->type != J_NULL);
}

static int
get_block(cv_ctx *c, const jnode *v, const char *where, cv_block *b)
{
	const jnode *prev;
	int64_t		version;
	int			r;

	if (v->type != J_OBJ)
		return cv_fail(c, CV_BAD, "%s must be an object", where);
	if ((r = known_keys(c, v, block_keys, where)) != CV_OK ||
		(r = get_int(c, v, "hash_version", where, &version)) != CV_OK)
		return r;
	if (version != 1 && version != 2)
		return cv_fail(c, CV_BAD, "%s: hash_version %lld is not supported (1 or 2)", where,
					   (long long) version);
	b->h.version = (int) version;
	if ((r = get_int(c, v, "block_id", where, &b->h.block_id)) != CV_OK ||
		(r = get_int(c, v, "row_count", where, &b->h.row_count)) != CV_OK ||
		(r = get_hash(c, v, "merkle_root", where, b->h.merkle_root)) != CV_OK ||
		(r = get_int(c, v, "sealed_at", where, &b->h.sealed_at)) != CV_OK ||
		(r = get_hash(c, v, "block_hash", where, b->block_hash)) != CV_OK)
		return r;
	prev = member(v, "prev_hash");
	if (prev == NULL)
		return cv_fail(c, CV_BAD, "%s: \"prev_hash\" is missing (null for block 1)", where);
	b->h.has_prev = prev->type != J_NULL;
	if (b->h.has_prev &&
		(r = hash_node(c, prev, where, "prev_hash", b->h.prev_hash)) != CV_OK)
		return r;
	/*
	 * Version 1 hashes none of the v2 fields: they may be absent or null, and
	 * are ignored (after a type check) when present.
	 */
	if (present(v, "high_log_id", version) &&
		(r = get_int(c, v, "high_log_id", where, &b->h.high_log_id)) != CV_OK)
		return r;
	if (present(v, "late_log_ids", version) &&
		(r = get_ids(c, v, "late_log_ids", where, &b->late, &b->h.nlate)) != CV_OK)
		return r;
	if (present(v, "deferred_log_ids", version) &&
		(r = get_ids(c, v, "deferred_log_ids", where, &b->deferred, &b->h.ndeferred)) != CV_OK)
		return r;
	if (version == 1)
	{
		b->h.high_log_id = 0;
		b->h.nlate = b->h.ndeferred = 0;
	}
	b->h.late = b->late;
	b->h.deferred = b->deferred;
	return CV_OK;
}

/* "BLOCK_ID:HEX" (upper-case hex accepted when upper_ok) */
static bool
parse_digest(const char *s, size_t len, bool upper_ok, int64_t *id, uint8_t hash[AUDIT_HASH_LEN])
{
	size_t		i = 0;
	uint64_t	v = 0;

	if (len == 0 || s[0] < '0' || s[0] > '9')
		return false;
	while (i < len && s[i] >= '0' && s[i] <= '9')
	{
		if (v > ((uint64_t) INT64_MAX - (uint64_t) (s[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t) (s[i] - '0');
		i++;
	}
	if (i >= len || s[i] != ':')
		return false;
	*id = (int64_t) v;
	return hex_decode(s + i + 1, len - i - 1, hash, upper_ok);
}

static const char *
block_name(const cv_block *b, size_t idx, bool in_chain, char *buf, size_t bufsz)
{
	if (in_chain)
		snprintf(buf, bufsz, "chain[%zu] (block %lld)", idx, (long long) b->h.block_id);
	else
		snprintf(buf, bufsz, "block %lld", (long long) b->h.block_id);
	return buf;
}

static const char *const proof_keys[] = {
	"version", "log_id", "row_hash", "leaf_index", "tree_size", "path", "block", "chain",
	"digest", NULL
};

/*
 * Check the proof text against digest_arg (NULL: only against the proof's
 * own digest).  Returns CV_OK, CV_REJECTED or CV_BAD, with the line to print
 * in msg.
 */
static int
cv_check(const char *text, size_t len, const char *digest_arg,
		 audit_sha256_fn sha256, char *msg, size_t msgsz)
{
	cv_ctx		c = {msg, msgsz, sha256};
	jnode		root;
	const jnode *v,
			   *path_node,
			   *chain_node;
	int64_t		version,
				log_id,
				leaf_index,
				tree_size,
				arg_id = 0,
				own_id;
	uint8_t		row_hash[AUDIT_HASH_LEN],
				arg_hash[AUDIT_HASH_LEN],
				own_hash[AUDIT_HASH_LEN],
				recomputed[AUDIT_HASH_LEN];
	uint8_t		(*path)[AUDIT_HASH_LEN] = NULL;
	cv_block   *blocks = NULL;
	size_t		nblocks = 0,
				npath,
				i;
	const cv_block *last;
	char		hex1[2 * AUDIT_HASH_LEN + 1],
				hex2[2 * AUDIT_HASH_LEN + 1],
				where[64],
				name[64];
	int			r;

	if (digest_arg &&
		!parse_digest(digest_arg, strlen(digest_arg), true, &arg_id, arg_hash))
	{
		snprintf(msg, msgsz, "DIGEST must be BLOCK_ID:HASH (64 hex digits), as credit.audit_digest() gives it");
		return CV_BAD;
	}
	if (!json_parse(text, len, &root, msg, msgsz))
		return CV_BAD;

	if (root.type != J_OBJ)
	{
		r = cv_fail(&c, CV_BAD, "the proof must be a JSON object");
		goto done;
	}
	if ((r = known_keys(&c, &root, proof_keys, "the proof")) != CV_OK ||
		(r = get_int(&c, &root, "version", "the proof", &version)) != CV_OK)
		goto done;
	if (version != 1)
	{
		r = cv_fail(&c, CV_BAD, "proof version %lld is not supported (1)", (long long) version);
		goto done;
	}
	if ((r = get_int(&c, &root, "log_id", "the proof", &log_id)) != CV_OK ||
		(r = get_hash(&c, &root, "row_hash", "the proof", row_hash)) != CV_OK ||
		(r = get_int(&c, &root, "leaf_index", "the proof", &leaf_index)) != CV_OK ||
		(r = get_int(&c, &root, "tree_size", "the proof", &tree_size)) != CV_OK)
		goto done;
	path_node = member(&root, "path");
	if (path_node == NULL || path_node->type != J_ARR)
	{
		r = cv_fail(&c, CV_BAD, "the proof: \"path\" must be an array of hashes");
		goto done;
	}
	chain_node = member(&root, "chain");
	if (chain_node == NULL || chain_node->type != J_ARR)
	{
		r = cv_fail(&c, CV_BAD, "the proof: \"chain\" must be an array of blocks");
		goto done;
	}
	v = member(&root, "digest");
	if (v == NULL || v->type != J_STR || !parse_digest(v->u.s, v->n, false, &own_id, own_hash))
	{
		r = cv_fail(&c, CV_BAD, "the proof: \"digest\" must be BLOCK_ID:HASH (64 lower-case hex digits)");
		goto done;
	}
	v = member(&root, "block");
	if (v == NULL)
	{
		r = cv_fail(&c, CV_BAD, "the proof: \"block\" is missing");
		goto done;
	}

	/* every hash and block, typed, before any verdict */
	npath = path_node->n;
	path = malloc((npath ? npath : 1) * sizeof(*path));
	blocks = calloc(1 + chain_node->n, sizeof(cv_block));
	if (path == NULL || blocks == NULL)
	{
		r = cv_fail(&c, CV_BAD, "out of memory");
		goto done;
	}
	for (i = 0; i < npath; i++)
	{
		snprintf(where, sizeof(where), "the proof: path[%zu]", i);
		if ((r = hash_node(&c, &path_node->u.kids[i], where, "path", path[i])) != CV_OK)
			goto done;
	}
	nblocks = 1;
	if ((r = get_block(&c, v, "the proof: block", &blocks[0])) != CV_OK)
		goto done;
	for (i = 0; i < chain_node->n; i++)
	{
		snprintf(where, sizeof(where), "the proof: chain[%zu]", i);
		nblocks++;
		if ((r = get_block(&c, &chain_node->u.kids[i], where, &blocks[i + 1])) != CV_OK)
			goto done;
	}

	/* the row in the block's tree */
	if (leaf_index < 0 || tree_size < 1 || leaf_index >= tree_size)
	{
		r = cv_fail(&c, CV_REJECTED, "leaf_index %lld is not a leaf of a tree of tree_size %lld",
					(long long) leaf_index, (long long) tree_size);
		goto done;
	}
	if (tree_size != blocks[0].h.row_count)
	{
		r = cv_fail(&c, CV_REJECTED, "tree_size %lld is not block %lld's row_count %lld",
					(long long) tree_size, (long long) blocks[0].h.block_id,
					(long long) blocks[0].h.row_count);
		goto done;
	}
	if (npath > AUDIT_MAX_PATH)
	{
		r = cv_fail(&c, CV_REJECTED, "the path has %zu nodes; no tree is deeper than %d",
					npath, AUDIT_MAX_PATH);
		goto done;
	}
	if ((uint64_t) tree_size > (uint64_t) SIZE_MAX ||
		!audit_merkle_verify(row_hash, (size_t) leaf_index, (size_t) tree_size,
							 (const uint8_t (*)[AUDIT_HASH_LEN]) path, npath, sha256,
							 blocks[0].h.merkle_root))
	{
		r = cv_fail(&c, CV_REJECTED,
					"the path (%zu nodes) does not prove row_hash is leaf %lld of %lld under block %lld's merkle_root",
					npath, (long long) leaf_index, (long long) tree_size,
					(long long) blocks[0].h.block_id);
		goto done;
	}

	/* every block's hash, and the chain */
	for (i = 0; i < nblocks; i++)
	{
		cv_block   *b = &blocks[i];

		block_name(b, i - 1, i > 0, name, sizeof(name));
		audit_block_hash(&b->h, sha256, recomputed);
		if (memcmp(recomputed, b->block_hash, AUDIT_HASH_LEN) != 0)
		{
			hex_encode(b->block_hash, hex1);
			hex_encode(recomputed, hex2);
			r = cv_fail(&c, CV_REJECTED,
						"%s: block_hash %s does not match its fields (hash_version %d gives %s)",
						name, hex1, b->h.version, hex2);
			goto done;
		}
		if (i == 0)
			continue;
		if (blocks[i - 1].h.block_id == INT64_MAX ||
			b->h.block_id != blocks[i - 1].h.block_id + 1)
		{
			r = cv_fail(&c, CV_REJECTED, "%s does not follow block %lld (block ids must be consecutive)",
						name, (long long) blocks[i - 1].h.block_id);
			goto done;
		}
		if (!b->h.has_prev)
		{
			r = cv_fail(&c, CV_REJECTED, "%s: prev_hash is null, not block %lld's block_hash",
						name, (long long) blocks[i - 1].h.block_id);
			goto done;
		}
		if (memcmp(b->h.prev_hash, blocks[i - 1].block_hash, AUDIT_HASH_LEN) != 0)
		{
			hex_encode(b->h.prev_hash, hex1);
			hex_encode(blocks[i - 1].block_hash, hex2);
			r = cv_fail(&c, CV_REJECTED, "%s: prev_hash %s is not block %lld's block_hash %s",
						name, hex1, (long long) blocks[i - 1].h.block_id, hex2);
			goto done;
		}
	}

	/* a version 2 block says which rows it holds at most */
	if (blocks[0].h.version == 2)
	{
		if (log_id > blocks[0].h.high_log_id)
		{
			r = cv_fail(&c, CV_REJECTED, "log row %lld is above block %lld's high_log_id %lld",
						(long long) log_id, (long long) blocks[0].h.block_id,
						(long long) blocks[0].h.high_log_id);
			goto done;
		}
		for (i = 0; i < blocks[0].h.ndeferred; i++)
			if (blocks[0].h.deferred[i] == log_id)
			{
				r = cv_fail(&c, CV_REJECTED,
							"log row %lld is in block %lld's deferred_log_ids (still pending after it)",
							(long long) log_id, (long long) blocks[0].h.block_id);
				goto done;
			}
	}

	/* the anchor */
	last = &blocks[nblocks - 1];
	hex_encode(last->block_hash, hex1);
	if (own_id != last->h.block_id || memcmp(own_hash, last->block_hash, AUDIT_HASH_LEN) != 0)
	{
		hex_encode(own_hash, hex2);
		r = cv_fail(&c, CV_REJECTED, "the proof's digest %lld:%s is not its last block, %lld:%s",
					(long long) own_id, hex2, (long long) last->h.block_id, hex1);
		goto done;
	}
	if (digest_arg &&
		(arg_id != last->h.block_id || memcmp(arg_hash, last->block_hash, AUDIT_HASH_LEN) != 0))
	{
		hex_encode(arg_hash, hex2);
		r = cv_fail(&c, CV_REJECTED, "the proof leads to %lld:%s, not to the digest given, %lld:%s",
					(long long) last->h.block_id, hex1, (long long) arg_id, hex2);
		goto done;
	}
	snprintf(msg, msgsz, "ok: log row %lld is leaf %lld of block %lld, chained to %lld:%s",
			 (long long) log_id, (long long) leaf_index, (long long) blocks[0].h.block_id,
			 (long long) last->h.block_id, hex1);
	r = CV_OK;

done:
	for (i = 0; i < nblocks; i++)
	{
		free(blocks[i].late);
		free(blocks[i].deferred);
	}
	free(blocks);
	free(path);
	jfree(&root);
	return r;
}

#ifndef CREDIT_VERIFY_NO_MAIN


static void
usage(FILE *f)
{
	fprintf(f,
			"usage: credit-verify PROOF_FILE DIGEST\n"
			"  PROOF_FILE  the proof (jsonb text) the server gave for one audit log row; - for stdin\n"
			"  DIGEST      BLOCK_ID:HASH, the latest block as you got it independently\n"
			"              (credit.audit_digest())\n"
			"exit status: 0 the proof holds, 1 it is rejected, 2 bad usage or malformed input\n");
}

/* the whole file (at most CV_MAX_INPUT bytes); NULL and a message on error */
static char *
read_all(const char *name, size_t *len)
{
	FILE	   *f;
	char	   *buf = NULL;
	size_t		cap = 0,
				n = 0;
	bool		is_stdin = strcmp(name, "-") == 0;

	f = is_stdin ? stdin : fopen(name, "rb");
	if (f == NULL)
	{
		fprintf(stderr, "credit-verify: could not open \"%s\": %s\n", name, strerror(errno));
		return NULL;
	}
	for (;;)
	{
		size_t		got;

		if (n == cap)
		{
			char	   *b;

			if (cap > CV_MAX_INPUT)
			{
				fprintf(stderr, "credit-verify: \"%s\" is larger than %d MiB\n", name,
						CV_MAX_INPUT / (1024 * 1024));
				free(buf);
				buf = NULL;
				break;
			}
			cap = cap ? 2 * cap : 65536;
			b = realloc(buf, cap + 1);
			if (b == NULL)
			{
				fprintf(stderr, "credit-verify: out of memory\n");
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
		{
			if (ferror(f))
			{
				fprintf(stderr, "credit-verify: could not read \"%s\": %s\n", name, strerror(errno));
				free(buf);
				buf = NULL;
			}
			break;
		}
	}
	if (!is_stdin)
		fclose(f);
	if (buf != NULL && n > CV_MAX_INPUT)
	{
		fprintf(stderr, "credit-verify: \"%s\" is larger than %d MiB\n", name,
				CV_MAX_INPUT / (1024 * 1024));
		free(buf);
		buf = NULL;
	}
	*len = n;
	return buf;
}

int
main(int argc, char **argv)
{
	char	   *text;
	size_t		len;
	char		msg[1024];
	int			r;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
	{
		usage(stdout);
		return 0;
	}
	if (argc != 3)
	{
		usage(stderr);
		return CV_BAD;
	}
	text = read_all(argv[1], &len);
	if (text == NULL)
		return CV_BAD;
	r = cv_check(text, len, argv[2], audit_sha256_fe, msg, sizeof(msg));
	free(text);
	if (r == CV_BAD)
	{
		fprintf(stderr, "credit-verify: %s\n", msg);
		return CV_BAD;
	}
	printf("%s\n", msg);
	return r;
}

#endif							/* CREDIT_VERIFY_NO_MAIN */
