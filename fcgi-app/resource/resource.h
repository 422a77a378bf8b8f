/* Admin resources: one table of the plugin described once, and the generic
 * code that gives it a list page, a new/edit form, validation, a JSON API
 * and its SQL (docs/web.md, "Admin resources").
 *
 * A resource is a `const struct resource res_<name>` in admin/<name>.c and
 * one line X(<name>) in WEB_RESOURCES (route.h), which gives it the routes
 * of RES_ROUTES and an item in the admin console's side navigation. Its
 * labels are catalogue keys (templates/i18n/). Identifiers (table, key,
 * columns, referenced tables) come only from the description, are checked
 * at start (res_valid: letters, digits, '_') and quoted with backticks;
 * values from a request are always bound.
 *
 *   sql.c       the SQL text of a description (pure: unit-tested as text)
 *   check.c     one value against its column's type and bounds (pure)
 *   query.c     the list's search, sort and page from the query string
 *   param.c     the values a request sends, by column
 *   db.c        running the statements: rows, counts, references, uniqueness
 *   doc.c       the list and form data documents, the side navigation
 *   json.c      a row as JSON
 *   list.c      GET the list (page or JSON)
 *   item.c      GET the new form, the edit form, one row as JSON
 *   save.c      POST create and update
 *   delete.c    POST delete, refused while other rows use the row (used_by)
 *   bind.c      a description made ready for one request: references into
 *               the helpdesk's tables (RES_HOST_*) named from the manifest
 *   link.c      many-to-many links edited on the item page (res_link)
 *   reload.c    asking the B2BUA to re-read its directory after a change */
#ifndef WEB_RESOURCE_H
#define WEB_RESOURCE_H

#include "../route.h"
#include "../tmpl/tmpl.h"

struct manifest;

enum res_type {
	RES_TEXT,	/* varchar: max characters, optional allowed characters */
	RES_INT,	/* integer between min and max_int */
	RES_BOOL,	/* tinyint 0/1: a checkbox */
	RES_CHOICE,	/* one of choices[] */
	RES_REF,	/* the key of a row of ref.table, shown by ref.label */
	RES_PHONE,	/* a phone number as typed (max, chars), stored normalized by
			 * the configured rules (common/phone.h): E.164, or the digits
			 * of a short service number; what was typed goes to the
			 * column named by `display` */
};

/* Where a column shows (bits of res_col.show). */
#define RES_LIST 1u	/* a column of the list */
#define RES_SEARCH 2u	/* the list's search looks in it (a reference: its label) */
#define RES_SORT 4u	/* the list sorts by it (a reference: by its label) */

struct res_choice {
	const char *value;	/* stored */
	const char *label;	/* catalogue key */
	const char *hint;	/* catalogue key of a line saying what it does, or NULL */
};

/* References into the helpdesk's own tables: their names come from the
 * manifest, bound for each request (bind.c); the description leaves
 * table, key and label NULL. */
enum res_host {
	RES_HOST_NONE,
	RES_HOST_AGENTS,	/* users with a call-center role, by display name */
	RES_HOST_SKILL_DEPTS,	/* departments with the skill flag, by name */
};

struct res_ref {
	const char *table, *key, *label;	/* rows of table by key, shown by label */
	/* Only rows whose column `only` holds one of in[] are offered (and
	 * accepted); values are plain identifiers, checked at start. */
	const char *only;
	const char *in[4];
	/* Only rows whose column `set` is not NULL (a published flow); a
	 * plain identifier, checked at start. */
	const char *set;
	/* The catalogue key of a value that is not among those rows (what
	 * the filter means: "v.flow_unpublished"), else "v.ref". */
	const char *missing;
	enum res_host host;	/* table, key, label and cond from the manifest */
	bool text_key;		/* the keys are strings (the helpdesk's ids) */
	const char *cond;	/* bound: an SQL condition on the row (alias o), or NULL */
};

/* Rows of another table that use a row: while any does, the row cannot be
 * deleted (409, with the list). */
struct res_user {
	const char *table, *column;	/* rows of table whose column holds the key */
	const char *key, *label;	/* each shown by label, linked by key */
	const char *item;		/* catalogue key: what one is ("号码") */
	const char *res;		/* its resource (a link), or NULL */
};

/* A many-to-many link edited on the item page: rows of table pair this
 * row's key (column self) with another row's (column other, a ref), with
 * an optional integer level. Links go with the row (deleted with it), are
 * part of its JSON (as member name) and of its audit record. */
struct res_link {
	const char *name;	/* JSON member and form field: "agents" */
	const char *label;	/* catalogue key of the section */
	const char *hint;	/* catalogue key of a line under it, or NULL */
	const char *table, *self, *other;
	struct res_ref ref;	/* the other rows: options, labels, existence */
	const char *level;	/* an integer column of the link, or NULL */
	long long level_min, level_max, level_def;
	const char *level_label;	/* catalogue key */
	/* Links are allowed only while this row's column `when` holds one of
	 * when_in[] (else there must be none), or always when NULL. */
	const char *when;
	const char *when_in[4];
	const char *res;	/* the other side's resource (links on the page), or NULL */
};

/* A cross-field check: vals are the row as it would be stored (sent
 * values over the stored ones; NULL or "" for none), key NULL for a new
 * row. Sets errs[i] (catalogue keys) for the columns at fault. */
typedef void (res_check_h)(const struct resource *res, const char *key, const char *const *vals,
			   const char **errs);

#define RES_LINKS(a) .links = (a), .nlinks = sizeof(a) / sizeof((a)[0])
#define RES_USERS(a) .used_by = (a), .nused_by = sizeof(a) / sizeof((a)[0])

struct res_col {
	const char *name;	/* the column; also the form field and JSON member */
	enum res_type type;
	const char *label;	/* catalogue key */
	const char *hint;	/* catalogue key of a line under the field, or NULL */
	unsigned max;		/* RES_TEXT: at most this many characters */
	const char *chars;	/* RES_TEXT: the only characters allowed, or NULL */
	long long min, max_int;	/* RES_INT: bounds */
	bool required;		/* a new row needs it; an edit cannot blank it */
	bool unique;		/* no two rows with the same value */
	unsigned show;		/* RES_LIST | RES_SEARCH | RES_SORT */
	const char *def;	/* a new row's value (the form, JSON create), or NULL */
	const struct res_choice *choices;	/* RES_CHOICE */
	size_t nchoices;
	struct res_ref ref;	/* RES_REF */
	const char *display;	/* RES_PHONE: the column keeping what was typed */
	bool derived;		/* written by another column (a phone's display):
				 * not in the form, never read from a request */
	bool not_self;		/* RES_REF to the resource's own table: not the row itself */
	bool blank;		/* emptied, stored as '' (a NOT NULL column), not NULL */
};

struct resource {
	const char *name;	/* /cc/admin/<name>, /cc/api/admin/<name> */
	const char *table;	/* the plugin's table */
	const char *key;	/* its AUTO_INCREMENT integer key */
	const char *title;	/* catalogue key: the section ("号码管理") */
	const char *item;	/* catalogue key: one row ("号码") */
	enum access access;	/* who may use it (the routes also say ADMIN) */
	const struct res_col *cols;
	size_t ncols;
	const char *sort;	/* the list's default sort column (RES_SORT) */
	bool desc;		/* ... descending */
	bool reload;		/* a change makes the B2BUA re-read its directory */
	const struct res_link *links;	/* edited on the item page */
	size_t nlinks;
	const struct res_user *used_by;	/* refuse deleting while used */
	size_t nused_by;
	res_check_h *check;	/* cross-field rules, or NULL */
};

#define RES_COLS(a) .cols = (a), .ncols = sizeof(a) / sizeof((a)[0])
#define RES_CHOICES(a) .choices = (a), .nchoices = sizeof(a) / sizeof((a)[0])

/* Rows a list page shows; the JSON list takes per_page up to RES_PER_PAGE_MAX. */
#define RES_PER_PAGE 20
#define RES_PER_PAGE_MAX 100
/* The longest search text; options a reference offers. */
#define RES_Q_MAX 64
#define RES_OPTIONS_MAX 500

/* Every resource of WEB_RESOURCES (route.c), in that order. */
extern const struct resource *const web_resources[];
extern const size_t web_nresources;

/* NULL when the description is usable, else what is wrong (static text):
 * identifiers [A-Za-z_][A-Za-z0-9_]*, a default sort column that is sortable,
 * text with a max, bounds in order, choices and references complete. */
const char *res_valid(const struct resource *res);
/* The resource of the request's route, bound for it (res_bind); NULL
 * when out of memory or the manifest cannot name a host reference. */
const struct resource *res_of(const struct req *r);
/* The index of column name, or -1. */
int res_col_index(const struct resource *res, const char *name);
/* True when v is one of list (NULL-terminated, at most 4). */
bool res_in(const char *const *list, size_t n, const char *v);

/* --- bind.c ----------------------------------------------------------------- */
/* res made ready for a request: references into the helpdesk's tables get
 * the manifest's names and conditions (a copy in r's arena; res itself
 * when it has none). NULL when out of memory. */
const struct resource *res_bind(struct req *r, const struct resource *res);
/* Binds one reference into *out (a copy, written only on success); 0, or
 * -1 when the manifest cannot name it. mf may be NULL only for refs
 * without a host. */
int res_bind_ref(struct arena *a, const struct manifest *mf, const struct res_ref *in,
		 struct res_ref *out);

/* --- sql.c: statements (strings in a; NULL when out of memory) ------------- */
struct res_query {
	const char *q;		/* search text, or NULL */
	int sort;		/* column index, or -1 for the key */
	bool desc;
	long long page;		/* 1.. */
	long long per_page;
};
/* The row: key, each column (cols order), then the label of each reference
 * column (in cols order). */
char *res_sql_list(struct arena *a, const struct resource *res, const struct res_query *q);
char *res_sql_count(struct arena *a, const struct resource *res, const struct res_query *q);
char *res_sql_get(struct arena *a, const struct resource *res);
/* sent[i]: column i has a value in the statement, in cols order. */
char *res_sql_insert(struct arena *a, const struct resource *res, const bool *sent);
char *res_sql_update(struct arena *a, const struct resource *res, const bool *sent);
char *res_sql_delete(struct arena *a, const struct resource *res);
/* Other rows with the value of unique column c: parameters value, key. */
char *res_sql_unique(struct arena *a, const struct resource *res, const struct res_col *c);
/* A reference's choices (key, label), and whether one key exists (read with
 * a shared lock: save.c checks inside its transaction). */
char *res_sql_options(struct arena *a, const struct res_ref *ref);
char *res_sql_ref_exists(struct arena *a, const struct res_ref *ref);
/* The rows using a row (key, label), parameter the row's key. */
char *res_sql_users(struct arena *a, const struct res_user *u);
/* A row's links: other key, its label[, level]; parameter the row's key. */
char *res_sql_link_get(struct arena *a, const struct res_link *l);
char *res_sql_link_delete(struct arena *a, const struct res_link *l);
char *res_sql_link_insert(struct arena *a, const struct res_link *l);
/* The position in a row of the label of reference column i. */
int res_label_pos(const struct resource *res, size_t i);
/* The LIKE pattern of a search: %q% with %, _ and ! escaped by '!'. */
char *res_like(struct arena *a, const char *q);

/* --- check.c ---------------------------------------------------------------- */
/* Checks value v (NULL: not sent) of column c for storing. NULL when fine,
 * with *out the value to store (trimmed, booleans as "1"/"0", "" for an
 * emptied optional column); else a catalogue key: "v.required",
 * "v.max_chars", "v.text", "v.chars", "v.int", "v.range", "v.bool",
 * "v.choice", "v.ref". Database checks (uniqueness, a referenced row) are
 * db.c's. A phone is checked as text here; res_phone normalizes it. */
const char *res_check(struct arena *a, const struct res_col *c, const char *v, const char **out);
/* The stored form of a phone number checked by res_check ("" stays ""):
 * NULL with *out set, or "v.phone". */
const char *res_phone(struct arena *a, const struct phone_rules *rules, const char *v,
		      const char **out);
/* The message of key for column c: the catalogue text (text) with {max},
 * {min} filled in from the column's bounds. */
char *res_message(struct arena *a, const char *text, const struct res_col *c);

/* --- query.c ---------------------------------------------------------------- */
/* The list's parameters from ?q=&sort=&dir=&page=&per_page= (per_page only
 * when json); anything unknown falls back to the defaults. */
void res_query_parse(const struct req *r, const struct resource *res, bool json,
		     struct res_query *q);

/* --- param.c ---------------------------------------------------------------- */
/* The value of column c in the request body: a form field or a JSON
 * member (strings, integers; true/false as "1"/"0"; null as ""). NULL when
 * not sent; *bad when the JSON member has another type. */
const char *res_param(const struct req *r, const struct res_col *c, bool *bad);
/* The key from the path ({id}): a positive integer, else NULL. */
const char *res_key(const struct req *r);

/* --- db.c --------------------------------------------------------------------- */
/* One row as strings: key, vals[ncols], labels[ncols] (NULL but for
 * references). */
struct res_row {
	const char *key;
	const char **vals, **labels;
};
/* The rows of the list's page, and the number of matching rows; a page
 * past the last becomes the last (q->page). -1 on a database error
 * (logged). */
int res_db_list(struct req *r, const struct resource *res, struct res_query *q,
		struct res_row **rowsp, size_t *nrowsp, long long *totalp);
/* One row by key: 1 found, 0 not, -1 database error. */
int res_db_get(struct req *r, const struct resource *res, const char *key, struct res_row *row);
/* A reference's choices as <option value label> children of parent; -1 on
 * a database error. */
int res_db_options(struct req *r, const struct res_ref *ref, xmlNode *parent);
/* Whether the row key of a reference exists: 1, 0, -1 database error. */
int res_db_ref_exists(struct req *r, const struct res_ref *ref, const char *key);
/* The rows using row key (res->used_by) as <user item res key label href>
 * children of parent (NULL: only count). The number found, or -1. */
long long res_db_users(struct req *r, const struct resource *res, const char *key,
		       xmlNode *parent);
/* Checks what only the database knows: referenced rows exist, unique
 * values are free (key: the row being edited, or NULL). Fills errs[i] with
 * catalogue keys. 0, or -1 on a database error. */
int res_db_check(struct req *r, const struct resource *res, const char *key,
		 const char *const *vals, const char **errs);
/* Inserts (key NULL) or updates the columns with vals[i] != NULL ("" as
 * NULL). 1 done (*newkey set on insert, in r's arena), 0 no such row,
 * -1 database error, -2 a unique value is taken (another request won). */
int res_db_write(struct req *r, const struct resource *res, const char *key,
		 const char *const *vals, const char **newkey);
/* 1 deleted, 0 no such row, -1 database error. */
int res_db_delete(struct req *r, const struct resource *res, const char *key);

/* --- link.c -------------------------------------------------------------------- */
/* One link of a row: the other row's key, its label, the level (or NULL). */
struct res_linked {
	const char *key, *label, *level;
};
struct res_links {
	struct res_linked *v;
	size_t n;
	bool sent;		/* the request sent this link (else: unchanged) */
	const char *err;	/* catalogue key of what is wrong, or NULL */
};
/* The links of row key, per res->links (ls[nlinks], in r's arena). 0 or
 * -1 (database error). */
int res_links_load(struct req *r, const struct resource *res, const char *key,
		   struct res_links *ls);
/* What the request sends for link l: a form's checkboxes (<name>=key, and
 * <name>.level.<key>=n; the form says it has the section with _link=<name>)
 * or a JSON array of keys or {"id": key, "level": n}. Checks the shape and
 * the levels (ls->err); not sent: ls->sent false. */
void res_links_read(struct req *r, const struct res_link *l, struct res_links *ls);
/* Checks what only the database knows: the other rows exist (and pass the
 * ref's filter), and fills their labels. 0, or -1 on a database error. */
int res_links_check(struct req *r, const struct res_link *l, struct res_links *ls);
/* Replaces the links of row key by ls (only those sent). 0 or -1. */
int res_links_write(struct req *r, const struct resource *res, const char *key,
		    const struct res_links *ls);
/* The link sections of the form: <link> children of form with each
 * option (checked, level) and the error text. */
int res_links_doc(struct req *r, xmlNode *form, const struct resource *res,
		  const struct res_links *ls, const char *const *errs);

/* --- json.c ------------------------------------------------------------------- */
/* {"<key>": n, "<col>": value…, "labels": {"<ref col>": label}}. */
json_t *res_json_row(const struct resource *res, const struct res_row *row);
/* The row with its links: "<link>": [{"id": key, "label": …, "level": n}]. */
json_t *res_json_item(const struct resource *res, const struct res_row *row,
		      const struct res_links *ls);

/* --- doc.c -------------------------------------------------------------------- */
/* The admin console's side navigation (side_pages in doc.c: the console's
 * pages and resources in the order a center is set up, then any resource
 * not listed there); current is "overview", a resource's name or a page's
 * id. */
void res_doc_side(xmlNode *root, const char *current);
/* <res> for a page of res (attributes: name, view, title, item, base). */
xmlNode *res_doc_res(xmlNode *root, const struct resource *res, const char *view);
/* A page of res: the common part (page_begin, named "admin" for the
 * console's navigation), the side navigation and <res>, which it returns;
 * NULL when out of memory. */
xmlNode *res_page_begin(struct req *r, const struct resource *res, const char *view,
			xmlDoc **docp);
/* The list: columns with sort links, rows, pages. */
void res_doc_list(struct req *r, xmlNode *res_el, const struct resource *res,
		  const struct res_query *q, const struct res_row *rows, size_t nrows,
		  long long total);
/* The form: one <field> per column with vals[i] (NULL: empty) and errs[i]
 * (message text or NULL); key NULL: a new row. */
xmlNode *res_doc_form(struct req *r, xmlNode *res_el, const struct resource *res,
		      const char *key, const char *const *vals, const char *const *errs);

/* --- item.c, save.c: pages --------------------------------------------------- */
/* Renders the form page (status) for key (NULL: new) with vals and errs;
 * banner: a catalogue key shown above the form, or NULL. */
/* ls: the links to show (NULL: the row's, or none for a new row), lerrs
 * their messages; in_use: the page also lists the rows using this one (a
 * refused delete). */
const char *res_form_page(struct req *r, const struct resource *res, const char *key,
			  const char *const *vals, const char *const *errs,
			  const struct res_links *ls, const char *const *lerrs, const char *banner,
			  int status, bool in_use);
/* A stored row's values as the form shows them: a phone as it was typed
 * (its display column) when there is one. */
const char *const *res_form_vals(struct req *r, const struct resource *res,
				 const struct res_row *row);

/* --- reload.c ----------------------------------------------------------------- */
/* After a change: asks the B2BUA to re-read its directory when res says so.
 * True when it did or need not; false when the B2BUA could not be reached
 * (the change is saved and takes effect at the next reload). */
bool res_reload(struct req *r, const struct resource *res);

#endif
