/*
 * audit_core.h
 *	  The audit log's hashing: a versioned, length-prefixed encoding of a log
 *	  row and of a block, and RFC 6962 Merkle tree roots.  No PostgreSQL
 *	  headers: the SHA-256 is passed in (the server and the unit tests both
 *	  use PostgreSQL's pg_cryptohash).
 */
#ifndef CREDIT_AUDIT_CORE_H
#define CREDIT_AUDIT_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUDIT_HASH_LEN 32

/* the first bytes of every encoding: change them when the encoding changes */
#define AUDIT_ROW_TAG	"credit-audit-row-v1"
#define AUDIT_BLOCK_TAG "credit-audit-block-v1"
#define AUDIT_BLOCK_TAG_V2 "credit-audit-block-v2"

/* the longest audit path: a tree of at most 2^64 leaves is 64 levels deep */
#define AUDIT_MAX_PATH 64

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

/*
 * A sealed block's header: what its block hash covers.
 *
 * Version 1 hashes the tag AUDIT_BLOCK_TAG, then block_id, row_count,
 * merkle_root (a present field), prev_hash (a present field, or the NULL
 * marker when has_prev is false: block 1) and sealed_at, exactly as
 * credit.audit_block_hash() does.
 *
 * Version 2 hashes the tag AUDIT_BLOCK_TAG_V2, the same five fields in the
 * same encoding, then high_log_id, nlate, each late id, ndeferred and each
 * deferred id, all as integers.  The late and deferred ids are hashed in the
 * order given.
 */
typedef struct audit_block_header
{
	int64_t		block_id;
	int64_t		row_count;
	uint8_t		merkle_root[AUDIT_HASH_LEN];
	bool		has_prev;		/* false for block 1 */
	uint8_t		prev_hash[AUDIT_HASH_LEN];
	int64_t		sealed_at;		/* timestamptz: microseconds since 2000-01-01 */
	int			version;		/* 1 or 2 */
	/* version 2 only */
	int64_t		high_log_id;
	const int64_t *late;		/* log_ids sealed in this block below the
								 * previous block's high_log_id */
	size_t		nlate;
	const int64_t *deferred;	/* log_ids <= high_log_id still pending after
								 * this block */
	size_t		ndeferred;
} audit_block_header;

/*
 * The block hash of h (any version other than 2 is hashed as version 1).
 * The encoding is built in memory from malloc(); the process aborts if that
 * fails.
 */
extern void audit_block_hash(const audit_block_header *h, audit_sha256_fn sha256,
							 uint8_t out[AUDIT_HASH_LEN]);

/*
 * RFC 6962 section 2.1.1 audit path of leaf m (0-based) in the tree of the n
 * leaves: the sibling hashes from the leaf's level up to the root's
 * children.  Writes at most AUDIT_MAX_PATH nodes into path and returns how
 * many; 0 for a one-leaf tree, and when m >= n.  Takes O(n) hashes.
 */
extern size_t audit_merkle_path(const uint8_t (*leaves)[AUDIT_HASH_LEN], size_t n,
								size_t m, audit_sha256_fn sha256,
								uint8_t (*path)[AUDIT_HASH_LEN]);

/*
 * True when path (len nodes) proves that leaf -- a row hash, hashed here as
 * SHA-256(0x00 || leaf) -- is leaf m of a tree of n leaves whose head is
 * root (RFC 9162 section 2.1.3.2).  False when m >= n, len > AUDIT_MAX_PATH
 * or len is not the path length for (m, n).
 *
 * The path binds the shape of the walk, not m and n themselves: (m, n) and
 * another pair with the same walk (leaf 0 of 5 and leaf 0 of 6, say) accept
 * the same path.  Bind n independently (a block's hashed row_count); for a
 * fixed n, the path does bind m.
 */
extern bool audit_merkle_verify(const uint8_t leaf[AUDIT_HASH_LEN], size_t m, size_t n,
								const uint8_t (*path)[AUDIT_HASH_LEN], size_t len,
								audit_sha256_fn sha256, const uint8_t root[AUDIT_HASH_LEN]);

/* PostgreSQL's SHA-256 for the programs without a server (audit_sha256_fe.c,
 * libpgcommon); exits with status 2 when it fails */
extern void audit_sha256_fe(const uint8_t *data, size_t len, uint8_t out[AUDIT_HASH_LEN]);

#endif							/* CREDIT_AUDIT_CORE_H */
