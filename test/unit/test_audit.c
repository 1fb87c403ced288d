/*
 * test_audit.c
 *	  Unit tests for audit_core.c with PostgreSQL's own SHA-256
 *	  (pg_cryptohash from libpgcommon): the encoding's exact bytes and the
 *	  RFC 6962 Merkle tree head against an independent construction, the
 *	  block hash (versions 1 and 2) against encodings built here by hand, and
 *	  the audit paths (RFC 6962 section 2.1.1) and their verification.
 */
#include "postgres_fe.h"

#include "audit_core.h"
#include "tap.h"


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
		audit_sha256_fe(buf, 1 + AUDIT_HASH_LEN, level[i]);
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
				audit_sha256_fe(buf, sizeof(buf), level[i / 2]);
			}
		}
	memcpy(out, level[0], AUDIT_HASH_LEN);
	free(level);
}

/* ---------- the block hash, by hand ---------- */

/* an 8-byte integer field: 1, length 8 (4 bytes big-endian), the value */
static size_t
hand_int64(uint8_t *p, int64_t v)
{
	uint64_t	u = (uint64_t) v;
	int			i;

	p[0] = 1;
	p[1] = 0;
	p[2] = 0;
	p[3] = 0;
	p[4] = 8;
	for (i = 0; i < 8; i++)
		p[5 + i] = (uint8_t) (u >> (56 - 8 * i));
	return 13;
}

static size_t
hand_hash(uint8_t *p, const uint8_t *h)
{
	p[0] = 1;
	p[1] = 0;
	p[2] = 0;
	p[3] = 0;
	p[4] = 32;
	memcpy(p + 5, h, AUDIT_HASH_LEN);
	return 5 + AUDIT_HASH_LEN;
}

static void
hand_block_hash(const audit_block_header *h, uint8_t out[AUDIT_HASH_LEN])
{
	uint8_t		buf[4096];
	size_t		o = 0,
				i;
	const char *tag = h->version == 2 ? "credit-audit-block-v2" : "credit-audit-block-v1";

	memcpy(buf, tag, strlen(tag));
	o += strlen(tag);
	o += hand_int64(buf + o, h->block_id);
	o += hand_int64(buf + o, h->row_count);
	o += hand_hash(buf + o, h->merkle_root);
	if (h->has_prev)
		o += hand_hash(buf + o, h->prev_hash);
	else
		buf[o++] = 0;
	o += hand_int64(buf + o, h->sealed_at);
	if (h->version == 2)
	{
		o += hand_int64(buf + o, h->high_log_id);
		o += hand_int64(buf + o, (int64_t) h->nlate);
		for (i = 0; i < h->nlate; i++)
			o += hand_int64(buf + o, h->late[i]);
		o += hand_int64(buf + o, (int64_t) h->ndeferred);
		for (i = 0; i < h->ndeferred; i++)
			o += hand_int64(buf + o, h->deferred[i]);
	}
	audit_sha256_fe(buf, o, out);
}

/* the v1 block hash as src/audit.c's credit_audit_block_hash builds it */
static void
server_v1_block_hash(const audit_block_header *h, uint8_t out[AUDIT_HASH_LEN])
{
	audit_buf	b = {NULL, 0, 0, grow};

	audit_put_tag(&b, AUDIT_BLOCK_TAG);
	audit_put_int64(&b, h->block_id);
	audit_put_int64(&b, h->row_count);
	audit_put_bytes(&b, h->merkle_root, AUDIT_HASH_LEN);
	if (h->has_prev)
		audit_put_bytes(&b, h->prev_hash, AUDIT_HASH_LEN);
	else
		audit_put_null(&b);
	audit_put_int64(&b, h->sealed_at);
	audit_sha256_fe(b.data, b.len, out);
	free(b.data);
}

static bool
block_hash_is(const audit_block_header *h, const uint8_t want[AUDIT_HASH_LEN])
{
	uint8_t		got[AUDIT_HASH_LEN];

	audit_block_hash(h, audit_sha256_fe, got);
	return memcmp(got, want, AUDIT_HASH_LEN) == 0;
}

static void
test_block_hash(void)
{
	int64_t		late[3] = {101, 102, 117};
	int64_t		deferred[2] = {125, 129};
	audit_block_header h,
				v;
	uint8_t		want[AUDIT_HASH_LEN],
				v1[AUDIT_HASH_LEN],
				v2[AUDIT_HASH_LEN];
	int			changed,
				tried;
	size_t		i;

	memset(&h, 0, sizeof(h));
	h.block_id = 5;
	h.row_count = 9;
	for (i = 0; i < AUDIT_HASH_LEN; i++)
	{
		h.merkle_root[i] = (uint8_t) (0xA0 + i);
		h.prev_hash[i] = (uint8_t) (0x10 + 3 * i);
	}
	h.has_prev = true;
	h.sealed_at = INT64_C(849123456789012);
	h.version = 1;

	hand_block_hash(&h, want);
	ok(block_hash_is(&h, want), "v1 block hash = SHA-256 of the encoding built by hand");
	server_v1_block_hash(&h, v1);
	ok(memcmp(v1, want, AUDIT_HASH_LEN) == 0,
	   "v1 block hash = credit_audit_block_hash's audit_put_* sequence");
	/* the late/deferred fields are not part of version 1 */
	v = h;
	v.high_log_id = 130;
	v.late = late;
	v.nlate = 3;
	ok(block_hash_is(&v, want), "v1 ignores high_log_id and the late/deferred ids");
	v = h;
	v.has_prev = false;
	v.block_id = 1;
	v.sealed_at = -7;
	hand_block_hash(&v, want);
	ok(block_hash_is(&v, want), "v1 block 1 (prev_hash NULL, negative sealed_at) = by hand");
	server_v1_block_hash(&v, v2);
	ok(memcmp(v2, want, AUDIT_HASH_LEN) == 0, "v1 block 1 = credit_audit_block_hash's sequence");

	h.version = 2;
	h.high_log_id = 130;
	h.late = late;
	h.nlate = 3;
	h.deferred = deferred;
	h.ndeferred = 2;
	hand_block_hash(&h, want);
	ok(block_hash_is(&h, want), "v2 block hash = SHA-256 of the encoding built by hand");
	audit_block_hash(&h, audit_sha256_fe, v2);
	ok(memcmp(v1, v2, AUDIT_HASH_LEN) != 0, "v2 differs from v1 over the same five fields");
	v = h;
	v.nlate = 0;
	v.ndeferred = 0;
	v.high_log_id = 0;
	ok(!block_hash_is(&v, v1), "v2 with nothing late or deferred still differs from v1");
	hand_block_hash(&v, want);
	ok(block_hash_is(&v, want), "v2 with empty lists = by hand");

	/* every field, and every late and deferred id, changes the v2 hash */
	changed = tried = 0;
#define TRY(stmt) \
	do { \
		v = h; \
		stmt; \
		tried++; \
		if (!block_hash_is(&v, v2)) \
			changed++; \
		else \
			diag("no change: %s", #stmt); \
	} while (0)
	TRY(v.block_id++);
	TRY(v.row_count--);
	TRY(v.merkle_root[31] ^= 1);
	TRY(v.prev_hash[0] ^= 0x80);
	TRY(v.has_prev = false);
	TRY(v.sealed_at++);
	TRY(v.high_log_id++);
	TRY(v.high_log_id = -130);
	TRY(v.nlate--);				/* drop the last late id */
	TRY(v.ndeferred--);			/* drop the last deferred id */
	TRY(v.late++; v.nlate--);	/* drop the first late id */
	TRY(v.deferred++; v.ndeferred--);
	/* one id moved from the end of late to the start of deferred: same bytes
	 * but for the counts */
	{
		int64_t		late2[2] = {101, 102};
		int64_t		def2[3] = {117, 125, 129};

		TRY(v.late = late2; v.nlate = 2; v.deferred = def2; v.ndeferred = 3);
	}
	for (i = 0; i < 3; i++)
	{
		int64_t		l[3];

		memcpy(l, late, sizeof(l));
		l[i]++;
		TRY(v.late = l);
	}
	for (i = 0; i < 2; i++)
	{
		int64_t		d[2];

		memcpy(d, deferred, sizeof(d));
		d[i] ^= INT64_MIN;
		TRY(v.deferred = d);
	}
	/* late and deferred swapped */
	TRY(v.late = deferred; v.nlate = 2; v.deferred = late; v.ndeferred = 3);
#undef TRY
	is_int(changed, tried, "v2: every field, count and id changes the hash (%d changes)", tried);
}

/* ---------- audit paths ---------- */

/*
 * The walk of leaf m in a tree of n, straight from RFC 6962's PATH(m, D[n]):
 * one letter per path node, leaf level first, 'R' when the sibling is on the
 * right, 'L' when it is on the left.
 */
static void
walk(size_t m, size_t n, char *out)
{
	size_t		k;

	if (n <= 1)
	{
		*out = '\0';
		return;
	}
	for (k = 1; k * 2 < n; k *= 2)
		;
	if (m < k)
	{
		walk(m, k, out);
		strcat(out, "R");
	}
	else
	{
		walk(m - k, n - k, out);
		strcat(out, "L");
	}
}

#define VERIFY(leaf, m, n, path, len, root) \
	audit_merkle_verify((leaf), (m), (n), (const uint8_t (*)[AUDIT_HASH_LEN]) (path), (len), audit_sha256_fe, (root))

static void
test_paths(uint8_t (*leaves)[AUDIT_HASH_LEN])
{
	const uint8_t (*cl)[AUDIT_HASH_LEN] = (const uint8_t (*)[AUDIT_HASH_LEN]) leaves;
	uint8_t		path[AUDIT_MAX_PATH + 1][AUDIT_HASH_LEN];
	uint8_t		root[AUDIT_HASH_LEN],
				leaf[AUDIT_HASH_LEN];
	char		w[AUDIT_MAX_PATH + 1],
				w2[AUDIT_MAX_PATH + 1];
	size_t		n,
				m,
				n2,
				m2,
				len,
				i;
	int			bad,
				bad_len,
				bad_other_m,
				bad_walk,
				checked,
				flips,
				accepted;

	bad = bad_len = bad_other_m = checked = 0;
	for (n = 1; n <= 40; n++)
	{
		audit_merkle_root(cl, n, audit_sha256_fe, root);
		for (m = 0; m < n; m++)
		{
			len = audit_merkle_path(cl, n, m, audit_sha256_fe, path);
			walk(m, n, w);
			if (len != strlen(w))
				bad_len++;
			if (!VERIFY(leaves[m], m, n, path, len, root))
				bad++;
			/* for a fixed n, the path fits leaf m only */
			for (m2 = 0; m2 < n; m2++)
				if (m2 != m && VERIFY(leaves[m], m2, n, path, len, root))
					bad_other_m++;
			checked++;
		}
	}
	is_int(bad, 0, "every leaf's path verifies against audit_merkle_root's head, n = 1..40 (%d paths)", checked);
	is_int(bad_len, 0, "every path has RFC 6962's length, n = 1..40");
	is_int(bad_other_m, 0, "a path claimed for any other leaf index of the same tree is rejected, n = 1..40");

	/* a path is accepted for (m2, n2) exactly when the walks coincide */
	bad_walk = accepted = 0;
	for (n = 1; n <= 16; n++)
	{
		audit_merkle_root(cl, n, audit_sha256_fe, root);
		for (m = 0; m < n; m++)
		{
			len = audit_merkle_path(cl, n, m, audit_sha256_fe, path);
			walk(m, n, w);
			for (n2 = 1; n2 <= 20; n2++)
				for (m2 = 0; m2 < n2; m2++)
				{
					bool		acc = VERIFY(leaves[m], m2, n2, path, len, root);

					walk(m2, n2, w2);
					if (acc != (strcmp(w, w2) == 0))
						bad_walk++;
					if (acc && n2 != n)
						accepted++;
				}
		}
	}
	is_int(bad_walk, 0, "a path verifies under (m', n') exactly when RFC 6962's walk of (m', n') is the same, n <= 16, n' <= 20");
	diag("%d (m', n') with n' != n share a walk: the path binds n only with the head's row_count", accepted);
	audit_merkle_root(cl, 5, audit_sha256_fe, root);
	len = audit_merkle_path(cl, 5, 0, audit_sha256_fe, path);
	ok(VERIFY(leaves[0], 0, 6, path, len, root),
	   "(documented) leaf 0 of 5's path also verifies as leaf 0 of 6: n must be bound elsewhere");

	/* RFC 6962 section 2.1.3's example lengths, and a big tree */
	{
		static const struct
		{
			size_t		n,
						m,
						len;
		}			want[] = {
			{1, 0, 0}, {2, 0, 1}, {2, 1, 1}, {3, 0, 2}, {3, 1, 2}, {3, 2, 1},
			{7, 0, 3}, {7, 3, 3}, {7, 4, 3}, {7, 5, 3}, {7, 6, 2},
			{8, 0, 3}, {8, 5, 3}, {8, 7, 3},
			{1000, 0, 10}, {1000, 511, 10}, {1000, 512, 10}, {1000, 991, 10},
			{1000, 992, 8}, {1000, 999, 8}
		};
		int			wrong = 0;

		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		{
			audit_merkle_root(cl, want[i].n, audit_sha256_fe, root);
			len = audit_merkle_path(cl, want[i].n, want[i].m, audit_sha256_fe, path);
			if (len != want[i].len ||
				!VERIFY(leaves[want[i].m], want[i].m, want[i].n, path, len, root))
			{
				diag("n = %zu, m = %zu: length %zu, want %zu", want[i].n, want[i].m, len, want[i].len);
				wrong++;
			}
		}
		is_int(wrong, 0, "path lengths for n = 1, 2, 3, 7, 8, 1000 are the RFC's, and they verify");
	}
	is_int(audit_merkle_path(cl, 8, 8, audit_sha256_fe, path), 0, "no path for m >= n");

	/* tampering with (leaf 20 of 37) */
	n = 37;
	m = 20;
	audit_merkle_root(cl, n, audit_sha256_fe, root);
	len = audit_merkle_path(cl, n, m, audit_sha256_fe, path);
	ok(len == 6 && VERIFY(leaves[m], m, n, path, len, root), "leaf 20 of 37: 6 nodes, verifies");
	flips = 0;
	memcpy(leaf, leaves[m], AUDIT_HASH_LEN);
	for (i = 0; i < 8 * AUDIT_HASH_LEN; i++)
	{
		leaf[i / 8] ^= (uint8_t) (1 << (i % 8));
		if (VERIFY(leaf, m, n, path, len, root))
			flips++;
		leaf[i / 8] ^= (uint8_t) (1 << (i % 8));
	}
	is_int(flips, 0, "every flipped bit of the leaf is rejected");
	flips = 0;
	for (i = 0; i < len * 8 * AUDIT_HASH_LEN; i++)
	{
		uint8_t    *p = path[i / (8 * AUDIT_HASH_LEN)] + (i % (8 * AUDIT_HASH_LEN)) / 8;

		*p ^= (uint8_t) (1 << (i % 8));
		if (VERIFY(leaf, m, n, path, len, root))
			flips++;
		*p ^= (uint8_t) (1 << (i % 8));
	}
	is_int(flips, 0, "every flipped bit of every path node is rejected");
	flips = 0;
	for (i = 0; i < 8 * AUDIT_HASH_LEN; i++)
	{
		root[i / 8] ^= (uint8_t) (1 << (i % 8));
		if (VERIFY(leaf, m, n, path, len, root))
			flips++;
		root[i / 8] ^= (uint8_t) (1 << (i % 8));
	}
	is_int(flips, 0, "every flipped bit of the root is rejected");
	ok(VERIFY(leaf, m, n, path, len, root), "... and the untouched proof still verifies");
	ok(!VERIFY(leaf, m - 1, n, path, len, root) && !VERIFY(leaf, m + 1, n, path, len, root),
	   "a neighbouring leaf index is rejected");
	/* sizes 33..64 share leaf 20's walk (see above); these do not */
	ok(!VERIFY(leaf, m, 21, path, len, root) && !VERIFY(leaf, m, 31, path, len, root) &&
	   !VERIFY(leaf, m, 32, path, len, root) && !VERIFY(leaf, m, 65, path, len, root) &&
	   !VERIFY(leaf, m, 2 * n, path, len, root),
	   "a tree size with another walk (21, 31, 32, 65, 74) is rejected");
	ok(!VERIFY(leaf, m, m, path, len, root) && !VERIFY(leaf, n, n, path, len, root) &&
	   !VERIFY(leaf, 0, 0, path, 0, root),
	   "an index >= the size, and the empty tree, are rejected");
	ok(!VERIFY(leaf, m, n, path, len - 1, root), "a path missing its last node is rejected");
	memcpy(path[len], root, AUDIT_HASH_LEN);
	ok(!VERIFY(leaf, m, n, path, len + 1, root), "a path with an extra node is rejected");
	ok(!VERIFY(leaf, m, n, path, AUDIT_MAX_PATH + 1, root), "a path longer than 64 nodes is rejected");
	memcpy(leaf, path[0], AUDIT_HASH_LEN);
	memcpy(path[0], leaves[m], AUDIT_HASH_LEN);
	ok(!VERIFY(leaf, m, n, path, len, root), "the leaf swapped with its sibling is rejected");
	/* a one-leaf tree: the root is the leaf hash, the path is empty */
	audit_merkle_root(cl, 1, audit_sha256_fe, root);
	ok(VERIFY(leaves[0], 0, 1, path, 0, root) && !VERIFY(leaves[1], 0, 1, path, 0, root) &&
	   !VERIFY(leaves[0], 0, 1, path, 1, root),
	   "one leaf: an empty path verifies that leaf only, and a non-empty one is rejected");
	/* a huge claimed size with a short path */
	audit_merkle_root(cl, 2, audit_sha256_fe, root);
	len = audit_merkle_path(cl, 2, 1, audit_sha256_fe, path);
	ok(!VERIFY(leaves[1], 1, SIZE_MAX, path, len, root) &&
	   !VERIFY(leaves[1], SIZE_MAX - 1, SIZE_MAX, path, len, root),
	   "a claimed size of SIZE_MAX is rejected");
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

	audit_sha256_fe((const uint8_t *) "abc", 3, h);
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

	audit_merkle_root(NULL, 0, audit_sha256_fe, h);
	ok(hex_is(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
	   "the empty tree is SHA-256 of nothing");
	for (i = 0; i < 300; i++)
	{
		uint8_t		seed[4] = {(uint8_t) i, (uint8_t) (i >> 8), 7, 9};

		audit_sha256_fe(seed, sizeof(seed), leaves[i]);
	}
	bad = 0;
	for (n = 1; n <= 300; n++)
	{
		audit_merkle_root((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, n, audit_sha256_fe, h);
		merkle_bottom_up(leaves, n, h2);
		if (memcmp(h, h2, AUDIT_HASH_LEN) != 0)
			bad++;
	}
	is_int(bad, 0, "RFC 6962 tree head = an independent bottom-up construction, 1..300 leaves");
	audit_merkle_root((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, 37, audit_sha256_fe, h);
	leaves[20][5] ^= 1;
	audit_merkle_root((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, 37, audit_sha256_fe, h2);
	ok(memcmp(h, h2, AUDIT_HASH_LEN) != 0, "one flipped bit in a leaf changes the root");
	leaves[20][5] ^= 1;
	memcpy(leaves[299], leaves[20], AUDIT_HASH_LEN);
	memcpy(leaves[20], leaves[21], AUDIT_HASH_LEN);
	memcpy(leaves[21], leaves[299], AUDIT_HASH_LEN);
	audit_merkle_root((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, 37, audit_sha256_fe, h2);
	ok(memcmp(h, h2, AUDIT_HASH_LEN) != 0, "swapping two leaves changes the root");
	audit_merkle_root((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, 36, audit_sha256_fe, h2);
	ok(memcmp(h, h2, AUDIT_HASH_LEN) != 0, "dropping a leaf changes the root");

	test_block_hash();

	for (i = 0; i < 300; i++)
	{
		uint8_t		seed[4] = {(uint8_t) i, (uint8_t) (i >> 8), 7, 9};

		audit_sha256_fe(seed, sizeof(seed), leaves[i]);
	}
	{
		/* 1000 leaves for the big tree; the first 300 as above */
		uint8_t		(*many)[AUDIT_HASH_LEN] = malloc(sizeof(*many) * 1000);

		memcpy(many, leaves, sizeof(leaves));
		for (i = 300; i < 1000; i++)
		{
			uint8_t		seed[4] = {(uint8_t) i, (uint8_t) (i >> 8), 7, 9};

			audit_sha256_fe(seed, sizeof(seed), many[i]);
		}
		test_paths(many);
		free(many);
	}
	return done_testing();
}
