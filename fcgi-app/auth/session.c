/* Sessions in cc_session: the cookie carries a random token, the table only
 * its SHA-256. A session ends after session_idle_minutes without a request,
 * session_max_hours after sign-in, or at sign-out. The user's roles are read
 * from the host with every request, so a revoked role takes effect at once. */
#include "auth.h"

#include "db.h"
#include "hash.h"
#include "log.h"
#include "rnd.h"

#include <stdlib.h>
#include <string.h>

static bool token_ok(const char *t)
{
	if (!t || strlen(t) != 64)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

struct loaded {
	struct arena *a;
	struct session *s;
};

static int session_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct loaded *l = arg;
	(void)lens;
	if (ncol < 8)
		return 1;
	struct session *s = arena_alloc(l->a, sizeof *s);
	if (!s)
		return 1;
	s->user_id = arena_strdup(l->a, v[0] ? v[0] : "");
	s->username = arena_strdup(l->a, v[1] ? v[1] : "");
	s->name = arena_strdup(l->a, v[2] && *v[2] ? v[2] : s->username);
	snprintf(s->csrf, sizeof s->csrf, "%s", v[3] ? v[3] : "");
	s->admin = v[4] && atoi(v[4]);
	s->agent = v[5] && atoi(v[5]);
	s->outbound = s->admin || (v[6] && atoi(v[6]));
	s->monitor = s->admin || (v[7] && atoi(v[7]));
	l->s = s;
	return 1;
}

const char *session_load(struct req *r)
{
	r->sess = NULL;
	const char *token = req_cookie(r, SESSION_COOKIE);
	if (!token_ok(token))
		return NULL;
	char hash[65];
	hash_sha256_hex(token, 64, hash);
	struct loaded l = { r->a, NULL };
	int n = db_query(r->thr->db, r->web->sql.session_user, session_row, &l, "si", hash,
			 (long long)r->web->conf.session_idle_minutes);
	if (n < 0) {
		log_err("session lookup failed: %s", db_error(r->thr->db));
		return "db_unavailable";
	}
	if (!l.s)
		return NULL;
	memcpy(l.s->token_hash, hash, sizeof hash);
	r->sess = l.s;
	/* Idle expiry counts from the last request; a minute's precision saves
	 * a write per request. */
	if (db_exec(r->thr->db, "UPDATE cc_session SET last_seen_at = NOW() WHERE token_hash = ? "
				"AND last_seen_at < NOW() - INTERVAL 1 MINUTE", "s", hash) < 0)
		log_warn("session touch failed: %s", db_error(r->thr->db));
	return NULL;
}

const char *session_start(struct req *r, const char *user_id)
{
	char token[65], hash[65], csrf[65];
	if (rnd_hex(token, 32) || csrf_new(csrf))
		return "internal";
	hash_sha256_hex(token, 64, hash);
	if (db_exec(r->thr->db,
		    "INSERT INTO cc_session (token_hash, user_id, csrf, created_at, expires_at, "
		    "last_seen_at) VALUES (?, ?, ?, NOW(), NOW() + INTERVAL ? HOUR, NOW())",
		    "sssi", hash, user_id, csrf, (long long)r->web->conf.session_max_hours) < 0) {
		log_err("session insert failed: %s", db_error(r->thr->db));
		return "db_unavailable";
	}
	char *value = arena_strdup(r->a, token);
	if (!value || cookie_set(r, SESSION_COOKIE, value, -1, true))
		return "internal";
	return NULL;
}

const char *session_end(struct req *r)
{
	cookie_set(r, SESSION_COOKIE, "", 0, true);
	if (!r->sess)
		return NULL;
	if (db_exec(r->thr->db, "DELETE FROM cc_session WHERE token_hash = ?", "s",
		    r->sess->token_hash) < 0) {
		log_err("session delete failed: %s", db_error(r->thr->db));
		return "db_unavailable";
	}
	return NULL;
}
