/* Configuration files: see conf.h. */
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct conf_key *find(const struct conf_key *keys, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

/* Returns NULL on success or a static reason. */
static const char *assign(const struct conf_key *k, void *obj, const char *val)
{
	char *base = obj;
	switch (k->type) {
	case CONF_STR: {
		char **slot = (char **)(base + k->offset);
		char *copy = strdup(val);
		if (!copy)
			return "out of memory";
		free(*slot);
		*slot = copy;
		return NULL;
	}
	case CONF_INT: {
		char *end;
		errno = 0;
		long v = strtol(val, &end, 10);
		if (errno || end == val || *end)
			return "not a whole number";
		if (v < k->min || v > k->max)
			return "out of bounds";
		*(long *)(base + k->offset) = v;
		return NULL;
	}
	case CONF_BOOL:
		if (!strcmp(val, "yes") || !strcmp(val, "true") || !strcmp(val, "1"))
			*(bool *)(base + k->offset) = true;
		else if (!strcmp(val, "no") || !strcmp(val, "false") || !strcmp(val, "0"))
			*(bool *)(base + k->offset) = false;
		else
			return "not yes or no";
		return NULL;
	}
	return "unknown type";
}

int conf_defaults(const struct conf_key *keys, size_t n, void *obj)
{
	for (size_t i = 0; i < n; i++)
		if (assign(&keys[i], obj, keys[i].def))
			return EINVAL;
	return 0;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int set_line(char *line, const char *where, const struct conf_key *keys, size_t n,
		    void *obj, char *err, size_t errlen)
{
	char *eq = strchr(line, '=');
	if (!eq) {
		snprintf(err, errlen, "%s: expected 'key = value'", where);
		return -1;
	}
	*eq = '\0';
	char *name = trim(line), *val = trim(eq + 1);
	const struct conf_key *k = find(keys, n, name);
	if (!k) {
		snprintf(err, errlen, "%s: unknown key '%s'", where, name);
		return -1;
	}
	const char *why = assign(k, obj, val);
	if (why) {
		if (k->type == CONF_INT)
			snprintf(err, errlen, "%s: %s: '%s' is %s (%ld..%ld)", where, name, val,
				 why, k->min, k->max);
		else
			snprintf(err, errlen, "%s: %s: '%s' is %s", where, name, val, why);
		return -1;
	}
	return 0;
}

int conf_load(const char *path, const struct conf_key *keys, size_t n, void *obj,
	      char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char buf[4096], where[512];
	int lineno = 0, rc = 0;
	while (fgets(buf, sizeof buf, f)) {
		lineno++;
		char *hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		char *line = trim(buf);
		if (!*line)
			continue;
		snprintf(where, sizeof where, "%s:%d", path, lineno);
		if (set_line(line, where, keys, n, obj, err, errlen)) {
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

int conf_set(const char *assignment, const struct conf_key *keys, size_t n, void *obj,
	     char *err, size_t errlen)
{
	char *copy = strdup(assignment);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = set_line(copy, "command line", keys, n, obj, err, errlen);
	free(copy);
	return rc;
}

int conf_read_first_line(const char *path, char *out, size_t n)
{
	out[0] = '\0';
	if (!path || !*path)
		return 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(out, (int)n, f))
		out[0] = '\0';
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

void conf_copy_runtime(const struct conf_key *keys, size_t n, void *dst, void *src)
{
	for (size_t i = 0; i < n; i++) {
		const struct conf_key *k = &keys[i];
		if (!k->runtime)
			continue;
		char *d = (char *)dst + k->offset, *s = (char *)src + k->offset;
		switch (k->type) {
		case CONF_STR: {
			char *tmp = *(char **)d;
			*(char **)d = *(char **)s;
			*(char **)s = tmp;
			break;
		}
		case CONF_INT:
			*(long *)d = *(long *)s;
			break;
		case CONF_BOOL:
			*(bool *)d = *(bool *)s;
			break;
		}
	}
}

void conf_free(const struct conf_key *keys, size_t n, void *obj)
{
	for (size_t i = 0; i < n; i++) {
		if (keys[i].type != CONF_STR)
			continue;
		char **slot = (char **)((char *)obj + keys[i].offset);
		free(*slot);
		*slot = NULL;
	}
}

void conf_print_example(const char *title, const struct conf_key *keys, size_t n)
{
	printf("# %s\n# Every key with its default. Lines starting with '#' are comments.\n", title);
	for (size_t i = 0; i < n; i++) {
		const struct conf_key *k = &keys[i];
		printf("\n# %s\n", k->doc);
		if (k->type == CONF_INT)
			printf("# whole number, %ld..%ld", k->min, k->max);
		else if (k->type == CONF_BOOL)
			printf("# yes or no");
		else
			printf("# text");
		printf("; %s\n", k->runtime ? "takes effect on reload (SIGHUP)" : "takes effect on restart");
		printf("%s = %s\n", k->name, k->def);
	}
}
