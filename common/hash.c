/* Digests and comparisons: see hash.h. */
#include "hash.h"

#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

void hash_to_hex(const void *bytes, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *b = bytes;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static void digest_hex(const EVP_MD *md, const void *data, size_t n, char *out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!EVP_Digest(data, n, d, &len, md, NULL))
		len = 0;	/* marked: only on allocation failure inside OpenSSL */
	hash_to_hex(d, len, out);
}

void hash_sha256_hex(const void *data, size_t n, char out[65])
{
	digest_hex(EVP_sha256(), data, n, out);
}

void hash_md5_hex(const void *data, size_t n, char out[33])
{
	digest_hex(EVP_md5(), data, n, out);
}

void hash_hmac_sha256_hex(const void *key, size_t keylen, const void *data, size_t n,
			  char out[65])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!HMAC(EVP_sha256(), key, (int)keylen, data, n, d, &len))
		len = 0;
	hash_to_hex(d, len, out);
}

bool hash_equal(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return CRYPTO_memcmp(a, b, la) == 0;
}

unsigned hash_fnv1a_n(const void *p, size_t n)
{
	const unsigned char *b = p;
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

unsigned hash_fnv1a(const char *s)
{
	return s ? hash_fnv1a_n(s, strlen(s)) : hash_fnv1a_n("", 0);
}
