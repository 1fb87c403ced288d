/*
 * audit_sha256_fe.c
 *	  PostgreSQL's own SHA-256 (libpgcommon's pg_cryptohash) for the programs
 *	  that check audit hashes without a server: credit-verify, the audit unit
 *	  test and its proof fixture.
 */
#include "postgres_fe.h"

#include "common/cryptohash.h"

#include "audit_core.h"

void
audit_sha256_fe(const uint8_t *data, size_t len, uint8_t out[AUDIT_HASH_LEN])
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);

	if (ctx == NULL || pg_cryptohash_init(ctx) < 0 || pg_cryptohash_update(ctx, data, len) < 0 ||
		pg_cryptohash_final(ctx, out, AUDIT_HASH_LEN) < 0)
	{
		fprintf(stderr, "could not compute a SHA-256 hash\n");
		exit(2);
	}
	pg_cryptohash_free(ctx);
}
