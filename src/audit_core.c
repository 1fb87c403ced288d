/*
 * audit_core.c
 *	  Encoding and Merkle roots for the audit log (see audit_core.h).
 */
#include "audit_core.h"

#include <string.h>

static void
put(audit_buf *b, const void *data, size_t len)
{
	if (b->len + len > b->cap)
	{
		size_t		cap = b->cap ? b->cap : 256;

		while (cap < b->len + len)
			cap *= 2;
		b->data = b->grow(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

void
audit_put_tag(audit_buf *b, const char *tag)
{
	put(b, tag, strlen(tag));
}

void
audit_put_null(audit_buf *b)
{
	uint8_t		z = 0;

	put(b, &z, 1);
}

void
audit_put_bytes(audit_buf *b, const void *data, uint32_t len)
{
	uint8_t		hdr[5];

	hdr[0] = 1;
	hdr[1] = (uint8_t) (len >> 24);
	hdr[2] = (uint8_t) (len >> 16);
	hdr[3] = (uint8_t) (len >> 8);
	hdr[4] = (uint8_t) len;
	put(b, hdr, sizeof(hdr));
	put(b, data, len);
}

void
audit_put_int64(audit_buf *b, int64_t v)
{
	uint8_t		be[8];
	uint64_t	u = (uint64_t) v;
	int			i;

	for (i = 7; i >= 0; i--)
	{
		be[i] = (uint8_t) (u & 0xFF);
		u >>= 8;
	}
	audit_put_bytes(b, be, 8);
}

static void
merkle(const uint8_t (*leaves)[AUDIT_HASH_LEN], size_t n, audit_sha256_fn h,
	   uint8_t out[AUDIT_HASH_LEN])
{
	uint8_t		buf[1 + 2 * AUDIT_HASH_LEN];
	size_t		k;

	if (n == 1)
	{
		buf[0] = 0x00;
		memcpy(buf + 1, leaves[0], AUDIT_HASH_LEN);
		h(buf, 1 + AUDIT_HASH_LEN, out);
		return;
	}
	/* largest power of two strictly below n */
	for (k = 1; k * 2 < n; k *= 2)
		;
	buf[0] = 0x01;
	merkle(leaves, k, h, buf + 1);
	merkle(leaves + k, n - k, h, buf + 1 + AUDIT_HASH_LEN);
	h(buf, sizeof(buf), out);
}

void
audit_merkle_root(const uint8_t (*leaves)[AUDIT_HASH_LEN], size_t n,
				  audit_sha256_fn sha256, uint8_t out[AUDIT_HASH_LEN])
{
	if (n == 0)
		sha256((const uint8_t *) "", 0, out);
	else
		merkle(leaves, n, sha256, out);
}
