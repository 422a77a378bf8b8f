/* The host database has what the manifest maps: see plugin.h. */
#include "plugin.h"

#include "db.h"
#include "manifest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void vsay(FILE *f, const char *zh, const char *en, va_list ap)
{
	/* Both texts take the same arguments: the English one is printed from
	 * a copy of the list. */
	va_list ap2;
	va_copy(ap2, ap);
	fputs("cc-plugin: ", f);
	vfprintf(f, zh, ap);
	fputs(" (", f);
	vfprintf(f, en, ap2);
	fputs(")\n", f);
	va_end(ap2);
	fflush(f);
}

void plugin_say(const char *zh, const char *en, ...)
{
	va_list ap;
	va_start(ap, en);
	vsay(stdout, zh, en, ap);
	va_end(ap);
}

void plugin_err(const char *zh, const char *en, ...)
{
	va_list ap;
	va_start(ap, en);
	vsay(stderr, zh, en, ap);
	va_end(ap);
}

/* The missing names, "table.column" or "table", each once. */
struct missing {
	struct plugin_ctx *c;
	char list[4096];
	size_t n;
	int dberr;
	char last_table[65];
	bool table_missing;
};

static void add_missing(struct missing *ms, const char *what)
{
	/* Each name once: the manifest may map a column twice (field and phone). */
	size_t wl = strlen(what);
	for (const char *p = ms->list; (p = strstr(p, what)); p += wl)
		if ((p == ms->list || p[-1] == ' ') && (p[wl] == ',' || !p[wl]))
			return;
	size_t len = strlen(ms->list);
	snprintf(ms->list + len, sizeof ms->list - len, "%s%s", len ? ", " : "", what);
	ms->n++;
}

static int check_column(void *arg, const char *table, const char *column)
{
	struct missing *ms = arg;
	char n[16] = "0", what[160];
	if (strcmp(ms->last_table, table)) {
		snprintf(ms->last_table, sizeof ms->last_table, "%s", table);
		if (db_query_value(ms->c->db, n, sizeof n,
				   "SELECT COUNT(*) FROM information_schema.TABLES "
				   "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", "s", table) < 0) {
			ms->dberr = 1;
			return 1;
		}
		ms->table_missing = atoi(n) == 0;
		if (ms->table_missing) {
			snprintf(what, sizeof what, "%s", table);
			add_missing(ms, what);
		}
	}
	if (ms->table_missing)
		return 0;
	if (db_query_value(ms->c->db, n, sizeof n,
			   "SELECT COUNT(*) FROM information_schema.COLUMNS "
			   "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?",
			   "ss", table, column) < 0) {
		ms->dberr = 1;
		return 1;
	}
	if (atoi(n) == 0) {
		snprintf(what, sizeof what, "%s.%s", table, column);
		add_missing(ms, what);
	}
	return 0;
}

int plugin_check_host(struct plugin_ctx *c)
{
	struct missing *ms = calloc(1, sizeof *ms);
	if (!ms) {
		plugin_err("内存不足", "out of memory");
		return -1;
	}
	ms->c = c;
	manifest_each_column(c->m, check_column, ms);
	int rc = 0;
	if (ms->dberr) {
		plugin_err("查询数据库失败：%s", "querying the database failed: %s", db_error(c->db));
		rc = -1;
	} else if (ms->n) {
		plugin_err("宿主数据库缺少清单映射的 %zu 个表或列：%s",
			   "the host database lacks %zu tables or columns the manifest maps: %s",
			   ms->n, ms->list);
		rc = 1;
	} else {
		plugin_say("宿主数据库具备清单映射的全部表和列", "the host database has every table and column the manifest maps");
	}
	free(ms);
	return rc;
}
