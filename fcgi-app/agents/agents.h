/* 客服管理 > 坐席: the admin console's agents (docs/agents.md).
 *
 * An agent is a helpdesk user (the manifest's users table) with the
 * manifest's agent role, a SIP account (cc_sip_account: extension, ha1,
 * ha1b, enabled), skill groups with a level (cc_skill_group_member) and
 * contacts bound to it (cc_dedicated_agent). Every change is one
 * transaction with its audit record; SQL on the host's tables is built
 * from the manifest (sql.c).
 *
 *   sql.c       the statements naming the host's tables
 *   sip.c       SIP passwords (CSPRNG), ha1/ha1b, extensions
 *   check.c     one agent's fields checked (pure: unit-tested)
 *   csv.c       CSV reading, encoding detection and conversion (pure)
 *   db.c        reading agents, writing one agent (create/enable/update)
 *   effects.c   on-call refusal, and what disabling or deleting does
 *               outside the database (Kamailio, B2BUA, sessions)
 *   list.c      GET the list (page, JSON), the export
 *   item.c      GET the new and edit pages, one agent as JSON
 *   save.c      POST create, update, enable/disable, delete, reset password
 *   lookup.c    GET helpdesk users and contacts to pick, the next extension
 *   dedicated.c POST contacts bound to an agent
 *   import.c    POST a CSV file, GET its progress, GET the template */
#ifndef WEB_AGENTS_H
#define WEB_AGENTS_H

#include "../csv.h"
#include "../route.h"
#include "../tmpl/tmpl.h"

#include <stdbool.h>
#include <stddef.h>

/* Bounds of an agent's fields (characters). The host's USERNAME is
 * varchar(50), uname varchar(100). */
#define AG_USERNAME_MAX 50
#define AG_NAME_MAX 100
#define AG_PASSWORD_MIN 6
#define AG_PASSWORD_MAX 64
#define AG_EXT_MIN 3		/* digits */
#define AG_EXT_MAX 10
#define AG_EXT_FIRST 1001	/* the first extension suggested */
#define AG_LEVEL_MAX 9		/* skill-group levels 1 (first) .. 9 */
#define AG_GROUPS_MAX 32	/* skill groups per agent */
#define AG_SIP_PASSWORD_LEN 16
#define AG_PER_PAGE 20
#define AG_PER_PAGE_MAX 100
#define AG_Q_MAX 64

/* The agent states of cc_agent.state, and which of them are "on a call"
 * (disabling or deleting is refused). */
#define AG_STATES(X) \
	X(logged_out, false) X(ready, false) X(not_ready, false) \
	X(reserved, true) X(on_call, true) X(wrap_up, false)

bool ag_state_known(const char *s);
bool ag_state_busy(const char *s);

/* A skill group of an agent: id and level (1 = first). */
struct ag_group {
	long long id;
	int level;
	const char *name;	/* when read from the database */
	bool dept;		/* a member through its helpdesk department (read only) */
};

/* One agent's fields as sent (create, update, an import row). NULL: not
 * sent. */
struct ag_input {
	const char *user_id;	/* enable this existing helpdesk user */
	const char *username;	/* or create a helpdesk user: username, */
	const char *name;	/* display name */
	const char *password;	/* helpdesk sign-in password (new user) */
	const char *extension;	/* SIP user; NULL or "": the next free one */
	const char *groups;	/* "id:level,id:level" or (import) "名称:level;…" */
};

/* --- check.c (pure) ------------------------------------------------------ */
/* Field errors are catalogue keys ("agents.v.*"). */
const char *ag_check_username(const char *s);
const char *ag_check_name(const char *s, bool required);
const char *ag_check_password(const char *s);
const char *ag_check_extension(const char *s);
/* Parses "a:1,b:2" (separators ',' ';' '|' or blanks; ':' or '=' before an
 * optional level, default 1). by_name: the group part is a name (import),
 * else a positive integer id (then name stays NULL and id is set). Fills
 * out[] (at most max, no group twice) and *n. NULL or an error key. Names
 * point into a copy of s in a. */
const char *ag_parse_groups(struct arena *a, const char *s, bool by_name, struct ag_group *out,
			    size_t max, size_t *n);

/* The import's columns; a file names them in its first line (Chinese or
 * English names, any order; only the username is required). */
enum { AGI_USERNAME, AGI_NAME, AGI_EXT, AGI_PASSWORD, AGI_GROUPS, AGI_N };
#define AG_IMPORT_MAX_ROWS 20000	/* rows of one file; more: refused whole */
/* map[AGI_x]: the header cell of each column, or -1. NULL or an error key. */
const char *ag_import_header(char **cells, size_t n, int map[AGI_N]);
/* One row's fields into in (pointing into cells, trimmed; an empty name
 * becomes the username) and checked without the database. NULL, or an
 * error key with *field the column. */
const char *ag_import_row(struct arena *a, char **cells, size_t n, const int map[AGI_N],
			  struct ag_input *in, const char **field);

/* --- import.c, batch.c ---------------------------------------------------------- */
/* What an import did: rows created (with their SIP passwords, once),
 * unchanged, refused (with line, column and reason). */
struct ag_batch_out {
	json_t *errors, *passwords;
	long created, unchanged, failed;
};
void ag_import_error(struct req *r, struct ag_batch_out *out, size_t line, const char *field,
		     const char *key);
/* One row alone, in its own transaction, checked by the database. 0, or
 * -1 on a database error. */
int ag_import_one(struct req *r, const struct ag_input *in, size_t line, struct ag_batch_out *out);
/* The batched writer (batch.c): reads what it checks against once; NULL on
 * a database error. Rows are queued and written by ag_batch_flush (also
 * when the batch is full); 0, or -1 on a database error. */
struct ag_batch;
struct ag_sql;
struct ag_batch *ag_batch_new(struct req *r, const struct ag_sql *s, struct ag_batch_out *out);
int ag_batch_row(struct ag_batch *b, const struct ag_input *in, size_t line);
int ag_batch_flush(struct ag_batch *b);

/* --- sip.c ------------------------------------------------------------------- */
/* A new SIP password: AG_SIP_PASSWORD_LEN characters from an alphabet
 * without look-alikes, from the kernel's CSPRNG. 0 or an errno value. */
int ag_sip_password(char out[AG_SIP_PASSWORD_LEN + 1]);
/* ha1 = md5(user:realm:password), ha1b = md5(user@realm:realm:password). */
void ag_sip_ha1(const char *user, const char *realm, const char *password, char ha1[33],
		char ha1b[33]);

/* --- sql.c: statements naming the host's tables (in r's arena) ---------------- */
struct ag_sql {
	const char *select;	/* an agent's columns (AGC_*), FROM and JOINs */
	const char *from;	/* the FROM and JOINs alone (counting) */
	const char *where;	/* an agent: not deleted, the agent role */
	const char *filters;	/* the list's filters: 10 parameters (ag_filter_args) */
	const char *user_by_id;		/* id, username, name, agent?, deleted? */
	const char *user_by_username;	/* the same by username */
	const char *user_insert;	/* id, username, password, name: role set */
	const char *user_grant;		/* set the agent role flags: id */
	const char *user_revoke;	/* clear them: id */
	const char *user_name;		/* set the display name: name, id */
	const char *users_pick;		/* users without the role: like x3, limit */
	const char *contacts_pick;	/* contacts by name or number: [tenant],
					 * like, [like], digits x2 (cc_contact_phone) */
	const char *contact_name;	/* one contact's name by id (exists) */
	const char *dedicated_of;	/* an agent's contacts: id, name */
	const char *agent_names;	/* id, name for the export: all agents */
};
/* The columns of ag_sql.select, in order. */
enum { AGC_ID, AGC_USERNAME, AGC_NAME, AGC_EXT, AGC_ENABLED, AGC_STATE, AGC_REASON, AGC_REG,
       AGC_GROUPS, AGC_N };
const struct ag_sql *ag_sql(struct req *r);

/* --- db.c ------------------------------------------------------------------ */
struct ag_row {
	const char *id, *username, *name, *ext, *state, *reason;
	bool has_sip, enabled, registered;
	struct ag_group *groups;
	size_t ngroups;
};
/* The list's query. */
struct ag_query {
	const char *q;		/* name, username or extension contains */
	const char *state;	/* cc_agent.state, or NULL */
	const char *reg;	/* "1" registered, "0" not, or NULL */
	const char *group;	/* a skill group's id, or NULL */
	const char *enabled;	/* "1", "0" or NULL */
	int sort;		/* index in AG_SORTS */
	bool desc;
	long long page, per_page;
};
#define AG_SORTS(X) X(name) X(username) X(extension) X(state) X(registered)
void ag_query_parse(struct req *r, bool json, struct ag_query *q);
/* A page of agents and the matching total; -1 on a database error. */
int ag_db_list(struct req *r, struct ag_query *q, struct ag_row **rowsp, size_t *np,
	       long long *totalp);
/* Every agent (export), -1 on error. */
int ag_db_all(struct req *r, struct ag_row **rowsp, size_t *np);
/* One agent by user id: 1, 0 not an agent, -1 database error. */
int ag_db_get(struct req *r, const char *id, struct ag_row *row);
/* What the audit log keeps of an agent: username, name, extension,
 * enabled, groups "id:level,…" (its own, not its department's). */
json_t *ag_audit_of(const char *username, const char *name, const char *ext, bool enabled,
		    const struct ag_group *g, size_t n);
/* The agent as JSON (audit and API; no secrets). */
json_t *ag_json(const struct ag_row *row);
/* The skill groups (id, name) as <group> children of parent; -1 on error. */
int ag_db_groups(struct req *r, xmlNode *parent);
/* The next free extension (not a SIP user, not a number callers dial) into
 * out; -1 on error. */
int ag_db_next_ext(struct db *db, char out[AG_EXT_MAX + 1]);

/* Writing one agent, inside the caller's transaction. */
struct ag_write {
	const char *user_id;		/* out: the agent's user id (in a) */
	char sip_password[AG_SIP_PASSWORD_LEN + 1];	/* out: set when made */
	const char *extension;		/* out: set when made or changed */
	const char *old_extension;	/* out: the one replaced (update) */
	bool created_user;
};
/* Checks and writes a new agent (in.user_id: enable that user; else
 * create one). errs: a JSON object that gets { field: catalogue key } for
 * bad input (then nothing is written and 0 is returned). 1 written, 0
 * refused (errs), -1 database error. by_name: in.groups names groups
 * (import). */
int ag_db_create(struct req *r, struct db *db, const struct ag_input *in, bool by_name,
		 json_t *errs, struct ag_write *out);
/* Updates name, extension, groups of agent id (NULL fields unchanged); a
 * new extension gets a new SIP password (out). 1, 0 refused (errs) or no
 * such agent (errs empty), -1 database error. */
int ag_db_update(struct req *r, struct db *db, const char *id, const struct ag_input *in,
		 json_t *errs, struct ag_write *out);
/* ag_db_create and ag_db_update in a transaction of their own (db_txn),
 * run again when it loses a conflict; the same answers. */
int ag_txn_create(struct req *r, struct db *db, const struct ag_input *in, bool by_name,
		  json_t *errs, struct ag_write *out);
int ag_txn_update(struct req *r, struct db *db, const char *id, const struct ag_input *in,
		  json_t *errs, struct ag_write *out);
/* A new SIP password for agent row (which has an account), into out. 1,
 * -1 database error. */
int ag_db_reset_sip(struct req *r, struct db *db, const struct ag_row *row, struct ag_write *out);
/* Groups of user id replaced by g[n]. -1 on error. */
int ag_db_set_groups(struct db *db, const char *id, const struct ag_group *g, size_t n);
/* Checks group ids exist (by id), or finds them by name (by_name): sets
 * g[i].id. 0 fine, 1 one unknown (*bad: its text), -1 error. */
int ag_db_resolve_groups(struct req *r, struct db *db, struct ag_group *g, size_t n,
			 bool by_name, const char **bad);

/* --- effects.c ------------------------------------------------------------------ */
/* NULL when agent id may be disabled or deleted now, else a catalogue key
 * ("agents.busy"): cc_agent says reserved or on_call, or the B2BUA says
 * it has a call. Also asks the B2BUA to log the agent out first, so that
 * no call is offered while the change is made. */
const char *ag_hold_for_change(struct req *r, const char *id);
/* Signs the agent out of the web app (its sessions and event streams);
 * inside the caller's transaction (sessions) and after (streams: call
 * ag_end_streams with the tokens it returned). */
int ag_sessions_delete(struct req *r, const char *id, char (**tokens)[65], size_t *n);
void ag_end_streams(struct req *r, char (*tokens)[65], size_t n);
/* Drops the phone's registration at Kamailio (ul.rm); true when done or
 * there was none. */
bool ag_drop_registration(struct req *r, const char *ext);
/* Asks the B2BUA to re-read its directory; false when unreachable. */
bool ag_reload(struct req *r);

/* --- pages ------------------------------------------------------------------- */
/* The console page: common part, side navigation, <agents view=…>. */
xmlNode *ag_page_begin(struct req *r, const char *view, xmlDoc **docp);
/* <agent> for a row. */
xmlNode *ag_row_node(struct req *r, xmlNode *parent, const struct ag_row *row);
/* A field error message (catalogue key) in the request's language. */
const char *ag_t(struct req *r, const char *key);
/* {ok:false, error:"invalid", message, errors:{field: message}} 422. */
const char *ag_invalid(struct req *r, json_t *errs);
/* A refusal with a message (409 busy, 404, ...). */
const char *ag_refuse(struct req *r, int status, const char *error, const char *key);

#endif
