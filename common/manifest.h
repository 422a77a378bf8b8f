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

struct manifest {
	const char *id, *version, *mount_prefix, *migrations_table;
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
/* True for a valid SQL identifier as the manifest allows them. */
bool manifest_ident_ok(const char *s);

#endif
