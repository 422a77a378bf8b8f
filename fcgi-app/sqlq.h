/* SQL that names the helpdesk's tables and columns, built once at start
 * from the manifest (names there are checked identifiers, quoted here with
 * backticks); values always go through '?' parameters. */
#ifndef WEB_SQLQ_H
#define WEB_SQLQ_H

#include "web.h"

struct manifest;

/* Fills s from m; strings live in a. 0 or -1 (out of memory). */
int web_sql_build(struct web_sql *s, const struct manifest *m, bool has_last_login,
		  struct arena *a);

/* Statements with a varying number of string parameters (NULL binds SQL
 * NULL); n at most DBV_MAX. */
#define DBV_MAX 30
struct db;
typedef int (db_row_h)(void *arg, int ncol, char **vals, unsigned long *lens);
long long dbv_exec(struct db *db, const char *sql, const char *const *vals, int n);
int dbv_query(struct db *db, const char *sql, db_row_h *rowh, void *arg, const char *const *vals,
	      int n);

/* Rows read as text into a request's arena: each row one struct whose
 * members are ncols `const char *` and nothing else (a feature's X-macro of
 * columns; check it with TEXT_ROWS_FIT), NULL for SQL NULL. text_rows_h is
 * the db_row_h that fills it; failed is set when a row came short or the
 * arena ran out, and the query stops. */
struct text_rows {
	struct arena *a;
	size_t ncols;
	void *v;		/* the rows: cast to the feature's struct */
	size_t n, cap;
	bool failed;
};
#define TEXT_ROWS_FIT(type, ncols) \
	_Static_assert(sizeof(type) == (ncols) * sizeof(const char *), #type " is ncols strings")
int text_rows_h(void *arg, int ncol, char **vals, unsigned long *lens);

#endif
