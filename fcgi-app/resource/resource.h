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
 *   delete.c    POST delete
 *   reload.c    asking the B2BUA to re-read its directory after a change */
#ifndef WEB_RESOURCE_H
#define WEB_RESOURCE_H

#include "../route.h"
#include "../tmpl/tmpl.h"

enum res_type {
	RES_TEXT,	/* varchar: max characters, optional allowed characters */
	RES_INT,	/* integer between min and max_int */
	RES_BOOL,	/* tinyint 0/1: a checkbox */
	RES_CHOICE,	/* one of choices[] */
	RES_REF,	/* the key of a row of ref.table, shown by ref.label */
};

/* Where a column shows (bits of res_col.show). */
#define RES_LIST 1u	/* a column of the list */
#define RES_SEARCH 2u	/* the list's search looks in it (a reference: its label) */
#define RES_SORT 4u	/* the list sorts by it (a reference: by its label) */

struct res_choice {
	const char *value;	/* stored */
	const char *label;	/* catalogue key */
};

struct res_ref {
	const char *table, *key, *label;	/* rows of table by key, shown by label */
};

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
/* The resource of the request's route. */
const struct resource *res_of(const struct req *r);
/* The index of column name, or -1. */
int res_col_index(const struct resource *res, const char *name);

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
/* A reference's choices (key, label) and whether one key exists. */
char *res_sql_options(struct arena *a, const struct res_col *c);
char *res_sql_ref_exists(struct arena *a, const struct res_col *c);
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
 * db.c's. */
const char *res_check(struct arena *a, const struct res_col *c, const char *v, const char **out);
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
int res_db_options(struct req *r, const struct res_col *c, xmlNode *parent);
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

/* --- json.c ------------------------------------------------------------------- */
/* {"<key>": n, "<col>": value…, "labels": {"<ref col>": label}}. */
json_t *res_json_row(const struct resource *res, const struct res_row *row);

/* --- doc.c -------------------------------------------------------------------- */
/* The admin console's side navigation: the overview, every resource, then
 * the pages of WEB_CONSOLE_PAGES (route.h); current is "overview", a
 * resource's name or such a page's id. */
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
const char *res_form_page(struct req *r, const struct resource *res, const char *key,
			  const char *const *vals, const char *const *errs, const char *banner,
			  int status);

/* --- reload.c ----------------------------------------------------------------- */
/* After a change: asks the B2BUA to re-read its directory when res says so.
 * True when it did or need not; false when the B2BUA could not be reached
 * (the change is saved and takes effect at the next reload). */
bool res_reload(struct req *r, const struct resource *res);

#endif
