/* cc-plugin's parts (tools/cc-plugin.c is the command line): the pure text
 * work (migration names, the tables migrations create, the nginx snippet),
 * the host database's check, the migrations, and what install adds to the
 * helpdesk's own tables, each recorded in the manifest's changes table so
 * that uninstall removes exactly that. docs/install.md says what each step
 * does and what uninstall keeps. */
#ifndef CC_PLUGIN_H
#define CC_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct db;
struct manifest;

/* --- text.c: pure, no I/O ------------------------------------------------- */

/* "NNN_name.sql" -> version NNN (three digits, then '_', then letters,
 * digits, '_' or '-', then ".sql"). 0, or -1 for any other name. */
int plugin_migration_version(const char *filename, unsigned *version);

/* Calls h for each table a migration creates ("CREATE TABLE [IF NOT
 * EXISTS] name", name optionally in backquotes), skipping comments and
 * string literals. Returns how many it found. */
typedef void (plugin_table_h)(void *arg, const char *table);
size_t plugin_created_tables(const char *sql, plugin_table_h *h, void *arg);

/* True for a path that may be written into nginx's configuration as is:
 * absolute, of letters, digits and "_./@+-" only. */
bool plugin_path_ok(const char *path);

/* The nginx locations of the plugin (the manifest's mount prefix and
 * <nginx>), for the helpdesk's server block to include: root is the
 * plugin's folder (static assets under it), socket the web app's FastCGI
 * socket. Writes a NUL-terminated text into out. 0, or -1 with a reason in
 * err (a path nginx cannot take as is, or out too small). */
int plugin_snippet(char *out, size_t outlen, const struct manifest *m, const char *root,
		   const char *socket, char *err, size_t errlen);

/* --- the run's context ------------------------------------------------------ */

struct plugin_ctx {
	const struct manifest *m;
	const char *manifest_path;
	const char *root;		/* the plugin's folder: migrations, static assets */
	struct db *db;
	/* The mariadb client's connection for migrations (no shell). */
	const char *socket, *host, *user, *password, *database;
	unsigned port;
	unsigned changes;		/* what this run changed */
};

/* Prints one message in Chinese then English: "cc-plugin: 中文 (English)". */
void plugin_say(const char *zh, const char *en, ...) __attribute__((format(printf, 2, 3)));
void plugin_err(const char *zh, const char *en, ...) __attribute__((format(printf, 2, 3)));

/* Says that a database statement failed, with the server's reason. */
void plugin_db_failed(struct plugin_ctx *c);

/* --- check.c ---------------------------------------------------------------- */

/* Every table and column the manifest maps exists in the host database;
 * prints the missing ones. 0 when all exist, 1 when some are missing, -1 on
 * a database error. */
int plugin_check_host(struct plugin_ctx *c);

/* --- migrate.c --------------------------------------------------------------- */

/* Applies the migrations the database has not recorded, in order, each
 * once, with the mariadb client; records each in the version table. With
 * dry_run, only says which are pending. 0 or -1. */
int plugin_migrate(struct plugin_ctx *c, bool dry_run);
/* Drops the tables the migrations create, the version table and the
 * changes table (uninstall --purge). 0 or -1. */
int plugin_drop_tables(struct plugin_ctx *c);
/* 1 when the table exists in the database, 0 when not, -1 on error. */
int plugin_table_exists(struct plugin_ctx *c, const char *table);
/* Names of the plugin's tables that exist, comma-separated, into out. */
int plugin_list_tables(struct plugin_ctx *c, char *out, size_t outlen);

/* --- grants.c ------------------------------------------------------------------ */

/* Prints the SQL granting the services' accounts (cc_web, cc_b2bua,
 * cc_kamailio) their rights on the tables there are now. 0 or -1. */
int plugin_print_grants(struct plugin_ctx *c, FILE *out);

/* --- host.c: the helpdesk's tables ----------------------------------------- */

/* Creates the changes table when missing. 0 or -1. */
int plugin_changes_init(struct plugin_ctx *c);
/* What install would refuse, checked before anything is written: the menu's
 * parents exist, no entry's code is already taken by a resource install did
 * not add, the snippet's file is not someone else's. 0 or -1 (said). */
int plugin_host_preflight(struct plugin_ctx *c, const char *snippet_path, const char *snippet);
/* The manifest's indexes on the helpdesk's tables, each recorded. 0 or -1. */
int plugin_install_indexes(struct plugin_ctx *c);
/* The menu entries and their grants, in one transaction with the record of
 * them and of the snippet's file (when snippet_path is set); the snippet is
 * written (to a temporary file renamed into place) only once that commits.
 * 0 or -1. */
int plugin_install_rows(struct plugin_ctx *c, const char *snippet_path, const char *snippet);

/* --- uninstall.c --------------------------------------------------------------- */

/* Removes what install recorded: files, rows (one transaction), indexes.
 * 0 or -1. */
int plugin_uninstall_recorded(struct plugin_ctx *c);

/* --- speech.c ------------------------------------------------------------------ */

/* Makes the missing speech of every published IVR flow's text prompts in
 * audio_dir (said on stdout). 0, or -1 when the flows could not be read. */
int plugin_speech(struct plugin_ctx *c, const char *audio_dir);

#endif
