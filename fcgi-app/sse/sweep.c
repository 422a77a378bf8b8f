/* The sweeper: every 30 s ends the event streams whose session has ended
 * (idle or absolute expiry, or deleted at sign-out by another thread) and
 * deletes expired rows from cc_session. Its own database connection. */
#include "hub.h"

#include "db.h"
#include "log.h"
#include "../web.h"

#include <stdlib.h>

#define SWEEP_MS 30000
#define MAX_CHECK 4096

void *sweep_main(void *arg)
{
	struct hub *h = arg;
	struct web *w = hub_web(h);
	struct db *db = NULL;
	char (*hashes)[65] = malloc(MAX_CHECK * sizeof *hashes);
	if (!hashes || db_alloc(&db, &w->dbc)) {
		log_err("session sweeper: out of memory");
		free(hashes);
		return NULL;
	}
	while (!hub_sleep(h, SWEEP_MS)) {
		size_t n = hub_sessions(h, hashes, MAX_CHECK);
		for (size_t i = 0; i < n; i++) {
			char one[8];
			int rc = db_query_value(db, one, sizeof one,
				"SELECT 1 FROM cc_session WHERE token_hash = ? AND expires_at > NOW() "
				"AND last_seen_at > NOW() - INTERVAL ? MINUTE", "si", hashes[i],
				(long long)w->conf.session_idle_minutes);
			if (rc == 0)
				hub_end_session(h, hashes[i], "expired");
			if (rc < 0)
				break;	/* the database is away: try again next round */
		}
		if (db_exec(db, "DELETE FROM cc_session WHERE expires_at <= NOW() OR "
				"last_seen_at <= NOW() - INTERVAL ? MINUTE", "i",
			    (long long)w->conf.session_idle_minutes) < 0)
			log_warn("session sweep: %s", db_error(db));
	}
	db_free(db);
	free(hashes);
	return NULL;
}
