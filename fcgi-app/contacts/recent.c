/* A customer's recent calls, for the pop and the contact API (see
 * contact.h and the recent_calls statement in sqlq.c). */
#include "contact.h"

#include "db.h"
#include "log.h"
#include "../sqlq.h"

#include <stdlib.h>
#include <string.h>

struct recent {
	json_t *list;
	const char *viewer;
};

/* A row: another agent's call is listed without its id (an agent reaches
 * only the calls they took). */
static int recent_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct recent *rc = arg;
	(void)lens;
	if (ncol < 9)
		return 1;
	bool own = rc->viewer && v[8] && !strcmp(v[8], rc->viewer);
	json_t *row = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
				"time", v[0], "direction", v[1], "agent", v[2], "result", v[3],
				"call", own ? v[5] : NULL, "caller", v[6], "callee", v[7]);
	if (row) {
		json_object_set_new(row, "duration", v[4] ? json_integer(atoll(v[4])) : json_null());
		json_array_append_new(rc->list, row);
	}
	return 0;
}

json_t *contact_recent(struct db *db, const struct web *w, const char *contact_id,
		       const char *caller_norm, const char *exclude, const char *viewer)
{
	const char *p[DBV_MAX];
	int n = 0;
	p[n++] = contact_id;
	p[n++] = caller_norm;
	for (size_t i = 0; i < w->sql.recent_phones; i++)
		p[n++] = contact_id;
	p[n++] = exclude ? exclude : "";
	struct recent rc = { .list = json_array(), .viewer = viewer };
	if (dbv_query(db, w->sql.recent_calls, recent_row, &rc, p, n) < 0) {
		log_err("recent calls: %s", db_error(db));
		json_decref(rc.list);
		return NULL;
	}
	return rc.list;
}
