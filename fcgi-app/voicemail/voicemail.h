/* 留言 (voicemail): the messages an IVR flow's voicemail node recorded for
 * a skill group (table cc_voicemail, written by the B2BUA; files in the
 * voicemail folder, config voicemail_dir, never served by nginx).
 *
 *   db.c       who may see which rows; one row; the list
 *   list.c     GET the list (page or JSON), filtered by group and handled state
 *   play.c     GET the WAV for the page's <audio>, and as a download
 *   handle.c   POST "handled" (audited)
 *
 * An admin sees every group's messages; an agent those of the groups they
 * are a member of; anyone else none (403). The file's name is the row's,
 * checked to be one the B2BUA makes: nothing from a request names a path. */
#ifndef WEB_VOICEMAIL_H
#define WEB_VOICEMAIL_H

#include "../route.h"
#include "../tmpl/tmpl.h"

#define VM_PER_PAGE 20
/* The largest file read: 600 s of 8 kHz 16-bit audio and its header. */
#define VM_MAX_BYTES (600u * 16000u + 4096u)

/* The columns a row is read with, in order (struct vm's members). */
#define VM_COLS(X) \
	X(id) X(call_id) X(group_id) X(group_name) X(caller) X(file) X(duration_ms) \
	X(created_at) X(handled_by) X(handled_name) X(handled_at)

struct vm {
#define VM_MEMBER(c) const char *c;
	VM_COLS(VM_MEMBER)
#undef VM_MEMBER
};

struct vm_query {
	unsigned group;		/* 0: every group the user sees */
	int handled;		/* -1: both, 0: not handled, 1: handled */
	long long page, per_page;
};

/* --- db.c ----------------------------------------------------------------------- */
/* NULL when the session may see voicemail at all, else "forbidden". */
const char *vm_allowed(const struct req *r);
/* Row id as the user may see it: 1 found, 0 none (or not theirs), -1 error. */
int vm_db_get(struct req *r, const char *id, struct vm *v);
/* The page of rows q asks for, newest first, and how many match. 0 or -1. */
int vm_db_list(struct req *r, const struct vm_query *q, struct vm **rows, size_t *n,
	       long long *total);
/* The groups the user sees (for the filter): "id", "name" pairs. 0 or -1. */
int vm_db_groups(struct req *r, const char ***pairs, size_t *n);
/* A member-by-member JSON object of the row (for the API and the audit log). */
json_t *vm_json(const struct vm *v);

#endif
