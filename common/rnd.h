/* Randomness from the kernel (getrandom), for ids, tokens and cookies. */
#ifndef CC_RND_H
#define CC_RND_H

#include <stddef.h>

/* Fills buf with n random bytes; 0 or an errno value. */
int rnd_bytes(void *buf, size_t n);
/* Writes 2*n lower-case hex digits of n random bytes and a NUL into out
 * (which holds 2*n+1 bytes). 0 or an errno value. */
int rnd_hex(char *out, size_t n);
/* A new id in the host's form: a version-4 UUID without dashes, 32 hex
 * digits and a NUL. */
int rnd_uuid32(char out[33]);

#endif
