/* Uninstall: removes what install recorded in the changes table (see
 * plugin.h and host.c), files first, then rows in one transaction, then
 * indexes. Names read back from the table are checked as identifiers
 * again before they go into SQL. */
#include "plugin.h"

#include "db.h"
#include "manifest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct change {
	char id[24], kind[16], tbl[80], key[80], item[256];
};

struct changes {
	struct change *v;
	size_t n, cap;
};

static int add_change(void *arg, int ncol, char **vals, unsigned long *lens)
{
	(void)lens;
	struct changes *cs = arg;
	if (ncol < 5)
		return 1;
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 32;
		void *nv = realloc(cs->v, cap * sizeof *cs->v);
		if (!nv)
			return 1;
		cs->v = nv;
		cs->cap = cap;
	}
	struct change *ch = &cs->v[cs->n++];
	snprintf(ch->id, sizeof ch->id, "%s", vals[0] ? vals[0] : "");
	snprintf(ch->kind, sizeof ch->kind, "%s", vals[1] ? vals[1] : "");
	snprintf(ch->tbl, sizeof ch->tbl, "%s", vals[2] ? vals[2] : "");
	snprintf(ch->key, sizeof ch->key, "%s", vals[3] ? vals[3] : "");
	snprintf(ch->item, sizeof ch->item, "%s", vals[4] ? vals[4] : "");
	return 0;
}

static int forget(struct plugin_ctx *c, const struct change *ch)
{
	char sql[128];
	snprintf(sql, sizeof sql, "DELETE FROM `%s` WHERE id = ?", c->m->changes_table);
	return db_exec(c->db, sql, "s", ch->id) < 0 ? -1 : 0;
}

int plugin_uninstall_recorded(struct plugin_ctx *c)
{
	int have = plugin_table_exists(c, c->m->changes_table);
	if (have < 0)
		return plugin_db_failed(c), -1;
	if (!have) {
		plugin_say("没有安装记录：宿主表中没有要删除的内容", "nothing recorded: nothing to remove from the helpdesk's tables");
		return 0;
	}
	struct changes cs = { 0 };
	char sql[512];
	int rc = -1;
	snprintf(sql, sizeof sql, "SELECT id, kind, tbl, key_column, item FROM `%s` ORDER BY id DESC",
		 c->m->changes_table);
	if (db_query(c->db, sql, add_change, &cs, "") < 0) {
		plugin_db_failed(c);
		goto out;
	}
	/* Files first: a file that cannot be removed stops everything before
	 * the database changes. */
	for (size_t i = 0; i < cs.n; i++) {
		if (strcmp(cs.v[i].kind, "file"))
			continue;
		if (unlink(cs.v[i].item) && errno != ENOENT) {
			plugin_err("无法删除 %s：%s", "cannot remove %s: %s", cs.v[i].item, strerror(errno));
			goto out;
		}
		plugin_say("已删除 %s", "removed %s", cs.v[i].item);
		c->changes++;
	}
	/* Rows and the record of them (and of the files), in one transaction. */
	if (db_begin(c->db)) {
		plugin_db_failed(c);
		goto out;
	}
	unsigned rows = 0;
	for (size_t i = 0; i < cs.n; i++) {
		const struct change *ch = &cs.v[i];
		if (!strcmp(ch->kind, "row")) {
			if (!manifest_ident_ok(ch->tbl) || !manifest_ident_ok(ch->key)) {
				plugin_err("变更记录 %s 中的表名或列名无效", "change %s names an invalid table or column", ch->id);
				db_rollback(c->db);
				goto out;
			}
			snprintf(sql, sizeof sql, "DELETE FROM `%s` WHERE `%s` = ?", ch->tbl, ch->key);
			if (db_exec(c->db, sql, "s", ch->item) < 0) {
				plugin_db_failed(c);
				db_rollback(c->db);
				goto out;
			}
			rows++;
		} else if (strcmp(ch->kind, "file")) {
			continue;
		}
		if (forget(c, ch)) {
			plugin_db_failed(c);
			db_rollback(c->db);
			goto out;
		}
	}
	if (db_commit(c->db)) {
		plugin_db_failed(c);
		goto out;
	}
	if (rows) {
		plugin_say("已从宿主表删除 %u 行（菜单项与授权）", "removed %u rows from the helpdesk's tables (menu entries and grants)", rows);
		c->changes += rows;
	}
	for (size_t i = 0; i < cs.n; i++) {
		const struct change *ch = &cs.v[i];
		if (strcmp(ch->kind, "index"))
			continue;
		if (!manifest_ident_ok(ch->tbl) || !manifest_ident_ok(ch->item)) {
			plugin_err("变更记录 %s 中的表名或索引名无效", "change %s names an invalid table or index", ch->id);
			goto out;
		}
		int t = plugin_table_exists(c, ch->tbl);
		if (t < 0) {
			plugin_db_failed(c);
			goto out;
		}
		snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS `%s` ON `%s`", ch->item, ch->tbl);
		if (t && db_exec(c->db, sql, "") < 0) {
			plugin_err("无法删除索引 %s（%s）：%s", "cannot drop index %s on %s: %s", ch->item, ch->tbl,
				   db_error(c->db));
			goto out;
		}
		if (forget(c, ch)) {
			plugin_db_failed(c);
			goto out;
		}
		plugin_say("已删除索引 %s（%s）", "dropped index %s on %s", ch->item, ch->tbl);
		c->changes++;
	}
	rc = 0;
out:
	free(cs.v);
	return rc;
}
