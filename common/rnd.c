/* Randomness: see rnd.h. */
#include "rnd.h"

#include "hash.h"

#include <errno.h>
#include <sys/random.h>

int rnd_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;
	while (n) {
		ssize_t r = getrandom(p, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int rnd_hex(char *out, size_t n)
{
	unsigned char b[64];
	if (n > sizeof b)
		return EINVAL;
	int err = rnd_bytes(b, n);
	if (err)
		return err;
	hash_to_hex(b, n, out);
	return 0;
}

int rnd_uuid32(char out[33])
{
	unsigned char b[16];
	int err = rnd_bytes(b, sizeof b);
	if (err)
		return err;
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	hash_to_hex(b, sizeof b, out);
	return 0;
}
