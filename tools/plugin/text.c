/* cc-plugin's text work, without I/O: see plugin.h. */
#include "plugin.h"

#include "manifest.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int plugin_migration_version(const char *filename, unsigned *version)
{
	const char *s = filename;
	if (!s || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]) || s[3] != '_')
		return -1;
	size_t n = strlen(s);
	if (n <= 8 || strcmp(s + n - 4, ".sql"))
		return -1;
	for (const char *p = s + 4; p < s + n - 4; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-'))
			return -1;
	*version = (unsigned)((s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0'));
	return 0;
}

/* Skips blanks and comments ("-- ", "#", C comments) from s. */
static const char *skip_space(const char *s)
{
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if ((s[0] == '-' && s[1] == '-' && (isspace((unsigned char)s[2]) || !s[2])) ||
		    s[0] == '#') {
			while (*s && *s != '\n')
				s++;
		} else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");
			s = e ? e + 2 : s + strlen(s);
		} else {
			return s;
		}
	}
}

/* The keyword kw (upper case) at s, followed by a non-word character. */
static const char *keyword(const char *s, const char *kw)
{
	size_t n = strlen(kw);
	if (strncasecmp(s, kw, n) || isalnum((unsigned char)s[n]) || s[n] == '_')
		return NULL;
	return skip_space(s + n);
}

size_t plugin_created_tables(const char *sql, plugin_table_h *h, void *arg)
{
	size_t found = 0;
	const char *s = sql;
	bool word_start = true;
	while (*s) {
		const char *t = skip_space(s);
		if (t != s) {
			s = t;
			word_start = true;
			continue;
		}
		if (*s == '\'' || *s == '"' || *s == '`') {
			/* A literal or quoted name outside CREATE TABLE: skipped whole. */
			char q = *s++;
			while (*s && *s != q)
				s += (*s == '\\' && s[1]) ? 2 : 1;
			if (*s)
				s++;
			word_start = true;
			continue;
		}
		const char *p;
		if (word_start && (p = keyword(s, "CREATE")) && (p = keyword(p, "TABLE"))) {
			const char *q = keyword(p, "IF");
			if (q && (q = keyword(q, "NOT")) && (q = keyword(q, "EXISTS")))
				p = q;
			bool quoted = *p == '`';
			if (quoted)
				p++;
			char name[65];
			size_t n = 0;
			while ((isalnum((unsigned char)p[n]) || p[n] == '_') && n < sizeof name - 1) {
				name[n] = p[n];
				n++;
			}
			name[n] = '\0';
			if (n && (!quoted || p[n] == '`')) {
				h(arg, name);
				found++;
			}
			s = p + n + (quoted && p[n] == '`');
			word_start = false;
			continue;
		}
		word_start = !(isalnum((unsigned char)*s) || *s == '_');
		s++;
	}
	return found;
}

bool plugin_path_ok(const char *path)
{
	if (!path || path[0] != '/' || strlen(path) > 1024)
		return false;
	for (const char *p = path; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr("_./@+-", *p)))
			return false;
	return true;
}

int plugin_snippet(char *out, size_t outlen, const struct manifest *m, const char *root,
		   const char *socket, char *err, size_t errlen)
{
	if (!plugin_path_ok(root)) {
		snprintf(err, errlen, "'%s' cannot be written into nginx's configuration "
			 "(an absolute path of letters, digits and _./@+- only)", root ? root : "");
		return -1;
	}
	if (!plugin_path_ok(socket)) {
		snprintf(err, errlen, "'%s' cannot be written into nginx's configuration "
			 "(an absolute path of letters, digits and _./@+- only)", socket ? socket : "");
		return -1;
	}
	const char *pfx = m->mount_prefix;	/* "/cc/": the schema's pattern */
	size_t plen = strlen(pfx);
	int n = snprintf(out, outlen,
		"# The %s plugin's locations (%s %s), written by cc-plugin install and\n"
		"# removed by cc-plugin uninstall: include it in the helpdesk's server block.\n"
		"location = %.*s {\n"
		"    return 301 %s;\n"
		"}\n"
		"# Assets are not fingerprinted: cached an hour, then revalidated.\n"
		"location %sstatic/ {\n"
		"    alias %s/%s/;\n"
		"    expires 1h;\n"
		"    etag on;\n"
		"}\n"
		"# The event stream: unbuffered, long-lived.\n"
		"location = %s%s {\n"
		"    include /etc/nginx/fastcgi_params;\n"
		"    fastcgi_pass unix:%s;\n"
		"    fastcgi_buffering off;\n"
		"    fastcgi_read_timeout 1h;\n"
		"    fastcgi_send_timeout 1h;\n"
		"    gzip off;\n"
		"}\n"
		"location %s {\n"
		"    include /etc/nginx/fastcgi_params;\n"
		"    fastcgi_pass unix:%s;\n"
		"    client_max_body_size %s;\n"
		"    client_body_buffer_size 128k;\n"
		"    fastcgi_read_timeout 60s;\n"
		"}\n",
		m->id, m->name_en ? m->name_en : m->id, m->version,
		(int)(plen - 1), pfx, pfx,
		pfx, root, m->nginx.static_dir,
		pfx, m->nginx.events, socket,
		pfx, socket, m->nginx.max_body);
	if (n < 0 || (size_t)n >= outlen) {
		snprintf(err, errlen, "the nginx snippet does not fit in %zu bytes", outlen);
		return -1;
	}
	return 0;
}
