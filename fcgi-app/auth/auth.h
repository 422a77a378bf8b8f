/* Sign-in, sessions, CSRF tokens and the sign-in throttle. */
#ifndef WEB_AUTH_H
#define WEB_AUTH_H

#include "../web.h"

#include <time.h>

/* --- password.c: the host's scheme, lower-case hex md5(md5(plain)) ------- */
void password_hash(const char *plain, char out[33]);
/* True when plain matches stored. Does the same work when stored is NULL
 * (unknown user), and compares in constant time. */
bool password_check(const char *plain, const char *stored);

/* --- csrf.c --------------------------------------------------------------- */
/* A new random token: 64 hex digits. 0 or an errno value. */
int csrf_new(char out[65]);
/* True when given equals expected (constant time); false when either is
 * missing or empty. */
bool csrf_check(const char *expected, const char *given);
/* The sign-in form's token: HMAC(key, "login:" nonce), the nonce being in a
 * cookie (double submit bound to a server key). */
void csrf_login_token(const unsigned char key[32], const char *nonce, char out[65]);
bool csrf_login_check(const unsigned char key[32], const char *nonce, const char *given);
/* The token a POST carries: form field _csrf, else header X-CSRF-Token. */
const char *csrf_given(const struct req *r);
/* False for a POST whose Origin header names another host. */
bool csrf_origin_ok(const struct req *r);

/* --- nonce.c: the sign-in form's nonces, each good for one POST ---------- */
#define NONCE_TTL_S (12 * 3600)	/* a sign-in form older than this is shown again */
struct nonces;
int nonces_alloc(struct nonces **np);
void nonces_free(struct nonces *s);
/* A new nonce issued at now: 32 hex digits. 0 or an errno value. */
int nonce_new(char out[33], time_t now);
/* True when nonce is well formed, not too old and not used yet. */
bool nonce_fresh(struct nonces *s, const char *nonce, time_t now);
/* Uses nonce up: true when it was fresh (then never again). */
bool nonce_use(struct nonces *s, const char *nonce, time_t now);

/* --- throttle.c: failed sign-ins per key (username, address) -------------- */
/* Keys held at once. A locked key is never evicted (throttle.c says what
 * happens when every slot holds a lock). */
#define THROTTLE_SLOTS 2048
struct throttle;
int throttle_alloc(struct throttle **tp, unsigned max_failures, unsigned window_s,
		   unsigned lockout_s);
void throttle_free(struct throttle *t);
bool throttle_blocked(struct throttle *t, const char *key, time_t now);
void throttle_fail(struct throttle *t, const char *key, time_t now);
void throttle_clear(struct throttle *t, const char *key);

/* --- session.c ------------------------------------------------------------ */
#define SESSION_COOKIE "cc_session"
/* Loads the session named by the cookie into r->sess (NULL when none or
 * expired). Returns NULL, or "db_unavailable". */
const char *session_load(struct req *r);
/* Starts a session for user_id and sets its cookie. */
const char *session_start(struct req *r, const char *user_id);
/* Ends the request's session (row and cookie). */
const char *session_end(struct req *r);

#endif
