/*
 * audit_core.h
 *	  The audit log's hashing: a versioned, length-prefixed encoding of a log
 *	  row and of a block, and RFC 6962 Merkle tree roots.  No PostgreSQL
 *	  headers: the SHA-256 is passed in (the server and the unit tests both
 *	  use PostgreSQL's pg_cryptohash).
 */
#ifndef CREDIT_AUDIT_CORE_H
#define CREDIT_AUDIT_CORE_H

#include <stddef.h>
#include <stdint.h>

#define AUDIT_HASH_LEN 32

/* the first bytes of every encoding: change them when the encoding changes */
#define AUDIT_ROW_TAG	"credit-audit-row-v1"
#define AUDIT_BLOCK_TAG "credit-audit-block-v1"

typedef void (*audit_sha256_fn) (const uint8_t *data, size_t len,
								 uint8_t out[AUDIT_HASH_LEN]);

/* an append-only byte buffer (the caller owns the memory management) */
typedef struct audit_buf
{
	uint8_t    *data;
	size_t		len;
	size_t		cap;
	void	   *(*grow) (void *ptr, size_t newcap);	/* realloc-like */
} audit_buf;

/*
 * Fields: one byte 0 (NULL) or 1 (present); a present field then has its
 * length as 4 bytes big-endian and its bytes.  Integers are 8 bytes
 * big-endian.
 */
extern void audit_put_tag(audit_buf *b, const char *tag);
extern void audit_put_null(audit_buf *b);
extern void audit_put_bytes(audit_buf *b, const void *data, uint32_t len);
extern void audit_put_int64(audit_buf *b, int64_t v);

/*
 * Merkle tree head over n leaves (RFC 6962, section 2.1): the empty tree is
 * SHA-256(""), a leaf is SHA-256(0x00 || leaf), a node SHA-256(0x01 || left
 * || right) with the left subtree holding the largest power of two < n.
 */
extern void audit_merkle_root(const uint8_t (*leaves)[AUDIT_HASH_LEN], size_t n,
							  audit_sha256_fn sha256, uint8_t out[AUDIT_HASH_LEN]);

#endif							/* CREDIT_AUDIT_CORE_H */
