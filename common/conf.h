/* Configuration files: "key = value" lines, '#' starts a comment.
 *
 * Each program describes its keys in one table (an X-macro in its own
 * header): name, type, default, bounds, whether the key may change while the
 * program runs, and a line of documentation. The same table sets defaults,
 * parses files, checks bounds and prints the documented example file, so the
 * example can never drift from the code. Errors name the file and line. */
#ifndef CC_CONF_H
#define CC_CONF_H

#include <stdbool.h>
#include <stddef.h>

enum conf_type { CONF_STR, CONF_INT, CONF_BOOL };

struct conf_key {
	const char *name;
	enum conf_type type;
	size_t offset;		/* into the program's config struct */
	const char *def;	/* default, as text */
	long min, max;		/* bounds for CONF_INT */
	bool runtime;		/* may change on reload */
	const char *doc;
};

/* Struct member types by conf type. */
typedef char *conf_str_t;
typedef long conf_int_t;
typedef bool conf_bool_t;

/* Generates one struct member per key: X(name, TYPE, ...) with TYPE one of
 * STR, INT, BOOL. */
#define CONF_MEMBER(name, type, def, min, max, rt, doc) conf_##type##_t name;
#define conf_STR_t conf_str_t
#define conf_INT_t conf_int_t
#define conf_BOOL_t conf_bool_t
#define CONF_KEY(strct, name, type, def, min, max, rt, doc) \
	{ #name, CONF_##type, offsetof(strct, name), def, min, max, rt, doc },

/* Sets every key of obj to its default. Returns 0 or an errno value. */
int conf_defaults(const struct conf_key *keys, size_t n, void *obj);
/* Reads path over the current values. On error writes "file:line: reason"
 * to err and returns -1; unknown keys and values out of bounds are errors. */
int conf_load(const char *path, const struct conf_key *keys, size_t n, void *obj,
	      char *err, size_t errlen);
/* Sets one key from "key=value" text (command-line overrides). */
int conf_set(const char *assignment, const struct conf_key *keys, size_t n, void *obj,
	     char *err, size_t errlen);
/* Reads the first line of a file (a secret, a password) into out, without
 * its line end. An empty path gives "". 0, or -1 with errno set. */
int conf_read_first_line(const char *path, char *out, size_t n);
/* Copies the keys marked runtime from src to dst (strings change hands:
 * dst's old ones go to src, for the caller's conf_free). */
void conf_copy_runtime(const struct conf_key *keys, size_t n, void *dst, void *src);
/* Frees the strings of obj. */
void conf_free(const struct conf_key *keys, size_t n, void *obj);
/* Prints the documented example file with every key at its default. */
void conf_print_example(const char *title, const struct conf_key *keys, size_t n);

#endif
