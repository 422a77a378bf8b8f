/* A customer's recent calls, for the pop and the contact API (see
 * contact.h and the recent_calls statement in sqlq.c). */
#include "contact.h"

#include "db.h"
#include "log.h"
#include "../sqlq.h"

#include <stdlib.h>

static int recent_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)lens;
	if (ncol < 8)
		return 1;
	json_t *row = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
				"time", v[0], "direction", v[1], "agent", v[2], "result", v[3],
				"call", v[5], "caller", v[6], "callee", v[7]);
	if (row) {
		json_object_set_new(row, "duration", v[4] ? json_integer(atoll(v[4])) : json_null());
		json_array_append_new(arg, row);
	}
	return 0;
}

json_t *contact_recent(struct db *db, const struct web *w, const char *contact_id,
		       const char *caller_norm, const char *exclude)
{
	const char *p[DBV_MAX];
	int n = 0;
	p[n++] = contact_id;
	p[n++] = caller_norm;
	for (size_t i = 0; i < w->sql.recent_phones; i++)
		p[n++] = contact_id;
	p[n++] = exclude ? exclude : "";
	json_t *list = json_array();
	if (dbv_query(db, w->sql.recent_calls, recent_row, list, p, n) < 0) {
		log_err("recent calls: %s", db_error(db));
		json_decref(list);
		return NULL;
	}
	return list;
}
