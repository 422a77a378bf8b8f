/* A request's write transaction: db_txn (common/db.h) for handlers, whose
 * bodies answer with a route's reason rather than a number. */
#include "web.h"

#include <string.h>

struct web_txn {
	struct req *r;
	web_txn_h *body;
	void *arg;
	const char *why;
};

static int run(struct db *db, void *arg)
{
	struct web_txn *t = arg;
	(void)db;
	t->why = t->body(t->r, t->arg);
	if (!t->why)
		return 0;
	/* Only a database failure may be a lost conflict, run again. */
	return strcmp(t->why, "db_unavailable") ? 1 : -1;
}

const char *web_txn(struct req *r, web_txn_h *body, void *arg)
{
	struct web_txn t = { r, body, arg, NULL };
	int rc = db_txn(r->thr->db, run, &t);
	return rc == 0 ? NULL : rc > 0 ? t.why : "db_unavailable";
}
