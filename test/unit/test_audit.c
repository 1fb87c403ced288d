/*
 * test_audit.c
 *	  Unit tests for audit_core.c with PostgreSQL's own SHA-256
 *	  (pg_cryptohash from libpgcommon): the encoding's exact bytes and the
 *	  RFC 6962 Merkle tree head against an independent construction.
 */
#include "postgres_fe.h"

#include "common/cryptohash.h"

#include "audit_core.h"
#include "tap.h"

static void
sha256(const uint8_t *data, size_t len, uint8_t out[AUDIT_HASH_LEN])
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);

	if (ctx == NULL || pg_cryptohash_init(ctx) < 0 || pg_cryptohash_update(ctx, data, len) < 0 ||
		pg_cryptohash_final(ctx, out, AUDIT_HASH_LEN) < 0)
	{
		fprintf(stderr, "sha256 failed\n");
		exit(2);
	}
	pg_cryptohash_free(ctx);
}

static void *
grow(void *p, size_t n)
{
	return realloc(p, n);
}

static int
hex_is(const uint8_t *h, const char *hex)
{
	char		buf[2 * AUDIT_HASH_LEN + 1];
	int			i;

	for (i = 0; i < AUDIT_HASH_LEN; i++)
		sprintf(buf + 2 * i, "%02x", h[i]);
	return strcmp(buf, hex) == 0;
}

/* the same tree built bottom-up: a level's odd last node is carried up */
static void
merkle_bottom_up(uint8_t (*leaves)[AUDIT_HASH_LEN], size_t n, uint8_t out[AUDIT_HASH_LEN])
{
	uint8_t		(*level)[AUDIT_HASH_LEN] = malloc(sizeof(*level) * n);
	uint8_t		buf[1 + 2 * AUDIT_HASH_LEN];
	size_t		i,
				m;

	for (i = 0; i < n; i++)
	{
		buf[0] = 0;
		memcpy(buf + 1, leaves[i], AUDIT_HASH_LEN);
		sha256(buf, 1 + AUDIT_HASH_LEN, level[i]);
	}
	/*
	 * RFC 6962's split (largest power of two on the left) equals pairing
	 * neighbours level by level and carrying an odd last node up unchanged.
	 */
	for (m = n; m > 1; m = (m + 1) / 2)
		for (i = 0; i < m; i += 2)
		{
			if (i + 1 == m)
				memcpy(level[i / 2], level[i], AUDIT_HASH_LEN);
			else
			{
				buf[0] = 1;
				memcpy(buf + 1, level[i], AUDIT_HASH_LEN);
				memcpy(buf + 1 + AUDIT_HASH_LEN, level[i + 1], AUDIT_HASH_LEN);
				sha256(buf, sizeof(buf), level[i / 2]);
			}
		}
	memcpy(out, level[0], AUDIT_HASH_LEN);
	free(level);
}

int
main(void)
{
	uint8_t		h[AUDIT_HASH_LEN],
				h2[AUDIT_HASH_LEN];
	uint8_t		leaves[300][AUDIT_HASH_LEN];
	audit_buf	b = {NULL, 0, 0, grow};
	static const uint8_t expect[] = {
		'v', '1',
		0,						/* NULL */
		1, 0, 0, 0, 3, 'a', 'b', 'c',	/* bytes */
		1, 0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,	/* -2 */
		1, 0, 0, 0, 0			/* empty, not NULL */
	};
	size_t		n;
	int			i,
				bad;

	sha256((const uint8_t *) "abc", 3, h);
	ok(hex_is(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
	   "PostgreSQL's SHA-256 gives the FIPS 180-2 vector for \"abc\"");

	audit_put_tag(&b, "v1");
	audit_put_null(&b);
	audit_put_bytes(&b, "abc", 3);
	audit_put_int64(&b, -2);
	audit_put_bytes(&b, "", 0);
	ok(b.len == sizeof(expect) && memcmp(b.data, expect, sizeof(expect)) == 0,
	   "the encoding: tag, NULL marker, length-prefixed bytes, 8-byte big-endian integers, empty != NULL");
	for (i = 0; i < 100; i++)
		audit_put_bytes(&b, "0123456789", 10);
	ok(b.len == sizeof(expect) + 100 * 15 && memcmp(b.data, expect, sizeof(expect)) == 0,
	   "the buffer grows without losing what it holds");
	free(b.data);

	audit_merkle_root(NULL, 0, sha256, h);
	ok(hex_is(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
	   "the empty tree is SHA-256 of nothing");
	for (i = 0; i < 300; i++)
	{
		uint8_t		seed[4] = {(uint8_t) i, (uint8_t) (i >> 8), 7, 9};

		sha256(seed, sizeof(seed), leaves[i]);
	}
	bad = 0;
	for (n = 1; n <= 300; n++)
	{
		audit_merkle_root((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, n, sha256, h);
		merkle_bottom_up(leaves, n, h2);
		if (memcmp(h, h2, AUDIT_HASH_LEN) != 0)
			bad++;
	}
	is_int(bad, 0, "RFC 6962 tree head = an independent bottom-up construction, 1..300 leaves");
	audit_merkle_root((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, 37, sha256, h);
	leaves[20][5] ^= 1;
	audit_merkle_root((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, 37, sha256, h2);
	ok(memcmp(h, h2, AUDIT_HASH_LEN) != 0, "one flipped bit in a leaf changes the root");
	leaves[20][5] ^= 1;
	memcpy(leaves[299], leaves[20], AUDIT_HASH_LEN);
	memcpy(leaves[20], leaves[21], AUDIT_HASH_LEN);
	memcpy(leaves[21], leaves[299], AUDIT_HASH_LEN);
	audit_merkle_root((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, 37, sha256, h2);
	ok(memcmp(h, h2, AUDIT_HASH_LEN) != 0, "swapping two leaves changes the root");
	audit_merkle_root((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, 36, sha256, h2);
	ok(memcmp(h, h2, AUDIT_HASH_LEN) != 0, "dropping a leaf changes the root");
	return done_testing();
}
