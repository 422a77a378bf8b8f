/* SIP credentials: passwords from the kernel's CSPRNG, and the digests
 * Kamailio's auth_db compares with (calculate_ha1 = 0: only ha1 and ha1b
 * are stored, never the password). */
#include "agents.h"

#include "hash.h"
#include "rnd.h"

#include <stdio.h>
#include <string.h>

/* No 0/O, 1/l/I: a password is read off a screen and typed into a phone. */
static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

int ag_sip_password(char out[AG_SIP_PASSWORD_LEN + 1])
{
	const unsigned n = sizeof alphabet - 1;	/* 56 */
	/* Bytes of 224 and above are dropped so that every character is
	 * equally likely (224 = 4 * 56). */
	size_t got = 0;
	while (got < AG_SIP_PASSWORD_LEN) {
		unsigned char b[32];
		int rc = rnd_bytes(b, sizeof b);
		if (rc)
			return rc;
		for (size_t i = 0; i < sizeof b && got < AG_SIP_PASSWORD_LEN; i++)
			if (b[i] < 4 * n)
				out[got++] = alphabet[b[i] % n];
	}
	out[got] = '\0';
	return 0;
}

void ag_sip_ha1(const char *user, const char *realm, const char *password, char ha1[33],
		char ha1b[33])
{
	char buf[512];
	int len = snprintf(buf, sizeof buf, "%s:%s:%s", user, realm, password);
	hash_md5_hex(buf, (size_t)len, ha1);
	len = snprintf(buf, sizeof buf, "%s@%s:%s:%s", user, realm, realm, password);
	hash_md5_hex(buf, (size_t)len, ha1b);
	memset(buf, 0, sizeof buf);
}
