/* One agent's fields checked, without the database (unique usernames and
 * extensions, existing groups are db.c's). Returns catalogue keys. */
#include "agents.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define AG_STATE_ROW(s, busy) { #s, busy },
static const struct {
	const char *name;
	bool busy;
} states[] = { AG_STATES(AG_STATE_ROW) };
#undef AG_STATE_ROW

bool ag_state_known(const char *s)
{
	for (size_t i = 0; s && i < sizeof states / sizeof *states; i++)
		if (!strcmp(s, states[i].name))
			return true;
	return false;
}

bool ag_state_busy(const char *s)
{
	for (size_t i = 0; s && i < sizeof states / sizeof *states; i++)
		if (!strcmp(s, states[i].name))
			return states[i].busy;
	return false;
}

static const char *text(const char *s, long max, bool required)
{
	if (!s || !*s)
		return required ? "agents.v.required" : NULL;
	long n = utf8_chars(s);
	if (n < 0 || text_has_controls(s, false))
		return "agents.v.text";
	if (n > max)
		return "agents.v.too_long";
	return NULL;
}

const char *ag_check_username(const char *s)
{
	const char *e = text(s, AG_USERNAME_MAX, true);
	if (e)
		return e;
	/* A sign-in name: no blanks at either end, none inside. */
	if (strpbrk(s, " \t"))
		return "agents.v.username_chars";
	return NULL;
}

const char *ag_check_name(const char *s, bool required)
{
	const char *e = text(s, AG_NAME_MAX, required);
	if (e || !s)
		return e;
	if (*s == ' ' || s[strlen(s) - 1] == ' ')
		return "agents.v.text";
	return NULL;
}

const char *ag_check_password(const char *s)
{
	if (!s || !*s)
		return "agents.v.required";
	long n = utf8_chars(s);
	if (n < 0 || text_has_controls(s, false))
		return "agents.v.text";
	if (n < AG_PASSWORD_MIN)
		return "agents.v.password_short";
	if (n > AG_PASSWORD_MAX)
		return "agents.v.too_long";
	return NULL;
}

const char *ag_check_extension(const char *s)
{
	if (!s || !*s)
		return NULL;	/* the next free one */
	size_t n = strlen(s);
	if (strspn(s, "0123456789") != n || n < AG_EXT_MIN || n > AG_EXT_MAX || s[0] == '0')
		return "agents.v.extension";
	return NULL;
}

static bool sep(char c)
{
	return c == ',' || c == ';' || c == '|' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

const char *ag_parse_groups(struct arena *a, const char *s, bool by_name, struct ag_group *out,
			    size_t max, size_t *n)
{
	*n = 0;
	if (!s)
		return NULL;
	char *copy = arena_strdup(a, s);
	if (!copy)
		return "agents.v.groups";
	char *p = copy;
	for (;;) {
		/* A name may hold blanks ("客服 一组"): only ',' ';' '|' and line
		 * breaks end one then. */
		while (*p && (sep(*p)))
			p++;
		if (!*p)
			break;
		char *start = p;
		while (*p && *p != ',' && *p != ';' && *p != '|' && *p != '\n' && *p != '\r' &&
		       (by_name || (*p != ' ' && *p != '\t')))
			p++;
		char *end = p;
		if (*p)
			*p++ = '\0';
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		char *colon = NULL;
		for (char *q = end; q > start; q--)
			if (q[-1] == ':' || q[-1] == '=') {
				colon = q - 1;
				break;
			}
		int level = 1;
		if (colon) {
			const char *lv = colon + 1;
			while (*lv == ' ')
				lv++;
			if (!*lv || strspn(lv, "0123456789") != strlen(lv) || strlen(lv) > 2)
				return "agents.v.level";
			level = atoi(lv);
			if (level < 1 || level > AG_LEVEL_MAX)
				return "agents.v.level";
			*colon = '\0';
			for (char *q = colon; q > start && (q[-1] == ' ' || q[-1] == '\t'); q--)
				q[-1] = '\0';
		}
		if (!*start)
			return "agents.v.groups";
		struct ag_group g = { .level = level };
		if (by_name) {
			if (utf8_chars(start) < 0 || utf8_chars(start) > 64 ||
			    text_has_controls(start, false))
				return "agents.v.groups";
			g.name = start;
		} else {
			size_t len = strlen(start);
			if (strspn(start, "0123456789") != len || len > 9 || start[0] == '0')
				return "agents.v.groups";
			g.id = atoll(start);
		}
		for (size_t i = 0; i < *n; i++)
			if (by_name ? !strcmp(out[i].name, g.name) : out[i].id == g.id)
				return "agents.v.group_twice";
		if (*n == max)
			return "agents.v.groups_many";
		out[(*n)++] = g;
	}
	return NULL;
}

/* Header names of each import column, Chinese and English. */
static const char *const header_names[AGI_N][3] = {
	[AGI_USERNAME] = { "用户名", "username", "账号" },
	[AGI_NAME] = { "姓名", "name", "显示名" },
	[AGI_EXT] = { "分机", "extension", "分机号" },
	[AGI_PASSWORD] = { "登录密码", "password", "密码" },
	[AGI_GROUPS] = { "技能组", "groups", "skill groups" },
};

const char *ag_import_header(char **cells, size_t n, int map[AGI_N])
{
	for (int k = 0; k < AGI_N; k++)
		map[k] = -1;
	for (size_t i = 0; i < n; i++) {
		const char *c = cells[i];
		while (*c == ' ')
			c++;
		size_t len = strlen(c);
		while (len && c[len - 1] == ' ')
			len--;
		if (!len)
			continue;
		int found = -1;
		for (int k = 0; k < AGI_N && found < 0; k++)
			for (int w = 0; w < 3; w++)
				if (strlen(header_names[k][w]) == len &&
				    !strncasecmp(c, header_names[k][w], len))
					found = k;
		if (found < 0)
			return "agents.import.bad_header";
		if (map[found] >= 0)
			return "agents.import.bad_header";
		map[found] = (int)i;
	}
	return map[AGI_USERNAME] < 0 ? "agents.import.no_username" : NULL;
}

static const char *cell(char **cells, size_t n, int i)
{
	if (i < 0 || (size_t)i >= n)
		return NULL;
	char *c = cells[i];
	while (*c == ' ' || *c == '\t')
		c++;
	size_t len = strlen(c);
	while (len && (c[len - 1] == ' ' || c[len - 1] == '\t'))
		c[--len] = '\0';
	return c;
}

const char *ag_import_row(struct arena *a, char **cells, size_t n, const int map[AGI_N],
			  struct ag_input *in, const char **field)
{
	memset(in, 0, sizeof *in);
	in->username = cell(cells, n, map[AGI_USERNAME]);
	in->name = cell(cells, n, map[AGI_NAME]);
	in->extension = cell(cells, n, map[AGI_EXT]);
	in->password = cell(cells, n, map[AGI_PASSWORD]);
	in->groups = cell(cells, n, map[AGI_GROUPS]);
	if (in->name && !*in->name)
		in->name = NULL;
	const char *e;
	if ((e = ag_check_username(in->username))) {
		*field = "username";
		return e;
	}
	if (!in->name)
		in->name = in->username;	/* a display name is needed: the username */
	if ((e = ag_check_name(in->name, true))) {
		*field = "name";
		return e;
	}
	if ((e = ag_check_extension(in->extension))) {
		*field = "extension";
		return e;
	}
	if (in->password && *in->password && (e = ag_check_password(in->password))) {
		*field = "password";
		return e;
	}
	struct ag_group g[AG_GROUPS_MAX];
	size_t ng;
	if ((e = ag_parse_groups(a, in->groups, true, g, AG_GROUPS_MAX, &ng))) {
		*field = "groups";
		return e;
	}
	return NULL;
}
