/* Test calls through a flow document without the telephone (docs/ivr.md,
 * "Test calls"): POST /cc/api/admin/ivr/flows/{id}/simulate replays the
 * events a browser sends on a fresh call of the IVR interpreter
 * (common/ivr_run.h) whose ops record what would happen. */
#ifndef WEB_IVR_SIMULATE_H
#define WEB_IVR_SIMULATE_H

#include <jansson.h>
#include <stdbool.h>

#include "ivr_run.h"

/* The most events one simulation replays, and steps it reports. */
#define IVR_SIM_EVENTS_MAX 200
#define IVR_SIM_STEPS_MAX 1000

/* What a simulation needs from outside: where the schema and the zones
 * are, the audio library's names, the published sub-flows. */
struct ivr_sim_env {
	const char *schema;	/* ivr-flow.rng */
	const char *zoneinfo;	/* NULL: /usr/share/zoneinfo */
	unsigned flow_id;
	long long now;		/* ms since the epoch, the call's clock */
	bool auto_prompts;	/* prompts finish by themselves */
	/* An audio file's name, or NULL when there is none. */
	const char *(*audio_name)(void *arg, unsigned id);
	/* A published flow's program (a reference), or NULL. */
	struct ivr_prog *(*lookup)(void *arg, unsigned flow_id);
	void *arg;
};

/* Runs document doc through events (a JSON array). Returns {steps, waiting,
 * ended, problems} (problems: {code, node, line, detail}; when the document
 * cannot be read or built, steps is empty), or NULL with *err set to a
 * static reason ("bad_request": an event that is not one; "internal"). */
json_t *ivr_simulate(const struct ivr_sim_env *env, const char *doc, size_t len,
		     const json_t *events, const char **err);

/* The route (fcgi-app/route.h): ADMIN, CSRF, JSON. */
struct req;
const char *ivr_simulate_post(struct req *r);

#endif
