/*
 * fuzz_proof.c
 *	  libFuzzer target for credit-verify's JSON parser and proof checks
 *	  (src/credit_verify.c, included without its main), with PostgreSQL's
 *	  SHA-256.  Built by `make test/fuzz/fuzz_proof`; run by `make fuzz`.
 *
 * Input: an optional first line (at most 100 bytes) is the DIGEST argument,
 * the rest the proof text; without a newline the whole input is the proof,
 * checked against its own digest only.
 *
 * Invariants, on arbitrary bytes: no crash, leak or undefined behaviour;
 * the result is 0, 1 or 2, and the message starts with "ok: " exactly for
 * 0 and "rejected: " exactly for 1; a proof accepted against its own digest
 * is accepted against that digest given as the argument too.
 */
#include "postgres_fe.h"

#include "common/cryptohash.h"

#define CREDIT_VERIFY_NO_MAIN
#include "../../src/credit_verify.c"

#define CHECK(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "fuzz_proof: invariant failed at line %d: %s\n", \
					__LINE__, #cond); \
			abort(); \
		} \
	} while (0)

static void
sha256(const uint8_t *data, size_t len, uint8_t out[AUDIT_HASH_LEN])
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);

	CHECK(ctx != NULL && pg_cryptohash_init(ctx) == 0 && pg_cryptohash_update(ctx, data, len) == 0 &&
		  pg_cryptohash_final(ctx, out, AUDIT_HASH_LEN) == 0);
	pg_cryptohash_free(ctx);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *) data;
	const uint8_t *nl = memchr(data, '\n', size < 101 ? size : 101);
	char		digest[128];
	char		msg[1024];
	char	   *copy;
	int			r;

	/* the proof in a buffer of its own size, so ASan sees any overread */
	if (nl != NULL)
	{
		size_t		dl = (size_t) (nl - data);

		memcpy(digest, data, dl);
		digest[dl] = '\0';
		text += dl + 1;
		size -= dl + 1;
	}
	copy = malloc(size ? size : 1);
	CHECK(copy != NULL);
	memcpy(copy, text, size);

	msg[0] = '\0';
	r = cv_check(copy, size, nl ? digest : NULL, sha256, msg, sizeof(msg));
	CHECK(r == CV_OK || r == CV_REJECTED || r == CV_BAD);
	CHECK(msg[0] != '\0');
	CHECK((r == CV_OK) == (strncmp(msg, "ok: ", 4) == 0));
	CHECK((r == CV_REJECTED) == (strncmp(msg, "rejected: ", 10) == 0));
	if (r == CV_OK && nl == NULL)
	{
		/* "ok: ... chained to ID:HEX": the same proof against that digest */
		const char *to = strstr(msg, "chained to ");
		char		msg2[1024];

		CHECK(to != NULL);
		snprintf(digest, sizeof(digest), "%s", to + strlen("chained to "));
		CHECK(cv_check(copy, size, digest, sha256, msg2, sizeof(msg2)) == CV_OK);
		CHECK(strcmp(msg, msg2) == 0);
	}
	free(copy);
	return 0;
}
