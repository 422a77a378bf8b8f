/* The plugin's migrations and tables: see plugin.h.
 *
 * Migrations hold several statements, triggers among them, so each file is
 * run by the mariadb client as is (fork and exec, no shell): the client is
 * what a person would use to apply one by hand, and it splits statements
 * exactly as the server's own tools do. The password reaches it through an
 * option file in memory (memfd), never the command line. The version table
 * and its semantics are those scripts/migrate.sh used, so a database it
 * migrated stays valid. */
#include "plugin.h"

#include "db.h"
#include "manifest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_MIGRATIONS 256
#define MAX_TABLES 128

struct migration {
	unsigned version;
	char name[128];		/* file name without ".sql" */
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct migration *)a)->name, ((const struct migration *)b)->name);
}

/* The migration files of the plugin, sorted. -1 when the folder cannot be read. */
static int list_migrations(struct plugin_ctx *c, struct migration *out, size_t max, size_t *np)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/%s", c->root, c->m->migrations_dir);
	DIR *d = opendir(dir);
	if (!d) {
		plugin_err("无法读取迁移目录 %s：%s", "cannot read the migrations folder %s: %s", dir,
			   strerror(errno));
		return -1;
	}
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < max) {
		unsigned v;
		if (plugin_migration_version(e->d_name, &v) || strlen(e->d_name) >= sizeof out->name + 4)
			continue;
		out[n].version = v;
		snprintf(out[n].name, sizeof out[n].name, "%.*s", (int)(strlen(e->d_name) - 4), e->d_name);
		n++;
	}
	closedir(d);
	qsort(out, n, sizeof *out, by_name);
	*np = n;
	return 0;
}

static int version_table(struct plugin_ctx *c)
{
	char sql[512];
	snprintf(sql, sizeof sql,
		 "CREATE TABLE IF NOT EXISTS `%s` ("
		 " version INT UNSIGNED NOT NULL PRIMARY KEY,"
		 " name VARCHAR(128) NOT NULL,"
		 " applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
		 ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", c->m->migrations_table);
	if (db_exec(c->db, sql, "") < 0) {
		plugin_err("无法建立版本表 %s：%s", "cannot create the version table %s: %s",
			   c->m->migrations_table, db_error(c->db));
		return -1;
	}
	return 0;
}

int plugin_table_exists(struct plugin_ctx *c, const char *table)
{
	char n[16] = "0";
	if (db_query_value(c->db, n, sizeof n,
			   "SELECT COUNT(*) FROM information_schema.TABLES "
			   "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", "s", table) < 0)
		return -1;
	return atoi(n) > 0;
}

struct applied {
	unsigned char seen[1000];
};

static int note_applied(void *arg, int ncol, char **vals, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	struct applied *a = arg;
	long v = vals[0] ? atol(vals[0]) : -1;
	if (v >= 0 && v < 1000)
		a->seen[v] = 1;
	return 0;
}

/* An option file in memory holding the password, for the client to read as
 * /dev/fd/N; -1 when it cannot be made. */
static int password_file(const char *password)
{
	int fd = memfd_create("cc-plugin-client", 0);
	if (fd < 0)
		return -1;
	/* The client ignores an option file others may write. */
	if (fchmod(fd, 0600)) {
		close(fd);
		return -1;
	}
	FILE *f = fdopen(dup(fd), "w");
	if (!f) {
		close(fd);
		return -1;
	}
	fputs("[client]\n", f);
	if (password && *password) {
		fputs("password=\"", f);
		for (const char *p = password; *p; p++) {
			if (*p == '\\' || *p == '"')
				fputc('\\', f);
			fputc(*p, f);
		}
		fputs("\"\n", f);
	}
	if (fclose(f)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Runs the mariadb client with file as its input. 0 when it exits 0. */
static int run_client(struct plugin_ctx *c, const char *file)
{
	int in = open(file, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		plugin_err("无法打开 %s：%s", "cannot open %s: %s", file, strerror(errno));
		return -1;
	}
	int opt = password_file(c->password);
	if (opt < 0) {
		plugin_err("无法为 mariadb 客户端准备选项文件：%s",
			   "cannot prepare the mariadb client's option file: %s", strerror(errno));
		close(in);
		return -1;
	}
	char defaults[64], user[160], conn[4200], port[32], db[160];
	snprintf(defaults, sizeof defaults, "--defaults-file=/dev/fd/%d", opt);
	snprintf(user, sizeof user, "--user=%s", c->user);
	snprintf(db, sizeof db, "--database=%s", c->database);
	const char *argv[10];
	int n = 0;
	argv[n++] = "mariadb";
	argv[n++] = defaults;
	argv[n++] = "--batch";
	argv[n++] = user;
	if (c->host && *c->host) {
		snprintf(conn, sizeof conn, "--host=%s", c->host);
		snprintf(port, sizeof port, "--port=%u", c->port ? c->port : 3306);
		argv[n++] = conn;
		argv[n++] = port;
		argv[n++] = "--protocol=tcp";
	} else {
		snprintf(conn, sizeof conn, "--socket=%s", c->socket);
		argv[n++] = conn;
	}
	argv[n++] = db;
	argv[n] = NULL;

	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		plugin_err("无法启动 mariadb 客户端：%s", "cannot start the mariadb client: %s",
			   strerror(errno));
		close(in);
		close(opt);
		return -1;
	}
	if (pid == 0) {
		dup2(in, STDIN_FILENO);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "cc-plugin: mariadb: %s\n", strerror(errno));
		_exit(127);
	}
	close(in);
	close(opt);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int plugin_migrate(struct plugin_ctx *c, bool dry_run)
{
	static struct migration ms[MAX_MIGRATIONS];
	size_t n;
	if (list_migrations(c, ms, MAX_MIGRATIONS, &n))
		return -1;
	struct applied *ap = calloc(1, sizeof *ap);
	if (!ap)
		return -1;
	int rc = -1, have = plugin_table_exists(c, c->m->migrations_table);
	if (have < 0) {
		plugin_err("查询数据库失败：%s", "querying the database failed: %s", db_error(c->db));
		goto out;
	}
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT version FROM `%s`", c->m->migrations_table);
	if (have && db_query(c->db, sql, note_applied, ap, "") < 0) {
		plugin_err("无法读取版本表：%s", "cannot read the version table: %s", db_error(c->db));
		goto out;
	}
	if (!dry_run && !have && version_table(c))
		goto out;
	unsigned pending = 0;
	for (size_t i = 0; i < n; i++) {
		if (ap->seen[ms[i].version])
			continue;
		pending++;
		if (dry_run) {
			plugin_say("待执行的迁移：%s", "migration pending: %s", ms[i].name);
			continue;
		}
		char file[4400];
		snprintf(file, sizeof file, "%s/%s/%s.sql", c->root, c->m->migrations_dir, ms[i].name);
		plugin_say("执行迁移 %s", "applying migration %s", ms[i].name);
		if (run_client(c, file)) {
			plugin_err("迁移 %s 失败；其后的迁移都未执行", "migration %s failed; none after it was applied",
				   ms[i].name);
			goto out;
		}
		snprintf(sql, sizeof sql, "INSERT INTO `%s` (version, name) VALUES (?, ?)",
			 c->m->migrations_table);
		if (db_exec(c->db, sql, "is", (long long)ms[i].version, ms[i].name) < 0) {
			plugin_err("无法记录迁移 %s：%s", "cannot record migration %s: %s", ms[i].name,
				   db_error(c->db));
			goto out;
		}
		ap->seen[ms[i].version] = 1;
		c->changes++;
	}
	if (!pending)
		plugin_say("迁移均已执行（%zu 个）", "every migration is applied (%zu)", n);
	rc = 0;
out:
	free(ap);
	return rc;
}

/* --- the plugin's tables ---------------------------------------------------- */

struct tables {
	char names[MAX_TABLES][65];
	size_t n;
};

static void add_table(void *arg, const char *table)
{
	struct tables *t = arg;
	/* Only the plugin's own names: a migration's CREATE TABLE of anything
	 * else would be a bug, never a reason to drop a helpdesk table. */
	if (strncmp(table, "cc_", 3) || !manifest_ident_ok(table))
		return;
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->names[i], table))
			return;
	if (t->n < MAX_TABLES)
		snprintf(t->names[t->n++], sizeof t->names[0], "%s", table);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	size_t r;
	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			char *nb = realloc(buf, (cap *= 2) + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

/* The tables the migrations create, then the version and changes tables. */
static int plugin_tables(struct plugin_ctx *c, struct tables *t)
{
	static struct migration ms[MAX_MIGRATIONS];
	size_t n;
	if (list_migrations(c, ms, MAX_MIGRATIONS, &n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		char file[4400];
		snprintf(file, sizeof file, "%s/%s/%s.sql", c->root, c->m->migrations_dir, ms[i].name);
		char *text = read_file(file);
		if (!text) {
			plugin_err("无法读取 %s：%s", "cannot read %s: %s", file, strerror(errno));
			return -1;
		}
		plugin_created_tables(text, add_table, t);
		free(text);
	}
	add_table(t, c->m->migrations_table);
	add_table(t, c->m->changes_table);
	return 0;
}

int plugin_list_tables(struct plugin_ctx *c, char *out, size_t outlen)
{
	struct tables *t = calloc(1, sizeof *t);
	if (!t || plugin_tables(c, t)) {
		free(t);
		return -1;
	}
	size_t off = 0;
	out[0] = '\0';
	for (size_t i = 0; i < t->n; i++) {
		int e = plugin_table_exists(c, t->names[i]);
		if (e < 0) {
			free(t);
			return -1;
		}
		if (e && off < outlen)
			off += (size_t)snprintf(out + off, outlen - off, "%s%s", off ? ", " : "",
						t->names[i]);
	}
	free(t);
	return 0;
}

int plugin_drop_tables(struct plugin_ctx *c)
{
	struct tables *t = calloc(1, sizeof *t);
	if (!t || plugin_tables(c, t)) {
		free(t);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < t->n; i++) {
		int e = plugin_table_exists(c, t->names[i]);
		if (e <= 0) {
			if (e < 0)
				rc = -1;
			continue;
		}
		char sql[128];
		snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS `%s`", t->names[i]);
		if (db_exec(c->db, sql, "") < 0) {
			plugin_err("无法删除表 %s：%s", "cannot drop table %s: %s", t->names[i],
				   db_error(c->db));
			rc = -1;
			break;
		}
		plugin_say("已删除表 %s", "dropped table %s", t->names[i]);
		c->changes++;
	}
	free(t);
	return rc;
}
