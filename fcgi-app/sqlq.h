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

#endif
