/* The installer's pure parts (tools/plugin/text.c) and what the manifest
 * gives it (common/manifest.c): migration names, the tables migrations
 * create, the nginx snippet, the menu, the indexes and the host columns to
 * check, and the manifest mistakes only the loader can see, with lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest.h"
#include "tools/plugin/plugin.h"

#define MANIFEST "plugin-manifest.xml"
#define SCHEMA "schemas/plugin-manifest.rng"

static void migration_names(void **state)
{
	(void)state;
	unsigned v = 0;
	assert_int_equal(plugin_migration_version("001_core.sql", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(plugin_migration_version("042_audio-prompts.sql", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(plugin_migration_version("999_x.sql", &v), 0);
	assert_int_equal(v, 999);
	const char *bad[] = { "01_core.sql", "001core.sql", "001_.sql", "001_core.sql~",
			      "001_core.SQL", "001_co re.sql", "abc_core.sql", "001_core", "", ".sql" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (plugin_migration_version(bad[i], &v) == 0)
			fail_msg("'%s' taken for a migration", bad[i]);
}

struct names {
	char list[1024];
};

static void collect(void *arg, const char *table)
{
	struct names *n = arg;
	size_t len = strlen(n->list);
	snprintf(n->list + len, sizeof n->list - len, "%s%s", len ? " " : "", table);
}

static void created_tables(void **state)
{
	(void)state;
	struct names n = { "" };
	const char *sql =
		"-- CREATE TABLE in_a_comment (x INT);\n"
		"/* CREATE TABLE in_a_block_comment */\n"
		"CREATE TABLE IF NOT EXISTS cc_a (id INT, note VARCHAR(9) DEFAULT 'CREATE TABLE cc_s');\n"
		"create table `cc_b` (id int);\n"
		"CREATE\n  TABLE\tcc_c(id INT);\n"
		"INSERT INTO cc_a VALUES (1, \"CREATE TABLE cc_d\");\n"
		"ALTER TABLE cc_a ADD COLUMN y INT; # CREATE TABLE cc_hash\n"
		"CREATE TEMPORARY TABLE cc_tmp (x INT);\n"
		"RECREATE TABLE cc_no (x INT);\n"
		"CREATE TABLE IF NOT EXISTS `cc_e`(id INT);\n";
	assert_int_equal(plugin_created_tables(sql, collect, &n), 4);
	assert_string_equal(n.list, "cc_a cc_b cc_c cc_e");

	/* The real migrations: every table the core migration makes. */
	FILE *f = fopen("sql/migrations/001_core.sql", "r");
	assert_non_null(f);
	static char text[65536];
	size_t len = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[len] = '\0';
	memset(&n, 0, sizeof n);
	size_t found = plugin_created_tables(text, collect, &n);
	assert_true(found >= 10);
	assert_non_null(strstr(n.list, "cc_call "));
	assert_non_null(strstr(n.list, "cc_agent "));
	assert_null(strstr(n.list, "uk_"));
}

static void paths_for_nginx(void **state)
{
	(void)state;
	assert_true(plugin_path_ok("/run/cc/web.sock"));
	assert_true(plugin_path_ok("/tmp/cc-test.Ab12_x/run/web.sock"));
	assert_false(plugin_path_ok("run/web.sock"));
	assert_false(plugin_path_ok("/run/cc/web sock"));
	assert_false(plugin_path_ok("/run/cc;/x"));
	assert_false(plugin_path_ok("/run/{x}"));
	assert_false(plugin_path_ok("/run/\"x\""));
	assert_false(plugin_path_ok("/run/x\n"));
	assert_false(plugin_path_ok(""));
	assert_false(plugin_path_ok(NULL));
}

static struct manifest *load(const char *path)
{
	struct manifest *m = NULL;
	char err[512];
	if (manifest_load(&m, path, SCHEMA, err, sizeof err))
		fail_msg("%s", err);
	return m;
}

static void snippet(void **state)
{
	(void)state;
	struct manifest *m = load(MANIFEST);
	char out[8192], err[256];
	assert_int_equal(plugin_snippet(out, sizeof out, m, "/srv/cc", "/run/cc/web.sock", err,
					sizeof err), 0);
	assert_string_equal(out,
		"# The callcenter plugin's locations (Call Center 0.1.0), written by cc-plugin install and\n"
		"# removed by cc-plugin uninstall: include it in the helpdesk's server block.\n"
		"location = /cc {\n"
		"    return 301 /cc/;\n"
		"}\n"
		"# Assets are not fingerprinted: cached an hour, then revalidated.\n"
		"location /cc/static/ {\n"
		"    alias /srv/cc/fcgi-app/static/;\n"
		"    expires 1h;\n"
		"    etag on;\n"
		"}\n"
		"# The event stream: unbuffered, long-lived.\n"
		"location = /cc/events {\n"
		"    include /etc/nginx/fastcgi_params;\n"
		"    fastcgi_pass unix:/run/cc/web.sock;\n"
		"    fastcgi_buffering off;\n"
		"    fastcgi_read_timeout 1h;\n"
		"    fastcgi_send_timeout 1h;\n"
		"    gzip off;\n"
		"}\n"
		"location /cc/ {\n"
		"    include /etc/nginx/fastcgi_params;\n"
		"    fastcgi_pass unix:/run/cc/web.sock;\n"
		"    client_max_body_size 6m;\n"
		"    client_body_buffer_size 128k;\n"
		"    fastcgi_read_timeout 60s;\n"
		"}\n");
	/* A path nginx would read differently is refused, not written. */
	assert_int_equal(plugin_snippet(out, sizeof out, m, "/srv/my cc", "/run/cc/web.sock", err,
					sizeof err), -1);
	assert_non_null(strstr(err, "/srv/my cc"));
	assert_int_equal(plugin_snippet(out, sizeof out, m, "/srv/cc", "/run/x;evil", err,
					sizeof err), -1);
	/* Too small a buffer is an error, not a cut text. */
	assert_int_equal(plugin_snippet(out, 100, m, "/srv/cc", "/run/cc/web.sock", err, sizeof err), -1);
	manifest_free(m);
}

static void menu_and_indexes(void **state)
{
	(void)state;
	struct manifest *m = load(MANIFEST);
	assert_string_equal(m->name_zh, "呼叫中心");
	assert_string_equal(m->name_en, "Call Center");
	assert_string_equal(m->changes_table, "cc_host_change");
	assert_string_equal(m->migrations_dir, "sql/migrations");
	assert_int_equal(m->nmenu, 8);
	const struct mf_menu_entry *ob = manifest_menu_entry(m, "CC_A07");
	assert_non_null(ob);
	assert_string_equal(ob->url, "/cc/admin/tasks");
	assert_string_equal(ob->permission, "A11");
	assert_non_null(m->access.user_roles.table);
	assert_string_equal(m->menu[0].code, "CC");
	assert_null(m->menu[0].parent);
	assert_null(m->menu[0].permission);
	const struct mf_menu_entry *wb = manifest_menu_entry(m, "CC_A01");
	assert_non_null(wb);
	assert_string_equal(wb->parent, "CC");
	assert_string_equal(wb->permission, "A01");
	assert_string_equal(wb->url, "/cc/workbench");
	assert_string_equal(wb->name_zh, "坐席工作台");
	assert_true(wb->line > m->menu[0].line);
	assert_null(manifest_menu_entry(m, "A01"));
	assert_int_equal(m->nindexes, 3);
	assert_string_equal(m->indexes[0].table, "cs_user");
	assert_int_equal(m->indexes[0].ncolumns, 1);
	assert_string_equal(m->indexes[0].columns[0], "USERNAME");
	assert_string_equal(m->access.resources.table, "uk_sysdic");
	assert_string_equal(m->access.resources.root_code, "com.dic.auth.resource");
	assert_string_equal(m->access.department_grants.resource, "dicid");
	assert_int_equal(m->nservices, 4);
	assert_string_equal(m->services[0].name, "cc-web");
	assert_string_equal(m->nginx.fastcgi, "/run/cc/web.sock");
	manifest_free(m);
}

struct cols {
	size_t n;
	bool touchtime, menutype, tenant, index_col, dicid;
};

static int see(void *arg, const char *table, const char *column)
{
	struct cols *c = arg;
	c->n++;
	c->touchtime |= !strcmp(table, "uk_contacts") && !strcmp(column, "touchtime");
	c->menutype |= !strcmp(table, "uk_sysdic") && !strcmp(column, "MENUTYPE");
	c->tenant |= !strcmp(column, "orgi");
	c->index_col |= !strcmp(table, "cs_organ_user") && !strcmp(column, "userid");
	c->dicid |= !strcmp(table, "uk_organrole") && !strcmp(column, "dicid");
	return 0;
}

static int stop_at_third(void *arg, const char *table, const char *column)
{
	(void)table;
	(void)column;
	return ++*(int *)arg == 3 ? 7 : 0;
}

static void host_columns(void **state)
{
	(void)state;
	struct manifest *m = load(MANIFEST);
	struct cols c = { 0 };
	assert_int_equal(manifest_each_column(m, see, &c), 0);
	assert_true(c.n > 50);
	assert_true(c.touchtime);
	assert_true(c.menutype);
	assert_true(c.index_col);
	assert_true(c.dicid);
	/* v7's tenant column is optional: never required of a v8 host. */
	assert_false(c.tenant);
	int seen = 0;
	assert_int_equal(manifest_each_column(m, stop_at_third, &seen), 7);
	assert_int_equal(seen, 3);
	manifest_free(m);
}

/* Writes the manifest with from replaced by to (once) into a temporary
 * file; its name in path. */
static void variant(char *path, size_t len, const char *from, const char *to)
{
	FILE *f = fopen(MANIFEST, "r");
	assert_non_null(f);
	static char text[65536], out[70000];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	char *at = strstr(text, from);
	assert_non_null(at);
	snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	snprintf(path, len, "/tmp/cc-test-manifest.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, out, strlen(out)), (ssize_t)strlen(out));
	close(fd);
}

static long line_of(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	char buf[1024];
	long line = 0, found = -1;
	while (f && fgets(buf, sizeof buf, f)) {
		line++;
		if (strstr(buf, needle))
			found = line;
	}
	if (f)
		fclose(f);
	return found;
}

static void expect_refused(const char *from, const char *to, const char *line_needle,
			   const char *reason)
{
	char path[64], err[512], want[128];
	struct manifest *m = NULL;
	variant(path, sizeof path, from, to);
	int rc = manifest_load(&m, path, SCHEMA, err, sizeof err);
	long line = line_of(path, line_needle);
	unlink(path);
	manifest_free(m);
	assert_int_equal(rc, -1);
	snprintf(want, sizeof want, "%s:%ld: ", path, line);
	if (strncmp(err, want, strlen(want)) || !strstr(err, reason))
		fail_msg("got '%s', want '%s...%s'", err, want, reason);
}

static void menu_mistakes(void **state)
{
	(void)state;
	/* The same code twice: the second one's line. */
	expect_refused("<entry code=\"CC\" url=\"/cc/\"",
		       "<entry code=\"CC\" url=\"/cc/\" name-zh=\"甲\" name-en=\"A\"/>\n"
		       "    <entry code=\"CC\" url=\"/cc/again\"",
		       "/cc/again", "menu entry code 'CC' is already used");
	/* A parent named after its child. */
	expect_refused("<entry code=\"CC\" url=\"/cc/\"",
		       "<entry code=\"CC_Z\" parent=\"CC\" url=\"/cc/z\" name-zh=\"乙\" name-en=\"B\"/>\n"
		       "    <entry code=\"CC\" url=\"/cc/\"",
		       "CC_Z", "its parent 'CC' must come before it");
	/* A code the helpdesk's permission table cannot hold. */
	expect_refused("<entry code=\"CC\" url=\"/cc/\"", "<entry code=\"CC-1\" url=\"/cc/\"",
		       "CC-1", "entry");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(migration_names),
		cmocka_unit_test(created_tables),
		cmocka_unit_test(paths_for_nginx),
		cmocka_unit_test(snippet),
		cmocka_unit_test(menu_and_indexes),
		cmocka_unit_test(host_columns),
		cmocka_unit_test(menu_mistakes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
