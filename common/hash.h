/* Digests and comparisons for tokens and passwords (OpenSSL's libcrypto):
 * hex SHA-256, hex HMAC-SHA-256, hex MD5, a constant-time equality; and
 * FNV-1a for hash tables keyed by ids. */
#ifndef CC_HASH_H
#define CC_HASH_H

#include <stdbool.h>
#include <stddef.h>

/* Lower-case hex of n bytes into out (2 * n + 1 bytes). */
void hash_to_hex(const void *bytes, size_t n, char *out);
/* Lower-case hex digests; out holds 2 * digest length + 1 bytes. */
void hash_sha256_hex(const void *data, size_t n, char out[65]);
void hash_md5_hex(const void *data, size_t n, char out[33]);
/* HMAC-SHA-256 of data under key. */
void hash_hmac_sha256_hex(const void *key, size_t keylen, const void *data, size_t n,
			  char out[65]);
/* True when a and b are equal strings. The time taken depends only on the
 * lengths, never on where the first difference is. NULL equals nothing. */
bool hash_equal(const char *a, const char *b);
/* FNV-1a of a string: a fast, stable spread for hash tables and for
 * sharding work by key. Not for anything an attacker must not predict. */
unsigned hash_fnv1a(const char *s);
/* The same over n bytes. */
unsigned hash_fnv1a_n(const void *p, size_t n);

#endif
