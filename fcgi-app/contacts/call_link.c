/* Linking a saved contact to the call it was saved with, and to the call's
 * outbound target; storing the call's note (cc_call_note). Run inside
 * contact_store's transaction (see contact.h). */
#include "contact.h"

#include "db.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>

struct facts_row {
	struct arena *a;
	struct call_facts *f;
	bool found;
};

static int facts_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct facts_row *fr = arg;
	(void)lens;
	if (ncol < 5)
		return 1;
	fr->found = true;
	fr->f->agent = v[0] ? arena_strdup(fr->a, v[0]) : NULL;
	fr->f->task = v[1] ? strtoull(v[1], NULL, 10) : 0;
	fr->f->target = v[2] ? strtoull(v[2], NULL, 10) : 0;
	fr->f->target_task = v[3] ? strtoull(v[3], NULL, 10) : 0;
	fr->f->target_call = v[4] && atoi(v[4]) == 1;
	return 1;
}

const char *call_facts_read(struct db *db, const char *call, struct arena *a,
			    struct call_facts *f)
{
	struct facts_row fr = { a, f, false };
	*f = (struct call_facts){ 0 };
	/* The target counts as the call's only when the dialer recorded this
	 * call for it: its last call, or one of its attempts. */
	if (db_query(db,
		     "SELECT k.agent_id, k.task_id, k.target_id, t.task_id, "
		     "(t.last_call_id = k.id OR EXISTS (SELECT 1 FROM cc_task_attempt x "
		     "WHERE x.target_id = t.id AND x.call_id = k.id)) "
		     "FROM cc_call k LEFT JOIN cc_task_target t ON t.id = k.target_id "
		     "WHERE k.id = ? FOR UPDATE", facts_row, &fr, "s", call) < 0) {
		log_err("call %s: %s", call, db_error(db));
		return "db_unavailable";
	}
	return fr.found ? NULL : "not_found";
}

static const char *num(char *buf, size_t len, unsigned long long v)
{
	if (!v)
		return NULL;
	snprintf(buf, len, "%llu", v);
	return buf;
}

const char *call_link_store(struct db *db, const struct contact_edit *e,
			    const struct call_facts *f, const char *contact_id)
{
	if (db_exec(db, "UPDATE cc_call SET contact_id = ? WHERE id = ?", "ss", contact_id,
		    e->call) < 0) {
		log_err("call %s link: %s", e->call, db_error(db));
		return "db_unavailable";
	}
	char task[24], target[24];
	if (call_links_target(f) &&
	    db_exec(db, "UPDATE cc_task_target SET contact_id = ? WHERE id = ? AND task_id = ?",
		    "sss", contact_id, num(target, sizeof target, f->target),
		    num(task, sizeof task, f->task)) < 0) {
		log_err("call %s: target %llu link: %s", e->call, f->target, db_error(db));
		return "db_unavailable";
	}
	if (!e->intent && !e->note)
		return NULL;
	/* One note per call; the agent column is who took the call (an admin
	 * may save for it), saved_by who saved. */
	if (db_exec(db,
		    "INSERT INTO cc_call_note (call_id, agent_id, contact_id, task_id, target_id, "
		    "intent, note, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(3)) "
		    "ON DUPLICATE KEY UPDATE contact_id = VALUES(contact_id), "
		    "intent = VALUES(intent), note = VALUES(note), saved_by = VALUES(saved_by), "
		    "saved_at = VALUES(saved_at)",
		    "ssssssss", e->call, f->agent ? f->agent : e->agent_id, contact_id,
		    num(task, sizeof task, f->task), num(target, sizeof target, f->target),
		    e->intent && *e->intent ? e->intent : NULL, e->note && *e->note ? e->note : NULL,
		    e->agent_id) < 0) {
		log_err("call %s note: %s", e->call, db_error(db));
		return "db_unavailable";
	}
	return NULL;
}
