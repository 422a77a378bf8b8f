/* The admin console's audit log (table cc_audit_log, append-only): every
 * change made in the console, with who, when, from which address, the
 * resource, the item's id, and the fields before and after.
 *
 * A feature records its change on the request's connection inside the
 * transaction that makes the change, so that a change without its record
 * (or a record without its change) cannot be left behind:
 *
 *	static const char *body(struct req *r, void *arg)
 *	{ ...write...; return audit_txn(r, "agents", id, "update", before, after); }
 *	...
 *	why = web_txn(r, body, &arg);	(web.h: committed, or run again on a conflict)
 *
 * Secrets never reach the log: members named in AUDIT_SECRET_MEMBERS are
 * written as "***" (that they changed is kept, not the value). */
#ifndef WEB_AUDIT_H
#define WEB_AUDIT_H

#include "../web.h"

#define AUDIT_SECRET_MEMBERS "password", "sip_password", "secret", "ha1", "ha1b"

/* Records one change. action: "create", "update", "delete", or a verb of
 * the feature's own ("import", "reset_password", "upload", ...). before and
 * after are JSON objects or NULL (borrowed); for "update" only the members
 * whose values differ are kept, on both sides. 0, or -1 on a database error
 * (the caller rolls back). */
int audit_write(struct req *r, const char *resource, const char *item, const char *action,
		json_t *before, json_t *after);

/* audit_write as the last step of a web_txn body: takes before and after
 * (frees them); NULL, or "db_unavailable" (the body's answer). */
const char *audit_txn(struct req *r, const char *resource, const char *item, const char *action,
		      json_t *before, json_t *after);

/* The members of before and after that differ (new objects; secrets
 * masked). Pure: unit-tested. */
void audit_diff(json_t *before, json_t *after, json_t **before_out, json_t **after_out);
/* A copy of o with secrets masked, or NULL for NULL. */
json_t *audit_masked(json_t *o);

#endif
