/* Writing the audit log (see audit.h). */
#include "audit.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

static bool secret(const char *member)
{
	static const char *const names[] = { AUDIT_SECRET_MEMBERS };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(member, names[i]))
			return true;
	return false;
}

json_t *audit_masked(json_t *o)
{
	if (!o)
		return NULL;
	json_t *m = json_deep_copy(o);
	const char *k;
	json_t *v;
	json_object_foreach(m, k, v)
		if (secret(k) && !json_is_null(v))
			json_object_set_new(m, k, json_string("***"));
	return m;
}

void audit_diff(json_t *before, json_t *after, json_t **before_out, json_t **after_out)
{
	json_t *b = json_object(), *a = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(after, k, v) {
		json_t *old = json_object_get(before, k);
		if (old && json_equal(old, v))
			continue;
		json_object_set(a, k, v);
		json_object_set(b, k, old ? old : json_null());
	}
	json_object_foreach(before, k, v)
		if (!json_object_get(after, k)) {
			json_object_set(b, k, v);
			json_object_set_new(a, k, json_null());
		}
	*before_out = audit_masked(b);
	*after_out = audit_masked(a);
	json_decref(b);
	json_decref(a);
}

static char *dump(json_t *o)
{
	return o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

int audit_write(struct req *r, const char *resource, const char *item, const char *action,
		json_t *before, json_t *after)
{
	json_t *b, *a;
	if (!strcmp(action, "update") && before && after) {
		audit_diff(before, after, &b, &a);
	} else {
		b = audit_masked(before);
		a = audit_masked(after);
	}
	char *bs = dump(b), *as = dump(a);
	json_decref(b);
	json_decref(a);
	const struct session *s = r->sess;
	long long n = db_exec(r->thr->db,
			      "INSERT INTO cc_audit_log (at, user_id, username, addr, resource, "
			      "item_id, action, before_json, after_json) "
			      "VALUES (NOW(3), ?, ?, ?, ?, ?, ?, ?, ?)",
			      "ssssssss", s ? s->user_id : "", s && s->username ? s->username : "",
			      r->remote_addr ? r->remote_addr : "", resource, item ? item : "",
			      action, bs, as);
	free(bs);
	free(as);
	if (n < 0) {
		log_warn("audit: %s %s %s not recorded: %s", resource, item ? item : "-", action,
			 db_error(r->thr->db));
		return -1;
	}
	return 0;
}

const char *audit_txn(struct req *r, const char *resource, const char *item, const char *action,
		      json_t *before, json_t *after)
{
	int rc = audit_write(r, resource, item, action, before, after);
	json_decref(before);
	json_decref(after);
	return rc ? "db_unavailable" : NULL;
}
