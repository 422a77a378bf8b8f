/* Sign-in: GET/POST /cc/login.
 *
 * The form carries an HMAC of a nonce cookie (cc_pre) as its CSRF token;
 * a nonce is good for one POST (auth/nonce.c).
 * A failed sign-in says only that the username or password is wrong, and
 * counts against both the username and the address; too many failures
 * refuse either for a while (auth/throttle.c). */
#include "../auth/auth.h"
#include "db.h"
#include "hash.h"
#include "log.h"
#include "../route.h"
#include "../sse/hub.h"
#include "../tmpl/page.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PRE_COOKIE "cc_pre"

static const char *home_of(const struct session *s)
{
	return s->agent ? "/cc/workbench" : s->admin ? "/cc/admin"
	       : s->outbound ? "/cc/admin/tasks"
			     : "/cc/wallboard";
}

/* Renders the form; error_key is a catalogue key or NULL. */
static const char *show_form(struct req *r, const char *username, const char *error_key, int status)
{
	/* The cookie's nonce while it may still be used (a form shown again
	 * after a refused sign-in needs a new one: that one is used up). */
	const char *nonce = req_cookie(r, PRE_COOKIE);
	if (!nonce_fresh(r->web->nonces, nonce, time(NULL))) {
		char fresh[33];
		if (nonce_new(fresh, time(NULL)))
			return "internal";
		nonce = arena_strdup(r->a, fresh);
		cookie_set(r, PRE_COOKIE, nonce, -1, true);
	}
	char token[65];
	csrf_login_token(r->web->login_key, nonce, token);
	xmlDoc *doc;
	xmlNode *root = page_begin(r, "login", &doc);
	if (!root)
		return "internal";
	xd_attr(root, "csrf", token);
	xmlNode *f = xd_el(root, "login");
	xd_attr(f, "username", username);
	xd_attr(f, "error", error_key);
	return page_finish(r, doc, "login", status);
}

const char *login_get(struct req *r)
{
	if (r->sess && (r->sess->agent || r->sess->admin)) {
		resp_redirect(r, home_of(r->sess));
		return NULL;
	}
	return show_form(r, NULL, NULL, 200);
}

struct login_user {
	struct arena *a;
	bool found;
	char *id, *password;
	bool admin, agent, outbound, monitor;
};

static int user_row(void *arg, int ncol, char **v, unsigned long *lens)
{
	struct login_user *u = arg;
	(void)lens;
	if (ncol < 8)
		return 1;
	u->found = true;
	u->id = arena_strdup(u->a, v[0] ? v[0] : "");
	u->password = arena_strdup(u->a, v[3]);
	u->admin = v[4] && atoi(v[4]);
	u->agent = v[5] && atoi(v[5]);
	u->outbound = v[6] && atoi(v[6]);
	u->monitor = v[7] && atoi(v[7]);
	return 1;
}

const char *login_post(struct req *r)
{
	const char *username = req_param(r, "username");
	const char *password = req_param(r, "password");
	if (!username || !password || !*username || strlen(username) > 100 ||
	    strlen(password) > 256)
		return show_form(r, username && strlen(username) <= 100 ? username : NULL,
				 "login.wrong", 200);
	char *ukey = arena_printf(r->a, "u:%s", username);
	for (char *p = ukey; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	char *akey = arena_printf(r->a, "a:%s", r->remote_addr);
	time_t now = time(NULL);
	struct throttle *th = r->web->throttle, *tha = r->web->throttle_addr;
	if (throttle_blocked(th, ukey, now) || throttle_blocked(tha, akey, now)) {
		log_warn("sign-in refused for a while: too many failures (from %s)", r->remote_addr);
		return show_form(r, username, "login.throttled", 429);
	}

	struct login_user u = { .a = r->a };
	if (db_query(r->thr->db, r->web->sql.login_user, user_row, &u, "s", username) < 0) {
		log_err("sign-in lookup failed: %s", db_error(r->thr->db));
		return "db_unavailable";
	}
	/* Once the account is known, failures count against it, not against
	 * the spelling: the database matches "agent3", "AGENT3", "agént3" and
	 * "agent3 " to the same user, and each spelling must not bring fresh
	 * guesses. */
	char *idkey = u.found ? arena_printf(r->a, "i:%s", u.id) : NULL;
	if (idkey && throttle_blocked(th, idkey, now)) {
		log_warn("sign-in refused for a while: too many failures for one account (from %s)",
			 r->remote_addr);
		return show_form(r, username, "login.throttled", 429);
	}
	if (!password_check(password, u.found ? u.password : NULL)) {
		throttle_fail(th, idkey ? idkey : ukey, now);
		throttle_fail(tha, akey, now);
		log_info("sign-in failed (from %s)", r->remote_addr);
		return show_form(r, username, "login.wrong", 200);
	}
	if (!u.admin && !u.agent && !u.outbound && !u.monitor)
		return show_form(r, username, "login.no_role", 403);

	throttle_clear(th, ukey);
	if (idkey)
		throttle_clear(th, idkey);
	if (r->sess) {
		hub_end_session(r->web->hub, r->sess->token_hash, "signed_out");
		session_end(r);
	}
	const char *why = session_start(r, u.id);
	if (why)
		return why;
	if (r->web->sql.touch_login &&
	    db_exec(r->thr->db, r->web->sql.touch_login, "s", u.id) < 0)
		log_warn("lastlogintime update failed: %s", db_error(r->thr->db));
	cookie_set(r, PRE_COOKIE, "", 0, true);
	log_info("user %s signed in (from %s)", u.id, r->remote_addr);
	struct session s = { .admin = u.admin, .agent = u.agent, .outbound = u.outbound,
			     .monitor = u.monitor };
	resp_redirect(r, home_of(&s));
	return NULL;
}
