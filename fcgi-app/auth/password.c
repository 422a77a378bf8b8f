/* The host's password scheme: lower-case hex of md5(md5(plain)). */
#include "auth.h"

#include "hash.h"

#include <ctype.h>
#include <string.h>

void password_hash(const char *plain, char out[33])
{
	char once[33];
	hash_md5_hex(plain, strlen(plain), once);
	hash_md5_hex(once, 32, out);
}

bool password_check(const char *plain, const char *stored)
{
	/* An unknown user costs the same hashing, against a value no hash has. */
	char want[33] = "--------------------------------";
	if (stored && strlen(stored) == 32)
		for (int i = 0; i < 32; i++)
			want[i] = (char)tolower((unsigned char)stored[i]);
	char got[33];
	password_hash(plain ? plain : "", got);
	bool same = hash_equal(got, want);
	return same && stored && plain;
}
