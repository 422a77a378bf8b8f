/* UTF-8 as the database and the browsers take it: well-formed, no overlong
 * form, no surrogate, nothing past U+10FFFF. */
#ifndef COMMON_UTF8_H
#define COMMON_UTF8_H

#include <stddef.h>

/* Length of the valid sequence at p (1..4; p < end), or 0. */
size_t utf8_seq(const unsigned char *p, const unsigned char *end);
/* Characters in s, or -1 when s is not valid UTF-8. */
long utf8_chars(const char *s);

#endif
