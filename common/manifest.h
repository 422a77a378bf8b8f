/* The plugin manifest (plugin-manifest.xml): the names of the helpdesk's
 * tables and columns the plugin reads and writes. Loaded once at start,
 * validated against schemas/plugin-manifest.rng; every name in it is an SQL
 * identifier ([A-Za-z_][A-Za-z0-9_]*), checked by the schema and again here,
 * so SQL built from it can quote names without escaping. Values always go
 * through prepared-statement parameters. */
#ifndef CC_MANIFEST_H
#define CC_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

struct db;

enum mf_field_type { MF_TEXT, MF_TEXTAREA, MF_PHONE, MF_EMAIL, MF_CHOICE };

struct mf_choice {
	const char *value, *label_zh, *label_en;
};

struct mf_field {
	const char *column;
	enum mf_field_type type;
	unsigned max;		/* characters */
	bool required;
	const char *label_zh, *label_en;
	struct mf_choice *choices;
	size_t nchoices;
};

/* An index the plugin adds to a helpdesk table (<alters>). */
struct mf_index {
	const char *table, *name;
	const char **columns;
	size_t ncolumns;
};

/* An entry of the helpdesk's menu (<menu>): a new resource code. */
struct mf_menu_entry {
	const char *code;
	const char *parent;	/* a code (another entry's or the helpdesk's); NULL: top level */
	const char *url, *name_zh, *name_en;
	const char *permission;	/* the helpdesk's resource whose holders get it; NULL */
	long line;		/* in the manifest, for messages */
};

struct mf_service {
	const char *name, *program, *name_zh, *name_en;
};

struct manifest {
	const char *id, *version, *mount_prefix, *migrations_table;
	const char *name_zh, *name_en, *host_name, *host_versions;
	const char *migrations_dir;	/* relative to the manifest's folder */
	const char *changes_table;	/* what install added to the host */
	struct {
		const char *table, *id, *username, *password, *display_name, *deleted;
		const char *last_login;	/* NULL when not declared */
		const char **admin_flags, **agent_flags;
		size_t nadmin, nagent;
	} users;
	struct {
		const char *table, *id, *name, *parent, *skill;
	} departments;
	struct {
		const char *table, *user, *department;
	} membership;
	struct {
		const char *table, *id, *display_name, *deleted, *department, *shares, *created, *updated,
			*touched, *creator, *creator_name, *updater, *updater_name;
		const char *tenant, *tenant_value;	/* NULL when not declared */
		bool has_tenant;			/* set by manifest_detect() */
		struct mf_field *fields;
		size_t nfields;
		const char **phones;
		size_t nphones;
	} contacts;
	/* The helpdesk's permission model (<access>). */
	struct {
		struct {
			const char *table, *id, *code, *name, *parent, *url, *level, *sort,
				*created, *root, *root_code, *kind, *kind_value, *placement,
				*placement_value;
		} resources;
		struct {
			const char *table, *id, *role, *resource, *code, *name, *created;
		} role_grants;
		struct {
			const char *table, *id, *department, *role, *code, *created;
			const char *resource;	/* NULL when not declared */
		} department_grants;
		struct {
			const char *table, *user, *role;	/* NULL when not declared */
		} user_roles;
	} access;
	struct mf_menu_entry *menu;
	size_t nmenu;
	struct mf_index *indexes;
	size_t nindexes;
	struct {
		const char *fastcgi, *static_dir, *events, *max_body;
	} nginx;
	struct mf_service *services;
	size_t nservices;
};

/* Loads and validates path against the RelaxNG schema at rng. On failure
 * writes "file:line: reason" to err and returns -1. */
int manifest_load(struct manifest **mp, const char *path, const char *rng, char *err,
		  size_t errlen);
void manifest_free(struct manifest *m);
/* Looks at the database to learn what the manifest leaves open: whether the
 * contacts table has the tenant column (cosin v7). 0 or -1. */
int manifest_detect(struct manifest *m, struct db *db);
/* The field of the contacts mapping with this column, or NULL. */
const struct mf_field *manifest_field(const struct manifest *m, const char *column);
/* The SQL condition "one of these flag columns of the users' table (alias
 * alias) is set": "(COALESCE(u.`agent`, 0) <> 0 OR ...)", "(0)" for none.
 * One rule for both programs: a flag is set when it is not 0. 0, or -1 when
 * out does not hold it. */
int manifest_flags_sql(const char *const *flags, size_t n, const char *alias, char *out,
		       size_t outlen);
/* Calls colh for every (table, column) of the helpdesk the manifest maps,
 * in document order, the same pair possibly more than once; optional
 * columns (the v7 tenant column) are left out. Stops at a non-zero return
 * and returns it. */
typedef int (mf_column_h)(void *arg, const char *table, const char *column);
int manifest_each_column(const struct manifest *m, mf_column_h *colh, void *arg);
/* The menu entry with this code, or NULL. */
const struct mf_menu_entry *manifest_menu_entry(const struct manifest *m, const char *code);
/* True for a valid SQL identifier as the manifest allows them. */
bool manifest_ident_ok(const char *s);

#endif
