/* IVR flows in the console (流程管理 > IVR流程, docs/ivr.md): the list
 * page and the JSON API under /cc/api/admin/ivr (tables cc_ivr_flow and
 * cc_ivr_version, sql/migrations/005_ivr.sql).
 *
 *   state.c    a flow's state from its row, names and file names (pure:
 *              unit-tested)
 *   db.c       the rows: one flow, the list, numbers using a flow, the
 *              edit lock (a conditional UPDATE), what a flow names exists
 *   check.c    a document read and checked (common/ivr.h) against the
 *              database; problems as JSON with their messages
 *   list.c     GET the list (page or JSON), the replies the handlers share
 *   item.c     GET one flow, its export (a download)
 *   create.c   POST a new flow, a copy, an import (multipart)
 *   lock.c     POST lock and unlock
 *   draft.c    POST save the draft, validate a document
 *   publish.c  POST publish (a new version, or the problems kept)
 *   delete.c   POST delete (refused while a number or a sub-flow uses it)
 *   refs.c     GET what the editor's pickers offer
 *
 * Every change is one transaction with its audit record ("ivr", id,
 * "create" | "copy" | "import" | "save" | "lock" | "unlock" | "publish" |
 * "publish_failed" | "delete"). The edit lock is held by one admin at a
 * time for IVR_LOCK_S seconds: taking it is one UPDATE whose condition
 * (free, expired, or already ours) the database checks under the row's
 * lock, so two admins can never both hold it. */
#ifndef WEB_IVR_H
#define WEB_IVR_H

#include "../route.h"
#include "../tmpl/tmpl.h"

/* The flow language (the same name as this header: named by its path). */
#include "../../common/ivr.h"

#include <stdbool.h>

#define IVR_NAME_MAX 64		/* characters, as the schema's flow/@name */
#define IVR_DESC_MAX 255
#define IVR_DOC_MAX (1024 * 1024)	/* a document's bytes */
#define IVR_LOCK_S 300		/* the edit lock, renewed by the editor */
#define IVR_LIST_MAX 1000	/* flows the list shows */

/* A flow's state in the console: X(name in JSON, catalogue key). */
#define IVR_STATES(X) \
	X(unpublished, "ivr.state.unpublished") \
	X(published, "ivr.state.published") \
	X(modified, "ivr.state.modified") \
	X(failed, "ivr.state.failed")

#define IVR_STATE_ENUM(n, key) IVR_ST_##n,
enum ivr_state { IVR_STATES(IVR_STATE_ENUM) IVR_ST_COUNT };
#undef IVR_STATE_ENUM

/* The columns a flow is read with (struct ivr_row's members), the draft
 * itself apart: lock_name and the *_name members are the holder's and
 * the saver's display names, lock_live "1" while the lock holds. */
#define IVR_ROW_COLS(X) \
	X(id) X(name) X(description) X(draft_rev) X(draft_saved_at) X(draft_saved_by) \
	X(saved_by_name) X(published_version) X(published_rev) X(publish_failed) \
	X(lock_user) X(lock_name) X(lock_until) X(lock_live) X(created_at) X(updated_at)

/* One flow, as text (NULL for SQL NULL), in the request's arena. */
struct ivr_row {
#define IVR_ROW_MEMBER(c) const char *c;
	IVR_ROW_COLS(IVR_ROW_MEMBER)
#undef IVR_ROW_MEMBER
};

/* A number using a flow. */
struct ivr_number {
	const char *flow_id, *id, *number, *name;
};

/* --- state.c (pure) ---------------------------------------------------------- */
/* The state of a row: failed (the last publish refused), else unpublished
 * (no version), else published (the draft is the published revision),
 * else modified. */
enum ivr_state ivr_state_of(const char *published_version, const char *draft_rev,
			    const char *published_rev, const char *publish_failed);
const char *ivr_state_name(enum ivr_state s);
const char *ivr_state_key(enum ivr_state s);
/* Who holds the lock as seen by me: 0 nobody (free or expired), 1 me, 2
 * another admin. */
int ivr_lock_holder(const char *lock_user, const char *lock_live, const char *me);
/* A download's plain file name: "ivr-<id>-draft.xml" or
 * "ivr-<id>-v<version>.xml" (in a); NULL when id or version is not a
 * positive integer. */
char *ivr_export_name(struct arena *a, const char *id, const char *version);
/* A positive integer of at most 10 digits (a row's key). */
bool ivr_key_ok(const char *s);

/* --- db.c --------------------------------------------------------------------- */
/* One flow by id: 1 found, 0 not, -1 database error. lock: FOR UPDATE.
 * With draftp, the draft too; with problemsp, the kept problems (JSON
 * text or NULL). */
int ivr_db_get(struct req *r, const char *id, bool lock, struct ivr_row *out,
	       const char **draftp, const char **problemsp);
/* Every flow, by name. -1 on a database error. */
int ivr_db_list(struct req *r, struct ivr_row **rowsp, size_t *np);
/* The numbers using flow id (every flow's when id is NULL). lock: in a
 * share mode (a delete's transaction). -1 on a database error. */
int ivr_db_numbers(struct req *r, const char *id, bool lock, struct ivr_number **vp,
		   size_t *np);
/* The other flows whose published version has a sub-flow node naming id:
 * their names in *namesp (at most 20). -1 on a database error. */
int ivr_db_subflow_users(struct req *r, const char *id, const char ***namesp, size_t *np);
/* Another flow (not id; NULL: any) has this name: 1, 0, -1. */
int ivr_db_name_taken(struct req *r, const char *name, const char *id);
/* A free name from base: base itself, else "base (2)", "base (3)", ...
 * within IVR_NAME_MAX; NULL when none or the database failed. */
const char *ivr_db_free_name(struct req *r, const char *base);
/* Inserts a new flow with its draft; *idp its id. 0 or -1. */
int ivr_db_insert(struct req *r, const char *name, const char *description, const char *draft,
		  const char **idp);
/* Takes or renews the lock for the session's user: 1 held by us now, 0
 * another admin holds it (re-read into *out), -1 database error. */
int ivr_db_lock(struct req *r, const char *id, struct ivr_row *out);
/* Gives our lock back (nothing when another admin holds it). 1 given
 * back, 0 not ours, -1 error. */
int ivr_db_unlock(struct req *r, const char *id);
/* Whether what a flow names exists (ivr_exists_h): arg is a struct
 * ivr_exists_ctx. A database error counts as missing and sets failed. */
struct ivr_exists_ctx {
	struct req *r;
	const char *self;	/* the flow checked: not its own sub-flow */
	bool failed;
};
bool ivr_db_exists(void *arg, enum ivr_ref_kind kind, const char *key);
/* A row as JSON: id, name, description, state, published_version,
 * draft_rev, lock, saved_at, saved_by (numbers are added by the caller). */
json_t *ivr_row_json(const struct ivr_row *row);
json_t *ivr_lock_json(const struct ivr_row *row);

/* --- check.c ------------------------------------------------------------------ */
/* The schema's path: ivr-flow.rng beside the manifest's schema. */
const char *ivr_schema_path(struct req *r);
/* Reads and checks a document (schema, graph, references in the
 * database; self: the flow it belongs to, or NULL). 0 with the problems
 * in p (maybe none), -1 on a database error. */
int ivr_check_document(struct req *r, const char *doc, size_t len, const char *self,
		       struct ivr_problems *p);
/* The problems as JSON [{code, node, line, detail, message}], message in
 * the request's language. */
json_t *ivr_problems_json(struct req *r, const struct ivr_problems *p);
/* A problem's message: the catalogue text of its code with {node} and
 * {detail} filled in. */
const char *ivr_problem_message(struct req *r, const char *code, const char *node,
				const char *detail);
/* Whether doc is well-formed XML of at most IVR_DOC_MAX bytes in UTF-8:
 * NULL, or a catalogue key saying why not. */
const char *ivr_well_formed(const char *doc, size_t len);
/* A new flow's draft: a start node leading to a hang-up (malloc'd text,
 * the caller frees; NULL when out of memory). */
char *ivr_new_document(const char *name);

/* --- lock.c ------------------------------------------------------------------- */
/* 409 ivr.locked naming the lock's holder (row as read). */
const char *ivr_locked_by_other(struct req *r, const struct ivr_row *row);
/* What an edit's transaction (web_txn) gives when another admin holds the
 * flow's lock: the caller answers ivr_locked_by_other. */
extern const char IVR_LOCKED[];
/* In an edit's transaction: the flow read with its row locked (FOR
 * UPDATE), with the draft when draftp: NULL, "not_found",
 * "db_unavailable", or IVR_LOCKED. */
const char *ivr_txn_flow(struct req *r, const char *id, struct ivr_row *row, const char **draftp);

/* --- list.c: the replies the handlers share ------------------------------------- */
/* The list page (status; banner: a catalogue key shown above it, detail a
 * text after it, or NULL). */
const char *ivr_list_page(struct req *r, int status, const char *banner, const char *detail);
/* A refusal: JSON {ok:false, error, message, ...extra members} with
 * status, or the list page with message as its banner. extra may be
 * NULL (stolen). */
const char *ivr_refuse(struct req *r, int status, const char *error, const char *message,
		       json_t *extra);
/* A change done: JSON {ok:true, ...reply} (201 or 200), or to the list
 * with ?done=done. reply is stolen. */
const char *ivr_done(struct req *r, int status, json_t *reply, const char *done);
/* The key from the path, else NULL. */
const char *ivr_key(const struct req *r);
/* Checks a name (required) and a description: NULL or a catalogue key.
 * Values are trimmed (in the arena). */
const char *ivr_check_name(struct req *r, const char **name, const char *id);
const char *ivr_check_description(struct req *r, const char **d);
/* The text of a field error with {max} filled in. */
const char *ivr_field_message(struct req *r, const char *key);
/* Asks the B2BUA to re-read its directory (published flows); false when
 * it could not be reached. */
bool ivr_reload(struct req *r);
/* A flow's numbers as JSON [{id, number, name}]. */
json_t *ivr_numbers_json(const struct ivr_number *v, size_t n, const char *flow_id);

#endif
