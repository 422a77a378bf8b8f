/* The audio library (流程管理 > 音频): prompts and music the B2BUA plays
 * (table cc_audio, files in the audio folder shared with it). See
 * docs/audio.md.
 *
 *   store.c    the files: generated names, atomic writes, reading, removal
 *   db.c       the rows: list, one, insert, update, delete, name checks
 *   uses.c     who uses a file (AUDIO_USES), for the list and for delete
 *   doc.c      the pages' data documents (templates/audio.xsl)
 *   list.c     GET the list (page or JSON)
 *   upload.c   GET the upload form, POST an upload (multipart)
 *   tts.c      POST a prompt spoken by espeak-ng
 *   item.c     GET one file's page or JSON, POST rename/description/kind
 *   delete.c   POST delete (refused while the file is used)
 *   play.c     GET the converted file (<audio>) and the original (download)
 *
 * Every change is one transaction with its audit record ("audio", id,
 * "upload"|"tts"|"update"|"delete"), and then the B2BUA re-reads its
 * directory. File names never come from a request: they are made here
 * (u<16 hex>.wav, u<16 hex>.orig.wav) and read back from the row. */
#ifndef WEB_AUDIO_H
#define WEB_AUDIO_H

#include "../route.h"
#include "../tmpl/tmpl.h"

#include "wav.h"

/* The largest file accepted, and the longest name and description. */
#define AUDIO_MAX_BYTES (5 * 1024 * 1024)
#define AUDIO_NAME_MAX 64
#define AUDIO_DESC_MAX 255
#define AUDIO_ORIG_NAME_MAX 255
#define AUDIO_PER_PAGE 20
#define AUDIO_Q_MAX 64

/* The columns a row is read with, in order (struct audio's members). */
#define AUDIO_COLS(X) \
	X(id) X(name) X(description) X(kind) X(source) X(filename) X(original_file) \
	X(original_name) X(codec) X(sample_rate) X(channels) X(bits) X(duration_ms) X(size) \
	X(original_size) X(created_by) X(uploaded_by) X(created_at) X(updated_at) X(tts_voice) \
	X(tts_text)

/* One row, as text (NULL for SQL NULL), in the request's arena. */
struct audio {
#define AUDIO_MEMBER(c) const char *c;
	AUDIO_COLS(AUDIO_MEMBER)
#undef AUDIO_MEMBER
};

/* Columns the list sorts by: X(name in ?sort=, SQL column). */
#define AUDIO_SORTS(X) \
	X(name, name) X(kind, kind) X(duration, duration_ms) X(size, original_size) \
	X(uploaded, created_at)

/* Where a file is used: a column of another table holding cc_audio.id.
 * Deleting a file something uses is refused with the list of its users.
 * A feature that refers to audio (IVR flows, ...) adds its row here. */
struct audio_use {
	const char *table, *column;	/* the reference */
	const char *key;		/* that table's key (for links) */
	const char *label;		/* SQL expression naming the user (ours, never a request's) */
	const char *what;		/* catalogue key: how it uses the file */
	const char *href;		/* the user's page: href + key, or NULL */
};
extern const struct audio_use audio_uses[];
extern const size_t audio_nuses;

/* The list's parameters. */
struct audio_query {
	const char *q;		/* search text or NULL */
	int sort;		/* index in AUDIO_SORTS */
	bool desc;
	long long page, per_page;
};

/* --- store.c --------------------------------------------------------------- */
/* Makes a fresh base name "u<16 hex>" (in a); NULL on failure. */
char *audio_store_name(struct arena *a);
/* Writes data to dir/name through a temporary file and rename (readers
 * never see half a file). 0, or -1 (logged). */
int audio_store_write(struct req *r, const char *name, const void *data, size_t len);
/* Reads dir/name whole into the arena (at most max bytes). 1 read, 0 no
 * such file, -1 error (logged). name must be one of ours: no '/', no
 * leading '.'. */
int audio_store_read(struct req *r, const char *name, size_t max, unsigned char **datap,
		     size_t *lenp);
/* Removes dir/name; a missing file is fine. */
void audio_store_remove(struct req *r, const char *name);

/* --- db.c ------------------------------------------------------------------ */
/* One row by id: 1 found, 0 not, -1 database error. lock: FOR UPDATE. */
int audio_db_get(struct req *r, const char *id, bool lock, struct audio *out);
/* The page of the list and the number of matching rows (q->page clamped to
 * the last). -1 on a database error. */
int audio_db_list(struct req *r, struct audio_query *q, struct audio **rowsp, size_t *np,
		  long long *totalp);
/* Another row (not id; NULL: any) already has name: 1, 0, -1. */
int audio_db_name_taken(struct req *r, const char *name, const char *id);
/* Inserts a row from a's members (id ignored); *idp the new id. 0 or -1. */
int audio_db_insert(struct req *r, const struct audio *a, const char **idp);
/* Sets name, description, kind of row id. 0 or -1. */
int audio_db_update(struct req *r, const char *id, const char *name, const char *description,
		    const char *kind);
int audio_db_delete(struct req *r, const char *id);
/* Fills in the format facts of a row that has none (a system prompt) from
 * its file; a no-op when the row has them or the file is unreadable. */
void audio_db_probe(struct req *r, struct audio *a);
/* The row as JSON (numbers as numbers). */
json_t *audio_json(const struct audio *a);

/* --- uses.c ---------------------------------------------------------------- */
struct audio_user {
	const char *audio_id;	/* the file used */
	size_t use;		/* index in audio_uses */
	const char *key, *label;
};
/* The users of the file id, or of every file (id NULL). lock (inside a
 * transaction): FOR UPDATE, so that nothing starts using the file before
 * the transaction ends (delete.c). 0 or -1. */
int audio_users(struct req *r, const char *id, bool lock, struct audio_user **usersp,
		size_t *np);
json_t *audio_users_json(struct req *r, const struct audio_user *u, size_t n);

/* --- doc.c ----------------------------------------------------------------- */
/* The page's data document: page_begin ("admin"), the side navigation,
 * and <audio view=…>, which it returns. NULL when out of memory. */
xmlNode *audio_page_begin(struct req *r, const char *view, xmlDoc **docp);
/* <file> for a row, with its users (those of u[0..n) whose audio_id is
 * its id). */
xmlNode *audio_doc_file(struct req *r, xmlNode *parent, const struct audio *a,
			const struct audio_user *u, size_t n);
/* The upload form's fields again with what was typed and the messages
 * (catalogue text; NULL: none). */
struct audio_form {
	const char *name, *description, *kind, *tts_text, *tts_voice;
	const char *err_file, *err_name, *err_description, *err_kind, *err_tts_text,
		*err_tts_voice;
	const char *banner;	/* catalogue key above the form, or NULL */
};
void audio_doc_form(xmlNode *parent, const char *tag, const struct audio_form *f);

/* --- item.c ------------------------------------------------------------------ */
/* One file's page: the player, facts, users, the edit form (f's values
 * over the row's) and, when a delete was refused, why (refusal). */
const char *audio_item_page(struct req *r, const struct audio *a, const struct audio_form *f,
			    const struct audio_user *users, size_t nusers, const char *refusal,
			    int status);

/* --- upload.c ---------------------------------------------------------------- */
/* The upload page (upload and text-to-speech forms) with f shown again in
 * the form named which ("upload" or "tts"); status 200, 413, 422, 503. */
const char *audio_upload_page(struct req *r, const char *which, const struct audio_form *f,
			      int status);
/* Stores a new file: the converted bytes (and the original, when orig is
 * not NULL), its row from a (filename, original_file, created_by,
 * uploaded_by and the sizes are filled in here) and the audit record
 * (action) in one transaction. On failure nothing is left behind. 0 with
 * *idp, or -1 (storage: *why "audio.err.store"; database: "audio.err.db"). */
int audio_add(struct req *r, struct audio *a, const unsigned char *conv, size_t conv_len,
	      const unsigned char *orig, size_t orig_len, const char *action, const char **idp,
	      const char **why);
/* A name for a new file named by default (after its file, or its text)
 * when base is taken: "base (2)", "base (3)", ... within the name's length;
 * NULL when none is free or the database failed. */
const char *audio_free_name(struct req *r, const char *base);
/* After a new file id: the B2BUA reloads; the list (page, 303) or the row
 * (JSON, 201). */
const char *audio_added(struct req *r, const char *id);

/* --- shared by the handlers (list.c) ------------------------------------------ */
/* The key from the path: a positive integer, else NULL. */
const char *audio_key(const struct req *r);
/* Asks the B2BUA to re-read its directory; false when it could not be
 * reached (the change is saved, the page says it waits). */
bool audio_reload(struct req *r);
/* Checks a name (required), a description and a kind; catalogue keys or
 * NULL. Values are trimmed in place (*name etc. may change). */
const char *audio_check_name(struct req *r, const char **name, const char *id);
const char *audio_check_description(struct req *r, const char **d);
const char *audio_check_kind(const char *kind);
/* A catalogue text with "{k}" replaced by v. */
char *audio_fill(struct req *r, const char *text, const char *k, const char *v);
/* A parameter of the body (form, multipart field or JSON). */
const char *audio_param(const struct req *r, const char *name);

#endif
