/* What install adds to the helpdesk and uninstall removes: see plugin.h.
 *
 * Every row, index and file install adds is recorded in the manifest's
 * changes table (kind, table, key column, item); uninstall removes exactly
 * those, so rows the helpdesk's administrators added themselves, even with
 * the same codes, are never touched. Table and column names come from the
 * manifest (identifiers checked at load, and again here for what is read
 * back from the changes table); values always go through parameters. */
#include "plugin.h"

#include "db.h"
#include "manifest.h"
#include "rnd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHANGES_DDL                                                                     \
	"CREATE TABLE IF NOT EXISTS `%s` ("                                             \
	" id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,"                                  \
	" kind VARCHAR(8) NOT NULL,"		/* row, index, file */                   \
	" tbl VARCHAR(64) NOT NULL DEFAULT '',"                                         \
	" key_column VARCHAR(64) NOT NULL DEFAULT '',"                                  \
	" item VARCHAR(255) NOT NULL,"		/* row id, index name, file path */      \
	" note VARCHAR(255) NOT NULL DEFAULT '',"                                       \
	" created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,"                      \
	" UNIQUE KEY cc_host_change_item (kind, tbl, item)"                             \
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"

int plugin_changes_init(struct plugin_ctx *c)
{
	char sql[768];
	snprintf(sql, sizeof sql, CHANGES_DDL, c->m->changes_table);
	if (db_exec(c->db, sql, "") < 0) {
		plugin_err("无法建立变更记录表 %s：%s", "cannot create the changes table %s: %s",
			   c->m->changes_table, db_error(c->db));
		return -1;
	}
	return 0;
}

void plugin_db_failed(struct plugin_ctx *c)
{
	plugin_err("数据库操作失败：%s", "a database statement failed: %s", db_error(c->db));
}

/* 1 when install recorded this item, 0 when not (or nothing is recorded
 * yet), -1 on error. */
static int recorded(struct plugin_ctx *c, const char *kind, const char *tbl, const char *item)
{
	int have = plugin_table_exists(c, c->m->changes_table);
	if (have <= 0)
		return have;
	char sql[256], n[16] = "0";
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM `%s` WHERE kind = ? AND tbl = ? AND item = ?",
		 c->m->changes_table);
	if (db_query_value(c->db, n, sizeof n, sql, "sss", kind, tbl, item) < 0)
		return -1;
	return atoi(n) > 0;
}

static int record(struct plugin_ctx *c, const char *kind, const char *tbl, const char *key_column,
		  const char *item, const char *note)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "INSERT INTO `%s` (kind, tbl, key_column, item, note) VALUES (?, ?, ?, ?, ?)",
		 c->m->changes_table);
	return db_exec(c->db, sql, "sssss", kind, tbl, key_column, item, note) < 0 ? -1 : 0;
}

/* The tenant column (cosin v7's orgi) when the manifest names one and
 * table has it: rows install adds there set it to the manifest's value, as
 * the helpdesk's own rows do. Its name into col ("" when none); -1 on error. */
static int tenant_column(struct plugin_ctx *c, const char *table, char *col, size_t collen)
{
	col[0] = '\0';
	const char *t = c->m->contacts.tenant;
	if (!t || !c->m->contacts.tenant_value)
		return 0;
	char n[16] = "0";
	if (db_query_value(c->db, n, sizeof n,
			   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
			   "DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?", "ss", table, t) < 0)
		return -1;
	if (atoi(n) > 0)
		snprintf(col, collen, "%s", t);
	return 0;
}

/* Inserts one row of n string values into table, with created set to
 * NOW() and the tenant column, when table has one, to the manifest's
 * value. 0 or -1. */
static int insert_row(struct plugin_ctx *c, const char *table, const char *const *cols,
		      const char *const *vals, size_t n, const char *created)
{
	char sql[1024], tc[80], fmt[16];
	union db_val v[14];
	if (n > 12 || tenant_column(c, table, tc, sizeof tc))
		return -1;
	int off = snprintf(sql, sizeof sql, "INSERT INTO `%s` (", table);
	for (size_t i = 0; i < n; i++) {
		off += snprintf(sql + off, sizeof sql - (size_t)off, "`%s`, ", cols[i]);
		v[i].s = vals[i];
		fmt[i] = 's';
	}
	off += snprintf(sql + off, sizeof sql - (size_t)off, "`%s`%s%s%s) VALUES (", created,
			*tc ? ", `" : "", tc, *tc ? "`" : "");
	for (size_t i = 0; i < n; i++)
		off += snprintf(sql + off, sizeof sql - (size_t)off, "?, ");
	off += snprintf(sql + off, sizeof sql - (size_t)off, "NOW()%s)", *tc ? ", ?" : "");
	if (off >= (int)sizeof sql)
		return -1;
	if (*tc) {
		v[n].s = c->m->contacts.tenant_value;
		fmt[n++] = 's';
	}
	fmt[n] = '\0';
	return db_execa(c->db, sql, fmt, v) < 0 ? -1 : 0;
}

/* The id of the helpdesk's resource with this code (in the resource
 * dictionary root_id, or the dictionary itself when root_id is NULL):
 * 1 found, 0 not, -1 error. */
static int resource_id(struct plugin_ctx *c, const char *code, const char *root_id, char *id,
		       size_t idlen)
{
	const typeof(c->m->access.resources) *r = &c->m->access.resources;
	char sql[384];
	if (!root_id) {
		snprintf(sql, sizeof sql, "SELECT `%s` FROM `%s` WHERE `%s` = ? ORDER BY `%s` LIMIT 1",
			 r->id, r->table, r->code, r->id);
		return db_query_value(c->db, id, idlen, sql, "s", code);
	}
	snprintf(sql, sizeof sql,
		 "SELECT `%s` FROM `%s` WHERE `%s` = ? AND `%s` = ? ORDER BY `%s` LIMIT 1", r->id,
		 r->table, r->code, r->root, r->id);
	return db_query_value(c->db, id, idlen, sql, "ss", code, root_id);
}

static int root_id(struct plugin_ctx *c, char *id, size_t idlen)
{
	int rc = resource_id(c, c->m->access.resources.root_code, NULL, id, idlen);
	if (rc < 0)
		plugin_db_failed(c);
	else if (rc == 0)
		plugin_err("宿主的 %s 表中没有权限资源字典 %s", "the helpdesk's %s has no resource dictionary %s",
			   c->m->access.resources.table, c->m->access.resources.root_code);
	return rc == 1 ? 0 : -1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = calloc(1, 65537);
	size_t n = buf ? fread(buf, 1, 65536, f) : 0;
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

int plugin_host_preflight(struct plugin_ctx *c, const char *snippet_path, const char *snippet)
{
	const struct manifest *m = c->m;
	char root[80], id[80];
	if (root_id(c, root, sizeof root))
		return -1;
	for (size_t i = 0; i < m->nmenu; i++) {
		const struct mf_menu_entry *e = &m->menu[i];
		if (e->parent && !manifest_menu_entry(m, e->parent)) {
			int rc = resource_id(c, e->parent, root, id, sizeof id);
			if (rc < 0)
				return plugin_db_failed(c), -1;
			if (rc == 0) {
				plugin_err("%s:%ld：菜单项 %s 的上级 %s 不是宿主的权限资源",
					   "%s:%ld: menu entry %s: its parent %s is not a resource of the helpdesk",
					   c->manifest_path, e->line, e->code, e->parent);
				return -1;
			}
		}
		int rc = resource_id(c, e->code, root, id, sizeof id);
		if (rc < 0)
			return plugin_db_failed(c), -1;
		if (rc == 1) {
			int rec = recorded(c, "row", m->access.resources.table, id);
			if (rec < 0)
				return plugin_db_failed(c), -1;
			if (!rec) {
				plugin_err("%s:%ld：宿主已有代码为 %s 的权限资源（%s），并非本插件所加；请在清单中换一个代码",
					   "%s:%ld: the helpdesk already has a resource with code %s (%s), not added by this plugin; choose another code in the manifest",
					   c->manifest_path, e->line, e->code, id);
				return -1;
			}
		}
		if (e->permission && !manifest_menu_entry(m, e->permission)) {
			rc = resource_id(c, e->permission, root, id, sizeof id);
			if (rc < 0)
				return plugin_db_failed(c), -1;
			if (rc == 0)
				plugin_say("注意：宿主没有权限资源 %s，菜单项 %s 不会自动授予任何角色",
					   "note: the helpdesk has no resource %s; menu entry %s is granted to no role",
					   e->permission, e->code);
		}
	}
	if (snippet_path && access(snippet_path, F_OK) == 0) {
		char *have = slurp(snippet_path);
		bool same = have && !strcmp(have, snippet);
		free(have);
		int rec = recorded(c, "file", "", snippet_path);
		if (rec < 0)
			return plugin_db_failed(c), -1;
		if (!same && !rec) {
			plugin_err("%s 已存在且不是 cc-plugin 写的；不覆盖", "%s exists and was not written by cc-plugin; not overwriting it",
				   snippet_path);
			return -1;
		}
	}
	return 0;
}

int plugin_install_indexes(struct plugin_ctx *c)
{
	for (size_t i = 0; i < c->m->nindexes; i++) {
		const struct mf_index *ix = &c->m->indexes[i];
		char n[16] = "0";
		if (db_query_value(c->db, n, sizeof n,
				   "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
				   "DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ?",
				   "ss", ix->table, ix->name) < 0)
			return plugin_db_failed(c), -1;
		int rec = recorded(c, "index", ix->table, ix->name);
		if (rec < 0)
			return plugin_db_failed(c), -1;
		if (atoi(n) > 0) {
			if (rec)
				continue;
			/* A database migrated before the installer existed has the
			 * index under the plugin's name: it is the plugin's. */
			if (record(c, "index", ix->table, "", ix->name, "existing"))
				return plugin_db_failed(c), -1;
			plugin_say("索引 %s（%s）已存在，记为本插件所加", "index %s on %s exists; recorded as the plugin's",
				   ix->name, ix->table);
			c->changes++;
			continue;
		}
		char sql[1024];
		int off = snprintf(sql, sizeof sql, "CREATE INDEX `%s` ON `%s` (", ix->name, ix->table);
		for (size_t j = 0; j < ix->ncolumns && off < (int)sizeof sql; j++)
			off += snprintf(sql + off, sizeof sql - (size_t)off, "%s`%s`", j ? ", " : "",
					ix->columns[j]);
		if (off < (int)sizeof sql)
			snprintf(sql + off, sizeof sql - (size_t)off, ")");
		if (db_exec(c->db, sql, "") < 0) {
			plugin_err("无法建立索引 %s（%s）：%s", "cannot create index %s on %s: %s", ix->name,
				   ix->table, db_error(c->db));
			return -1;
		}
		if (!rec && record(c, "index", ix->table, "", ix->name, "")) {
			plugin_db_failed(c);
			return -1;
		}
		plugin_say("已建立索引 %s（%s）", "created index %s on %s", ix->name, ix->table);
		c->changes++;
	}
	return 0;
}

/* --- menu entries and grants ----------------------------------------------- */

/* Pairs read back from a query: (role) or (department, role). */
struct pairs {
	char (*v)[2][80];
	size_t n, cap;
};

static int add_pair(void *arg, int ncol, char **vals, unsigned long *lens)
{
	(void)lens;
	struct pairs *p = arg;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		void *nv = realloc(p->v, cap * sizeof *p->v);
		if (!nv)
			return 1;
		p->v = nv;
		p->cap = cap;
	}
	for (int i = 0; i < 2; i++)
		snprintf(p->v[p->n][i], sizeof p->v[p->n][i], "%s",
			 i < ncol && vals[i] ? vals[i] : "");
	/* NULL and "" are told apart for the department grant's role. */
	if (ncol > 1 && !vals[1])
		snprintf(p->v[p->n][1], sizeof p->v[p->n][1], "\x01");
	p->n++;
	return 0;
}

/* The run's menu rows: ids of the entries, in the manifest's order. */
struct menu_rows {
	char id[64][80];
	int level[64];
};

static int grant_role(struct plugin_ctx *c, const struct mf_menu_entry *e, const char *entry_id,
		      const char *role)
{
	const typeof(c->m->access.role_grants) *g = &c->m->access.role_grants;
	char sql[512], n[16] = "0";
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM `%s` WHERE `%s` = ? AND `%s` = ?", g->table,
		 g->role, g->code);
	if (db_query_value(c->db, n, sizeof n, sql, "ss", role, e->code) < 0)
		return -1;
	if (atoi(n) > 0)
		return 0;
	char id[33];
	if (rnd_uuid32(id))
		return -1;
	const char *cols[] = { g->id, g->role, g->resource, g->code, g->name };
	const char *vals[] = { id, role, entry_id, e->code, e->name_zh };
	if (insert_row(c, g->table, cols, vals, 5, g->created) ||
	    record(c, "row", g->table, g->id, id, e->code))
		return -1;
	plugin_say("授予角色 %s 菜单项 %s", "granted menu entry %2$s to role %1$s", role, e->code);
	c->changes++;
	return 0;
}

static int grant_department(struct plugin_ctx *c, const struct mf_menu_entry *e,
			    const char *entry_id, const char *dept, const char *role)
{
	const typeof(c->m->access.department_grants) *g = &c->m->access.department_grants;
	char sql[512], n[16] = "0";
	const char *r = strcmp(role, "\x01") ? role : NULL;
	snprintf(sql, sizeof sql,
		 "SELECT COUNT(*) FROM `%s` WHERE `%s` = ? AND `%s` <=> ? AND `%s` = ?", g->table,
		 g->department, g->role, g->code);
	if (db_query_value(c->db, n, sizeof n, sql, "sss", dept, r, e->code) < 0)
		return -1;
	if (atoi(n) > 0)
		return 0;
	char id[33];
	if (rnd_uuid32(id))
		return -1;
	const char *cols[] = { g->id, g->department, g->role, g->code, g->resource };
	const char *vals[] = { id, dept, r, e->code, entry_id };
	int rc = insert_row(c, g->table, cols, vals, g->resource ? 5 : 4, g->created);
	if (rc < 0 || record(c, "row", g->table, g->id, id, e->code))
		return -1;
	plugin_say("授予部门 %s 菜单项 %s", "granted menu entry %2$s to department %1$s", dept, e->code);
	c->changes++;
	return 0;
}

/* Grants entry i, and the entries above it, to the holders of its permission. */
static int grant_entry(struct plugin_ctx *c, struct menu_rows *rows, size_t i)
{
	const struct manifest *m = c->m;
	const struct mf_menu_entry *e = &m->menu[i];
	if (!e->permission)
		return 0;
	struct pairs roles = { 0 }, depts = { 0 };
	char sql[512];
	int rc = -1;
	snprintf(sql, sizeof sql, "SELECT DISTINCT `%s` FROM `%s` WHERE `%s` = ? AND `%s` IS NOT NULL",
		 m->access.role_grants.role, m->access.role_grants.table, m->access.role_grants.code,
		 m->access.role_grants.role);
	if (db_query(c->db, sql, add_pair, &roles, "s", e->permission) < 0)
		goto out;
	snprintf(sql, sizeof sql,
		 "SELECT DISTINCT `%s`, `%s` FROM `%s` WHERE `%s` = ? AND `%s` IS NOT NULL",
		 m->access.department_grants.department, m->access.department_grants.role,
		 m->access.department_grants.table, m->access.department_grants.code,
		 m->access.department_grants.department);
	if (db_query(c->db, sql, add_pair, &depts, "s", e->permission) < 0)
		goto out;
	/* The entry and its ancestors among the plugin's entries: a menu
	 * shows an entry only under a parent the user may see. */
	for (const struct mf_menu_entry *x = e; x; x = x->parent ? manifest_menu_entry(m, x->parent) : NULL) {
		size_t k = (size_t)(x - m->menu);
		for (size_t j = 0; j < roles.n; j++)
			if (grant_role(c, x, rows->id[k], roles.v[j][0]))
				goto out;
		for (size_t j = 0; j < depts.n; j++)
			if (grant_department(c, x, rows->id[k], depts.v[j][0], depts.v[j][1]))
				goto out;
	}
	rc = 0;
out:
	free(roles.v);
	free(depts.v);
	return rc;
}

/* Entry i's row: the one install added before, or a new one. */
static int add_entry(struct plugin_ctx *c, const char *root, struct menu_rows *rows, size_t i)
{
	const struct manifest *m = c->m;
	const typeof(m->access.resources) *r = &m->access.resources;
	const struct mf_menu_entry *e = &m->menu[i];
	char sql[768], parent_id[80], lvl[16] = "";
	int level = 1;

	const struct mf_menu_entry *pe = e->parent ? manifest_menu_entry(m, e->parent) : NULL;
	if (pe) {
		size_t k = (size_t)(pe - m->menu);
		snprintf(parent_id, sizeof parent_id, "%s", rows->id[k]);
		level = rows->level[k] + 1;
	} else if (e->parent) {
		if (resource_id(c, e->parent, root, parent_id, sizeof parent_id) != 1)
			return -1;
		snprintf(sql, sizeof sql, "SELECT `%s` FROM `%s` WHERE `%s` = ?", r->level, r->table, r->id);
		if (db_query_value(c->db, lvl, sizeof lvl, sql, "s", parent_id) < 0)
			return -1;
		level = atoi(lvl) > 0 ? atoi(lvl) + 1 : 2;
	} else {
		snprintf(parent_id, sizeof parent_id, "%s", root);
	}
	rows->level[i] = level;

	int have = resource_id(c, e->code, root, rows->id[i], sizeof rows->id[i]);
	if (have < 0)
		return -1;
	if (have)
		return 0;	/* added by an earlier install (checked in preflight) */
	if (rnd_uuid32(rows->id[i]))
		return -1;
	char sort[24];
	snprintf(lvl, sizeof lvl, "%d", level);
	snprintf(sort, sizeof sort, "%zu", i + 1);
	const char *cols[] = { r->id, r->code, r->name, r->parent, r->url, r->level, r->sort, r->root,
			       r->kind, r->placement };
	const char *vals[] = { rows->id[i], e->code, e->name_zh, parent_id, e->url, lvl, sort, root,
			       r->kind_value, r->placement_value };
	if (insert_row(c, r->table, cols, vals, 10, r->created) ||
	    record(c, "row", r->table, r->id, rows->id[i], e->code))
		return -1;
	plugin_say("已添加菜单项 %s %s（%s）", "added menu entry %s %s (%s)", e->code, e->name_zh, e->url);
	c->changes++;
	return 0;
}

/* Writes text to a temporary file beside path; its name in tmp. */
static int write_temp(const char *path, const char *text, char *tmp, size_t tmplen)
{
	snprintf(tmp, tmplen, "%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	size_t n = strlen(text);
	if (fwrite(text, 1, n, f) != n) {
		fclose(f);
		unlink(tmp);
		return -1;
	}
	if (fclose(f)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int plugin_install_rows(struct plugin_ctx *c, const char *snippet_path, const char *snippet)
{
	const struct manifest *m = c->m;
	struct menu_rows *rows = calloc(1, sizeof *rows);
	char root[80], tmp[4200] = "";
	int rc = -1;
	unsigned before = c->changes;
	if (!rows || m->nmenu > 64) {
		plugin_err("菜单项过多（最多 64 项）", "too many menu entries (64 at most)");
		free(rows);
		return -1;
	}
	if (root_id(c, root, sizeof root)) {
		free(rows);
		return -1;
	}
	if (db_begin(c->db)) {
		plugin_db_failed(c);
		free(rows);
		return -1;
	}
	for (size_t i = 0; i < m->nmenu; i++)
		if (add_entry(c, root, rows, i))
			goto fail;
	for (size_t i = 0; i < m->nmenu; i++)
		if (grant_entry(c, rows, i))
			goto fail;
	bool write = false;
	if (snippet_path) {
		char *have = slurp(snippet_path);
		write = !have || strcmp(have, snippet);
		free(have);
		int rec = recorded(c, "file", "", snippet_path);
		if (rec < 0 || (!rec && record(c, "file", "", "", snippet_path, "nginx")))
			goto fail;
		if (write && write_temp(snippet_path, snippet, tmp, sizeof tmp)) {
			plugin_err("无法写入 %s：%s", "cannot write %s: %s", snippet_path, strerror(errno));
			goto fail;
		}
	}
	if (db_commit(c->db)) {
		plugin_db_failed(c);
		goto undo;
	}
	if (write) {
		if (rename(tmp, snippet_path)) {
			plugin_err("无法写入 %s：%s", "cannot write %s: %s", snippet_path, strerror(errno));
			unlink(tmp);
			goto out;
		}
		plugin_say("已写入 nginx 配置片段 %s", "wrote the nginx snippet %s", snippet_path);
		c->changes++;
	}
	rc = 0;
	goto out;
fail:
	plugin_db_failed(c);
	db_rollback(c->db);
undo:
	if (*tmp)
		unlink(tmp);
	if (c->changes != before)
		plugin_err("已回滚对宿主表的全部写入", "every write to the helpdesk's tables was rolled back");
	c->changes = before;
out:
	free(rows);
	return rc;
}
