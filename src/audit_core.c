/*
 * audit_core.c
 *	  Encoding and Merkle roots for the audit log (see audit_core.h).
 */
#include "audit_core.h"

#include <stdio.h>
#include <stdlib.h>
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

/* ---------- block hash ---------- */

static void *
grow_or_abort(void *ptr, size_t newcap)
{
	void	   *p = realloc(ptr, newcap);

	if (p == NULL)
	{
		fprintf(stderr, "audit_block_hash: out of memory\n");
		abort();
	}
	return p;
}

void
audit_block_hash(const audit_block_header *h, audit_sha256_fn sha256,
				 uint8_t out[AUDIT_HASH_LEN])
{
	audit_buf	b = {NULL, 0, 0, grow_or_abort};
	size_t		i;

	audit_put_tag(&b, h->version == 2 ? AUDIT_BLOCK_TAG_V2 : AUDIT_BLOCK_TAG);
	audit_put_int64(&b, h->block_id);
	audit_put_int64(&b, h->row_count);
	audit_put_bytes(&b, h->merkle_root, AUDIT_HASH_LEN);
	if (h->has_prev)
		audit_put_bytes(&b, h->prev_hash, AUDIT_HASH_LEN);
	else
		audit_put_null(&b);
	audit_put_int64(&b, h->sealed_at);
	if (h->version == 2)
	{
		audit_put_int64(&b, h->high_log_id);
		audit_put_int64(&b, (int64_t) h->nlate);
		for (i = 0; i < h->nlate; i++)
			audit_put_int64(&b, h->late[i]);
		audit_put_int64(&b, (int64_t) h->ndeferred);
		for (i = 0; i < h->ndeferred; i++)
			audit_put_int64(&b, h->deferred[i]);
	}
	sha256(b.data, b.len, out);
	free(b.data);
}

/* ---------- audit paths (RFC 6962 section 2.1.1) ---------- */

/* PATH(m, D[0:n]): the subtree's path first, then the sibling subtree's head */
static size_t
merkle_path(const uint8_t (*leaves)[AUDIT_HASH_LEN], size_t n, size_t m,
			audit_sha256_fn h, uint8_t (*path)[AUDIT_HASH_LEN])
{
	size_t		k,
				len;

	if (n <= 1)
		return 0;
	for (k = 1; k * 2 < n; k *= 2)
		;
	if (m < k)
	{
		len = merkle_path(leaves, k, m, h, path);
		merkle(leaves + k, n - k, h, path[len]);
	}
	else
	{
		len = merkle_path(leaves + k, n - k, m - k, h, path);
		merkle(leaves, k, h, path[len]);
	}
	return len + 1;
}

size_t
audit_merkle_path(const uint8_t (*leaves)[AUDIT_HASH_LEN], size_t n, size_t m,
				  audit_sha256_fn sha256, uint8_t (*path)[AUDIT_HASH_LEN])
{
	if (m >= n)
		return 0;
	return merkle_path(leaves, n, m, sha256, path);
}

bool
audit_merkle_verify(const uint8_t leaf[AUDIT_HASH_LEN], size_t m, size_t n,
					const uint8_t (*path)[AUDIT_HASH_LEN], size_t len,
					audit_sha256_fn sha256, const uint8_t root[AUDIT_HASH_LEN])
{
	uint8_t		buf[1 + 2 * AUDIT_HASH_LEN];
	uint8_t		r[AUDIT_HASH_LEN];
	size_t		fn,
				sn,
				i;

	if (m >= n || len > AUDIT_MAX_PATH)
		return false;
	buf[0] = 0x00;
	memcpy(buf + 1, leaf, AUDIT_HASH_LEN);
	sha256(buf, 1 + AUDIT_HASH_LEN, r);

	/* RFC 9162 section 2.1.3.2 */
	fn = m;
	sn = n - 1;
	for (i = 0; i < len; i++)
	{
		if (sn == 0)
			return false;
		buf[0] = 0x01;
		if ((fn & 1) || fn == sn)
		{
			/* we are the right child (or the last node, carried up) */
			memcpy(buf + 1, path[i], AUDIT_HASH_LEN);
			memcpy(buf + 1 + AUDIT_HASH_LEN, r, AUDIT_HASH_LEN);
			while (!(fn & 1) && fn != 0)
			{
				fn >>= 1;
				sn >>= 1;
			}
		}
		else
		{
			memcpy(buf + 1, r, AUDIT_HASH_LEN);
			memcpy(buf + 1 + AUDIT_HASH_LEN, path[i], AUDIT_HASH_LEN);
		}
		sha256(buf, sizeof(buf), r);
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(r, root, AUDIT_HASH_LEN) == 0;
}
