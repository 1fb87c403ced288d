/*
 * proof_fixture.c
 *	  Writes a valid audit proof to stdout, as the server's jsonb prints it
 *	  (keys by length, then bytes; ", " and ": "), built with audit_core and
 *	  PostgreSQL's SHA-256; test/credit_verify_selftest.sh tampers with it.
 *
 *	  proof_fixture v2	 log row 123, leaf 4 of block 5 (9 rows, hash
 *						 version 2), chained through blocks 6 and 7
 *	  proof_fixture v1	 log row 1, the only leaf of block 1 (version 1, no
 *						 previous block), no chain
 *	  proof_fixture mixed  log row 40, leaf 6 of block 3 (7 rows, version 1),
 *						 chained through block 4 (version 1, the v2 fields
 *						 null) and block 5 (version 2)
 */
#include "postgres_fe.h"

#include "audit_core.h"


static const char *
hex(const uint8_t *h)
{
	static char buf[4][2 * AUDIT_HASH_LEN + 1];
	static int	next = 0;
	char	   *b = buf[next++ % 4];
	int			i;

	for (i = 0; i < AUDIT_HASH_LEN; i++)
		sprintf(b + 2 * i, "%02x", h[i]);
	return b;
}

static void
print_ids(const int64_t *ids, size_t n)
{
	size_t		i;

	printf("[");
	for (i = 0; i < n; i++)
		printf("%s%lld", i ? ", " : "", (long long) ids[i]);
	printf("]");
}

/* the block's hash goes into out; v2_nulls: a v1 block with the v2 fields null */
static void
print_block(audit_block_header *h, bool v2_nulls, uint8_t out[AUDIT_HASH_LEN])
{
	audit_block_hash(h, audit_sha256_fe, out);
	printf("{\"block_id\": %lld, \"prev_hash\": ", (long long) h->block_id);
	if (h->has_prev)
		printf("\"%s\"", hex(h->prev_hash));
	else
		printf("null");
	printf(", \"row_count\": %lld, \"sealed_at\": %lld, \"block_hash\": \"%s\"",
		   (long long) h->row_count, (long long) h->sealed_at, hex(out));
	if (h->version == 2)
		printf(", \"high_log_id\": %lld", (long long) h->high_log_id);
	else if (v2_nulls)
		printf(", \"high_log_id\": null");
	printf(", \"merkle_root\": \"%s\", \"hash_version\": %d", hex(h->merkle_root), h->version);
	if (h->version == 2)
	{
		printf(", \"late_log_ids\": ");
		print_ids(h->late, h->nlate);
		printf(", \"deferred_log_ids\": ");
		print_ids(h->deferred, h->ndeferred);
	}
	else if (v2_nulls)
		printf(", \"late_log_ids\": null, \"deferred_log_ids\": null");
	printf("}");
}

/* row hashes of a block: SHA-256 of "row", block id, index */
static void
make_leaves(int64_t block_id, size_t n, uint8_t (*leaves)[AUDIT_HASH_LEN])
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		char		seed[64];

		snprintf(seed, sizeof(seed), "row %lld %zu", (long long) block_id, i);
		audit_sha256_fe((const uint8_t *) seed, strlen(seed), leaves[i]);
	}
}

int
main(int argc, char **argv)
{
	uint8_t		leaves[16][AUDIT_HASH_LEN];
	uint8_t		path[AUDIT_MAX_PATH][AUDIT_HASH_LEN];
	uint8_t		bh[3][AUDIT_HASH_LEN];
	audit_block_header b[3];
	static const int64_t late5[] = {101, 102},
				deferred5[] = {125, 129},
				late6[] = {125},
				none[] = {0},
				late7[] = {129, 131};
	size_t		nblocks,
				m,
				len,
				i;
	int64_t		log_id;
	const char *mode = argc > 1 ? argv[1] : "v2";

	memset(b, 0, sizeof(b));
	if (strcmp(mode, "v2") == 0)
	{
		nblocks = 3;
		log_id = 123;
		m = 4;
		b[0].block_id = 5;
		b[0].row_count = 9;
		b[0].has_prev = true;
		audit_sha256_fe((const uint8_t *) "block 4", 7, b[0].prev_hash);
		b[0].sealed_at = INT64_C(849123456789012);
		b[0].version = 2;
		b[0].high_log_id = 130;
		b[0].late = late5;
		b[0].nlate = 2;
		b[0].deferred = deferred5;
		b[0].ndeferred = 2;
		b[1].block_id = 6;
		b[1].row_count = 3;
		b[1].sealed_at = INT64_C(849123456999999);
		b[1].version = 2;
		b[1].high_log_id = 133;
		b[1].late = late6;
		b[1].nlate = 1;
		b[1].deferred = late7;
		b[1].ndeferred = 1;
		b[2].block_id = 7;
		b[2].row_count = 5;
		b[2].sealed_at = INT64_C(849123457000000);
		b[2].version = 2;
		b[2].high_log_id = 136;
		b[2].late = late7;
		b[2].nlate = 2;
		b[2].deferred = none;
		b[2].ndeferred = 0;
	}
	else if (strcmp(mode, "v1") == 0)
	{
		nblocks = 1;
		log_id = 1;
		m = 0;
		b[0].block_id = 1;
		b[0].row_count = 1;
		b[0].has_prev = false;
		b[0].sealed_at = -5;
		b[0].version = 1;
	}
	else if (strcmp(mode, "mixed") == 0)
	{
		nblocks = 3;
		log_id = 40;
		m = 6;
		b[0].block_id = 3;
		b[0].row_count = 7;
		b[0].has_prev = true;
		audit_sha256_fe((const uint8_t *) "block 2", 7, b[0].prev_hash);
		b[0].sealed_at = 1000000;
		b[0].version = 1;
		b[1].block_id = 4;
		b[1].row_count = 16;
		b[1].sealed_at = 2000000;
		b[1].version = 1;
		b[2].block_id = 5;
		b[2].row_count = 2;
		b[2].sealed_at = 3000000;
		b[2].version = 2;
		b[2].high_log_id = 58;
		b[2].late = none;
		b[2].nlate = 0;
		b[2].deferred = late6;
		b[2].ndeferred = 0;
	}
	else
	{
		fprintf(stderr, "usage: proof_fixture v2|v1|mixed\n");
		return 2;
	}

	for (i = 0; i < nblocks; i++)
	{
		make_leaves(b[i].block_id, (size_t) b[i].row_count, leaves);
		audit_merkle_root((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, (size_t) b[i].row_count,
						  audit_sha256_fe, b[i].merkle_root);
		if (i > 0)
		{
			b[i].has_prev = true;
			audit_block_hash(&b[i - 1], audit_sha256_fe, b[i].prev_hash);
		}
	}
	make_leaves(b[0].block_id, (size_t) b[0].row_count, leaves);
	len = audit_merkle_path((const uint8_t (*)[AUDIT_HASH_LEN]) leaves, (size_t) b[0].row_count,
							m, audit_sha256_fe, path);

	printf("{\"path\": [");
	for (i = 0; i < len; i++)
		printf("%s\"%s\"", i ? ", " : "", hex(path[i]));
	printf("], \"block\": ");
	print_block(&b[0], false, bh[0]);
	printf(", \"chain\": [");
	for (i = 1; i < nblocks; i++)
	{
		if (i > 1)
			printf(", ");
		print_block(&b[i], strcmp(mode, "mixed") == 0, bh[i]);
	}
	printf("], \"digest\": \"%lld:%s\", \"log_id\": %lld, \"version\": 1, \"row_hash\": \"%s\", "
		   "\"tree_size\": %lld, \"leaf_index\": %zu}\n",
		   (long long) b[nblocks - 1].block_id, hex(bh[nblocks - 1]), (long long) log_id,
		   hex(leaves[m]), (long long) b[0].row_count, m);
	return 0;
}
