/* The call flows in one process: the real event loop, the real SIP stack,
 * the real call, ACD and flow code, wired as main.c wires them; a fake
 * rtpengine (fake_rtpengine.h) and a fake database (fake_db.h); SIP on
 * loopback sockets to a peer that is the gateway and the agents' phones
 * (sip_peer.h). Each case is one of the inbound flows the integration
 * tests drive through the whole stack, and what cannot be staged there
 * (rtpengine failing one request, a caller leaving while media is set up,
 * a controller's keys and timer). The last case checks that every row of
 * the call state machine's table was taken by some call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2bua/acd/acd_priv.h"
#include "b2bua/call/call_priv.h"
#include "b2bua/core/bus.h"
#include "b2bua/core/core.h"
#include "b2bua/db/dbq.h"
#include "b2bua/dir/dir.h"
#include "b2bua/flow/flow.h"
#include "b2bua/lookup/contact.h"
#include "b2bua/media/dtmf.h"
#include "b2bua/media/ng.h"
#include "b2bua/media/rtpe.h"
#include "b2bua/media/rtp_sink.h"
#include "b2bua/sip/sip.h"
#include "ivr_run.h"
#include "log.h"
#include "manifest.h"

#include "fake_db.h"
#include "fake_rtpengine.h"
#include "sip_peer.h"
#include "support.h"

#define A1 "0u000000000000000000000000000002"
#define A2 "0u000000000000000000000000000003"
#define A3 "0u000000000000000000000000000004"
#define CONTACT "0c000000000000000000000000000001"
#define KNOWN_CALLER "13800138000"
#define EXT_NUMBER "13912345678"

struct env {
	struct t_core t;
	struct frtp rtp;
	struct manifest *mf;
	struct phone_rules phone;
	struct dbq *dbq;
	struct rtpe_set *rtpes;
	struct dtmf_listener *dtmf;
	struct sip *sip;
	struct lookup *lookup;
	struct acd *acd;
	struct flow_router *router;
	struct calls *calls;
	struct dir *dir;
	struct peer peer;
	struct phone a1, a2, a3;
	struct phone ext;	/* an external number behind the outbound gateway */
	struct phone sup;	/* a supervisor's phone (call_monitor) */
	unsigned mark;		/* events seen before the current case */
	char vm_dir[64];	/* voicemail_dir */
};

static struct env *E;

/* --- a controller of the test's own, on number 4100 -------------------------------- */

static struct {
	char digits[16];
	unsigned prompts, timers;
} tc;

static void tc_start(struct call *call, void *state)
{
	(void)state;
	call_timer(call, 30);
}

static void tc_signal(struct call *call, void *state, enum call_signal sig, char digit)
{
	(void)state;
	switch (sig) {
	case CSIG_TIMER:
		tc.timers++;
		call_play(call, "/audio/menu.wav");
		break;
	case CSIG_PROMPT_DONE:
		tc.prompts++;
		break;
	case CSIG_DTMF: {
		size_t n = strlen(tc.digits);
		if (n + 1 < sizeof tc.digits)
			tc.digits[n] = digit;
		if (digit == '#') {
			/* The queue lives as long as the call: call_enqueue keeps it. */
			static const struct call_queue q = { .group = 1, .max_wait_s = 30,
							     .ring_timeout_s = 30 };
			call_enqueue(call, &q);
		}
		break;
	}
	default:
		call_hangup(call, RESULT_NO_AGENT, "no agent");
		break;
	}
}

static const struct call_ctrl test_ctrl = { "test", tc_start, tc_signal };

/* The router: the built-in flows, and the test's controller on 4100. */
static const char *route(void *arg, struct call *call, const char *callee)
{
	if (!strcmp(callee, "4100")) {
		call_set_number(call, 100, 1);
		call_set_controller(call, &test_ctrl, NULL);
		return NULL;
	}
	return flow_route(arg, call, callee);
}

/* --- set-up ----------------------------------------------------------------------- */

static void set_str(char **slot, const char *v)
{
	free(*slot);
	*slot = strdup(v);
}

static struct dir *directory(void)
{
	struct dir *d = dir_new("/audio");
	/* Whole seconds: a phone rings 30 s unless the case needs a ring-out,
	 * a call waits 30 s unless the case is about giving up. Nothing a case
	 * checks depends on a timer racing another. */
	const struct dir_group groups[] = {
		{ .id = 1, .name = "main", .ring_timeout_s = 30, .max_wait_s = 30, .moh_audio = 3,
		  .noagent_audio = 2 },
		{ .id = 2, .name = "short wait", .ring_timeout_s = 30, .max_wait_s = 2, .moh_audio = 3 },
		{ .id = 3, .name = "closing", .ring_timeout_s = 30, .max_wait_s = 1, .noagent_audio = 2 },
		{ .id = 4, .name = "ring-out", .ring_timeout_s = 1, .max_wait_s = 30, .no_answer_break = 1 },
		{ .id = 5, .name = "wrap-up", .ring_timeout_s = 30, .max_wait_s = 30, .wrapup_s = 1 },
		{ .id = 6, .name = "unstaffed: hang up", .ring_timeout_s = 30, .max_wait_s = 30,
		  .no_agent_action = DIR_HANGUP, .noagent_audio = 2 },
		{ .id = 7, .name = "overflows", .ring_timeout_s = 30, .max_wait_s = 1,
		  .max_wait_action = DIR_OVERFLOW, .overflow_group = 8, .noagent_audio = 2 },
		{ .id = 8, .name = "overflow target", .ring_timeout_s = 30, .max_wait_s = 30 },
		{ .id = 9, .name = "overflows into itself", .ring_timeout_s = 30, .max_wait_s = 1,
		  .max_wait_action = DIR_OVERFLOW, .overflow_group = 9, .noagent_audio = 2 },
		{ .id = 10, .name = "announces", .ring_timeout_s = 30, .max_wait_s = 30, .moh_audio = 3,
		  .announce_interval_s = 1, .announce_position = true, .announce_wait = true,
		  .announce_audio = 1 },
		{ .id = 11, .name = "ring all", .strategy = "ring_all", .ring_timeout_s = 30,
		  .max_wait_s = 30, .no_answer_break = 1 },
		{ .id = 12, .name = "ring all, short", .strategy = "ring_all", .ring_timeout_s = 1,
		  .max_wait_s = 30, .no_answer_break = 1 },
	};
	for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
		dir_add_group(d, &groups[i]);
	dir_add_audio(d, 1, "welcome", "welcome.wav");
	dir_add_audio(d, 2, "noagent", "noagent.wav");
	dir_add_audio(d, 3, "moh", "moh.wav");
	const struct dir_number numbers[] = {
		{ .id = 1, .number = "4001", .group = 1, .welcome_audio = 1 },
		{ .id = 2, .number = "4002", .group = 2 },
		{ .id = 3, .number = "4003" },
		{ .id = 4, .number = "4004", .group = 3 },
		{ .id = 5, .number = "4005", .group = 5 },
		{ .id = 6, .number = "4006", .group = 4 },
		{ .id = 7, .number = "4007", .group = 6 },
		{ .id = 8, .number = "4008", .group = 7 },
		{ .id = 9, .number = "4009", .group = 9 },
		/* Kept in E.164; dialed as the national number. */
		{ .id = 10, .number = "+861058001234", .group = 1 },
		{ .id = 11, .number = "4011", .group = 10 },
		{ .id = 12, .number = "4012", .group = 11 },
		{ .id = 13, .number = "4013", .group = 12 },
	};
	for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
		dir_add_number(d, &numbers[i]);
	/* 4020 answers with IVR flow 20: a menu whose key 1 queues in group
	 * 1; no key within 1 s (no retry) hangs up with a cause. */
	static const char flow[] =
		"<flow xmlns='urn:cc:ivr-flow:1' name='menu'>"
		"<start id='start' next='menu'/>"
		"<menu id='menu' fallback='bye' timeout-s='1' retries='0'>"
		"<prompt audio='1'/><key digit='1' next='q'/></menu>"
		"<queue id='q' group='1' next='bye'/>"
		"<hangup id='bye' cause='no choice'/>"
		"</flow>";
	/* 4021: flow 21 queues in group 1 and, once the agent hung up, asks
	 * the caller for a survey key (1 or 2). */
	static const char survey[] =
		"<flow xmlns='urn:cc:ivr-flow:1' name='survey'>"
		"<start id='start' next='q'/>"
		"<queue id='q' group='1' next='bye' after='sv'/>"
		"<survey id='sv' keys='12' timeout-s='10' next='bye'><prompt audio='1'/></survey>"
		"<hangup id='bye'/>"
		"</flow>";
	/* 4022: flow 22 queues in group 1 with priority 5; 4023: flow 23 in
	 * group 1, the agent who served the caller last first. */
	static const char priority[] =
		"<flow xmlns='urn:cc:ivr-flow:1' name='priority'><start id='start' next='q'/>"
		"<queue id='q' group='1' priority='5' next='bye'/><hangup id='bye'/></flow>";
	static const char familiar[] =
		"<flow xmlns='urn:cc:ivr-flow:1' name='familiar'><start id='start' next='q'/>"
		"<queue id='q' group='1' familiar='true' next='bye'><attach var='callee'/></queue>"
		"<hangup id='bye'/></flow>";
	/* 4024: flow 24 transfers to agent3; not reached, it hangs up. */
	static const char to_agent[] =
		"<flow xmlns='urn:cc:ivr-flow:1' name='agent'><start id='start' next='a'/>"
		"<agent id='a' agent='" A3 "' next='bye'/><hangup id='bye' cause='not reached'/></flow>";
	/* 4025: flow 25 branches on the caller's record (its gender field). */
	static const char by_contact[] =
		"<flow xmlns='urn:cc:ivr-flow:1' name='contact'><start id='start' next='b'/>"
		"<branch id='b' else='other'><case next='known'>"
		"<if var='contact_gender' op='eq' value='male'/></case></branch>"
		"<hangup id='known' cause='${contact_name}'/><hangup id='other' cause='unknown'/></flow>";
	const struct { const char *xml; size_t len; unsigned id; const char *number; } flows[] = {
		{ to_agent, sizeof to_agent - 1, 24, "4024" },
		{ by_contact, sizeof by_contact - 1, 25, "4025" },
		{ flow, sizeof flow - 1, 20, "4020" }, { survey, sizeof survey - 1, 21, "4021" },
		{ priority, sizeof priority - 1, 22, "4022" },
		{ familiar, sizeof familiar - 1, 23, "4023" },
	};
	for (size_t i = 0; i < sizeof flows / sizeof *flows; i++) {
		struct ivr_problems p = { 0 };
		struct ivr_flow *f = NULL;
		struct ivr_prog *prog = NULL;
		if (!ivr_parse(flows[i].xml, flows[i].len, NULL, &f, &p) &&
		    !ivr_prog_build(&prog, f, flows[i].id, NULL, &p))
			dir_add_prog(d, flows[i].id, prog);
		ivr_free(f);
		ivr_problems_free(&p);
		struct dir_number n = { .id = flows[i].id, .number = flows[i].number,
					.flow = flows[i].id };
		dir_add_number(d, &n);
	}
	/* 4031 answers with IVR flow 31: a prompt, then a voicemail of at
	 * most 1 s for group 1, then a hang-up. 4032: the same up to 60 s. */
	static const char *const vm_flows[] = {
		"<flow xmlns='urn:cc:ivr-flow:1' name='vm'>"
		"<start id='start' next='vm'/>"
		"<voicemail id='vm' group='1' max-s='1' next='bye'><prompt audio='1'/></voicemail>"
		"<hangup id='bye' cause='recorded'/>"
		"</flow>",
		"<flow xmlns='urn:cc:ivr-flow:1' name='vm long'>"
		"<start id='start' next='vm'/>"
		"<voicemail id='vm' group='1' max-s='60' next='bye'/>"
		"<hangup id='bye' cause='recorded'/>"
		"</flow>",
	};
	for (unsigned i = 0; i < 2; i++) {
		unsigned id = 31 + i;
		struct ivr_problems vp = { 0 };
		struct ivr_flow *vf = NULL;
		struct ivr_prog *vprog = NULL;
		if (!ivr_parse(vm_flows[i], strlen(vm_flows[i]), NULL, &vf, &vp) &&
		    !ivr_prog_build(&vprog, vf, id, NULL, &vp))
			dir_add_prog(d, id, vprog);
		ivr_free(vf);
		ivr_problems_free(&vp);
		char num[8];
		snprintf(num, sizeof num, "40%u", id);
		struct dir_number vn = { .id = id, .number = num, .flow = id };
		dir_add_number(d, &vn);
	}
	/* 4041 dials an external number showing 4099 (a number for calling
	 * out); 4042 shows 4098, which is not one; both hang up when it is not
	 * reached. */
	static const char *const dial_flows[] = {
		"<flow xmlns='urn:cc:ivr-flow:1' name='dial'>"
		"<start id='start' next='d'/>"
		"<dial id='d' number='" EXT_NUMBER "' caller-id='4099' next='bye'/>"
		"<hangup id='bye' cause='not reached'/></flow>",
		"<flow xmlns='urn:cc:ivr-flow:1' name='dial as'>"
		"<start id='start' next='d'/>"
		"<dial id='d' number='" EXT_NUMBER "' caller-id='4098' next='bye'/>"
		"<hangup id='bye' cause='not reached'/></flow>",
	};
	for (unsigned i = 0; i < 2; i++) {
		struct ivr_problems dp = { 0 };
		struct ivr_flow *df = NULL;
		struct ivr_prog *dprog = NULL;
		if (!ivr_parse(dial_flows[i], strlen(dial_flows[i]), NULL, &df, &dp) &&
		    !ivr_prog_build(&dprog, df, 41 + i, NULL, &dp))
			dir_add_prog(d, 41 + i, dprog);
		ivr_free(df);
		ivr_problems_free(&dp);
		struct dir_number dn = { .id = 41 + i, .number = i ? "4042" : "4041", .flow = 41 + i };
		dir_add_number(d, &dn);
	}
	dir_add_caller_id(d, "4099");
	/* The agents' first group with an outbound number: their own calls
	 * show 4099 and wrap up 1 s. */
	dir_add_group_caller_id(d, 5, "4099");
	static const char *const ids[] = { A1, A2, A3 };
	static const char *const sips[] = { "1001", "1002", "1003" };
	for (int i = 0; i < 3; i++) {
		struct dir_agent a = { .id = ids[i], .name = sips[i], .login = sips[i], .sip = sips[i] };
		dir_add_agent(d, &a);
		for (unsigned g = 1; g <= 12; g++)
			dir_add_member(d, g, ids[i], 1);
	}
	return dir_done(d);
}

static void on_dtmf(const struct dtmf_event *ev, void *arg)
{
	calls_dtmf(arg, ev->call_id, ev->source_tag, ev->digit);
}

static int group_setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	E = e;
	*state = e;	/* the teardown frees what a failed set-up made */
	char err[256] = "";
	if (!e || t_core_init(&e->t) || frtp_start(&e->rtp, e->t.core.root) ||
	    peer_start(&e->peer, e->t.core.root))
		return -1;
	struct b2bua_conf *c = &e->t.conf;
	char addr[64];
	snprintf(addr, sizeof addr, "127.0.0.1:%u", e->peer.port);
	set_str(&c->sip_proxy, addr);
	c->sip_t1x64_ms = 1000;
	c->moh_delay_ms = 5000;
	/* Voicemails go to a folder of the test's own, on any free port. */
	snprintf(e->vm_dir, sizeof e->vm_dir, "/tmp/cc-callflow-vm-XXXXXX");
	if (!mkdtemp(e->vm_dir))
		return -1;
	set_str(&c->voicemail_dir, e->vm_dir);
	c->record_port_min = c->record_port_max = 0;
	b2bua_conf_phone(c, &e->phone);
	struct db_conf dbc = { 0 };
	snprintf(addr, sizeof addr, "127.0.0.1:%u", e->rtp.port);
	if (manifest_load(&e->mf, "plugin-manifest.xml", "schemas/plugin-manifest.rng", err,
			  sizeof err) ||
	    dbq_alloc(&e->dbq, e->t.core.root, &dbc, 1, 1, 10000, 5, 2) ||
	    rtpe_set_alloc(&e->rtpes, e->t.core.root,
			   &(struct rtpe_conf){ .addrs = addr, .timeout_ms = 1000, .tries = 3 }, err,
			   sizeof err) ||
	    lookup_alloc(&e->lookup, &e->t.core, e->dbq, e->mf, &e->phone) ||
	    acd_alloc(&e->acd, &e->t.core, e->dbq, &calls_acd_ops) ||
	    flow_router_alloc(&e->router, &e->phone)) {
		fprintf(stderr, "set-up failed: %s\n", err);
		return -1;
	}
	/* A free port may be taken by another process before the B2BUA binds
	 * it: then another. */
	for (int tries = 0; !e->sip && tries < 5; tries++) {
		unsigned short port = peer_free_port();
		snprintf(addr, sizeof addr, "127.0.0.1:%u", port);
		set_str(&c->sip_listen, addr);
		e->peer.b2bua_port = port;
		if (sip_alloc(&e->sip, &e->t.core))
			e->sip = NULL;
	}
	if (!e->sip)
		return -1;
	struct calls_env env = {
		.core = &e->t.core, .sip = e->sip, .rtpes = e->rtpes, .dbq = e->dbq, .acd = e->acd,
		.lookup = e->lookup, .phone = &e->phone,
	};
	if (calls_alloc(&e->calls, &env, route, e->router) ||
	    dtmf_listener_alloc(&e->dtmf, e->t.core.root, "127.0.0.1:0", on_dtmf, e->calls))
		return -1;
	calls_set_refer(e->calls, &flow_refer_ops, e->router);
	struct sip_handlers sh = { .arg = e->calls, .incoming = calls_incoming,
				   .leg_event = calls_leg_event };
	sip_bind(e->sip, &sh);
	/* What main.c does once the database answers: the host's tables are
	 * known, the directory is in force, calls are taken. */
	struct db *db;
	db_alloc(&db, &dbc);
	if (lookup_prepare(e->lookup, db))
		return -1;
	db_free(db);
	e->dir = directory();
	flow_router_set_dir(e->router, e->dir);
	flow_router_set_lookup(e->router, e->lookup);
	acd_merge(e->acd, e->dir);
	calls_accept(e->calls, true);
	fdb.contact_phone = "+86" KNOWN_CALLER;
	fdb.contact_id = CONTACT;
	fdb.contact_name = "陈小明";
	peer_add_agent(&e->peer, &e->a1, "1001");
	peer_add_agent(&e->peer, &e->a2, "1002");
	peer_add_agent(&e->peer, &e->a3, "1003");
	peer_add_agent(&e->peer, &e->ext, EXT_NUMBER);
	peer_add_agent(&e->peer, &e->sup, "1009");
	const char *const ids[] = { A1, A2, A3 };
	for (int i = 0; i < 3; i++)
		acd_set_registered(e->acd, acd_agent(e->acd, ids[i]), true);
	*state = e;
	return 0;
}

static int group_teardown(void **state)
{
	struct env *e = *state;
	if (!e || !e->calls || !e->sip) {
		fprintf(stderr, "the set-up failed: nothing to tear down cleanly\n");
		return 0;
	}
	calls_end_all(e->calls, "shutting down");
	sip_shutdown(e->sip);
	peer_stop(&e->peer);
	LOOP_UNTIL(e->t.core.root, sip_stopped(e->sip) && e->peer.stopped, T_DEADLINE_MS);
	sip_free(e->sip);
	nua_destroy(e->peer.nua);
	dtmf_listener_free(e->dtmf);
	lookup_flush(e->lookup);
	dbq_free(e->dbq);
	rtpe_set_free(e->rtpes);
	calls_free(e->calls);
	acd_free(e->acd);
	flow_router_free(e->router);
	dir_free(e->dir);
	lookup_free(e->lookup);
	manifest_free(e->mf);
	frtp_stop(&e->rtp);
	t_core_free(&e->t);
	char rm[96];
	snprintf(rm, sizeof rm, "rm -rf '%s'", e->vm_dir);
	if (e->vm_dir[0] && system(rm))
		fprintf(stderr, "cannot remove %s\n", e->vm_dir);
	free(e);
	return 0;
}

/* --- helpers ---------------------------------------------------------------------- */


static struct agent *agent(const char *id)
{
	return acd_agent(E->acd, id);
}

static enum agent_state state_of(const char *id)
{
	return agent(id)->sm.state;
}

/* Only the agents named are signed in and ready, in that order (the first
 * named is idle longest); the others are signed out. */
static void only_ready(const char *first, const char *second)
{
	const char *const ids[] = { A1, A2, A3 };
	for (int i = 0; i < 3; i++) {
		struct agent *a = agent(ids[i]);
		assert_int_equal(a->sm.state == AGENT_ON_CALL || a->sm.state == AGENT_RESERVED, 0);
		acd_set_registered(E->acd, a, true);
		a->blocked_until_ms = 0;
		assert_null(acd_agent_request(E->acd, a, AGENT_LOGGED_OUT, NULL));
	}
	if (first)
		assert_null(acd_agent_request(E->acd, agent(first), AGENT_READY, NULL));
	if (second) {
		assert_null(acd_agent_request(E->acd, agent(second), AGENT_READY, NULL));
		agent(second)->idle_since_ms = agent(first)->idle_since_ms + 1;
		acd_index_update(E->acd, agent(second));
	}
}

/* A new case: what was seen before it is not looked at. A call a failed
 * case left behind is ended first, so one failure does not fail the rest. */
/* The next case's start, the callers' kept lookups left as they are. */
static void begin_again(void)
{
	if (!LOOP_UNTIL(E->t.core.root, calls_count(E->calls) == 0, T_DEADLINE_MS)) {
		fprintf(stderr, "# ending %u calls left by the case before\n", calls_count(E->calls));
		calls_end_all(E->calls, "shutting down");
		calls_accept(E->calls, true);
	}
	E->mark = E->t.events.n;
	peer_script(&E->a1, 50, 0, 0);
	peer_script(&E->a2, 50, 0, 0);
	peer_script(&E->a3, 50, 0, 0);
	peer_script(&E->ext, 50, 0, 0);
	peer_script(&E->sup, 50, 0, 0);
	E->t.conf.dial_ring_timeout_s = 30;
	E->rtp.fail_cmd = NULL;
	E->rtp.fail_branch = false;
	E->t.conf.moh_delay_ms = 5000;
}

/* A case's start: no lookup is answered from what an earlier case kept
 * (cases change the fake database's contact). */
static void begin(void)
{
	lookup_forget_all(E->lookup);
	begin_again();
}

/* The id of the call the case placed (its call.new), or "". */
static const char *the_call(void)
{
	for (unsigned i = E->mark; i < E->t.events.n; i++)
		if (E->t.events.ev[i].type == EV_CALL_NEW)
			return E->t.events.ev[i].call;
	return "";
}

static bool seen(enum ev_type type)
{
	for (unsigned i = E->mark; i < E->t.events.n; i++)
		if (E->t.events.ev[i].type == type)
			return true;
	return false;
}

/* The case's event for type, or NULL. */
static const struct t_event *event(enum ev_type type)
{
	for (unsigned i = E->mark; i < E->t.events.n; i++)
		if (E->t.events.ev[i].type == type)
			return &E->t.events.ev[i];
	return NULL;
}

static bool ended(void)
{
	return seen(EV_CALL_ENDED) && calls_count(E->calls) == 0;
}

/* Every database job asked for so far has run (and its reply with it). */
static bool db_idle(void)
{
	struct dbq_stats st;
	dbq_get_stats(E->dbq, &st);
	return st.submitted == st.done;
}

/* Waits for the case's call to end, for its records to be written, and
 * for the call object to be freed: every leg's dialog and every rtpengine
 * request let go of it (a reference kept anywhere fails here). */
static void wait_end(void)
{
	assert_true(LOOP_UNTIL(E->t.core.root, ended(), T_DEADLINE_MS));
	assert_true(LOOP_UNTIL(E->t.core.root, db_idle(), T_DEADLINE_MS));
	assert_true(LOOP_UNTIL(E->t.core.root, calls_objects(E->calls) == 0, T_DEADLINE_MS));
}

/* The final row's values: "result side cause". */
static void final_row(char *out, size_t n)
{
	char result[32], side[32], cause[64];
	const char *id = the_call();
	fdb_call_value(id, false, "result", result, sizeof result);
	fdb_call_value(id, false, "hangup_side", side, sizeof side);
	fdb_call_value(id, false, "cause", cause, sizeof cause);
	snprintf(out, n, "%s %s %s", result, side, cause);
}

/* The state the final row says the call ended in (end_state). */
static void assert_end_state(const char *want)
{
	char got[32];
	fdb_call_value(the_call(), false, "end_state", got, sizeof got);
	assert_string_equal(got, want);
}

static void assert_final(const char *want)
{
	char got[160];
	final_row(got, sizeof got);
	assert_string_equal(got, want);
}

static void assert_log(const char *want)
{
	char got[256];
	fdb_event_log(the_call(), false, got, sizeof got);
	assert_string_equal(got, want);
}

/* The customers' side of calls: nua keeps a phone as its handle's magic
 * until the dialog is over, which may be after the case that placed it. */
static struct phone *new_phone(void)
{
	static struct phone pool[128];
	static unsigned next;
	assert_true(next < 128);
	return &pool[next++];
}

/* Places a call and waits for the B2BUA to take it. */
static struct phone *call(const char *number, const char *caller)
{
	struct phone *ph = new_phone();
	peer_call(&E->peer, ph, number, caller);
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_NEW), T_DEADLINE_MS));
	return ph;
}

/* --- the cases -------------------------------------------------------------------- */

/* A known caller reaches a ready agent: welcome prompt, queue, the agent's
 * phone rings and answers, media is bridged on the agent's branch, the
 * caller hangs up. */
static void answered_by_a_ready_agent(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	struct phone *gw = call("4001", KNOWN_CALLER);
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	const char *id = the_call();
	assert_true(LOOP_UNTIL(E->t.core.root, gw->final_status == 200, T_DEADLINE_MS));
	assert_int_equal(state_of(A1), AGENT_ON_CALL);
	/* The pop names the contact the lookup found. */
	const struct t_event *ans = event(EV_CALL_ANSWERED);
	assert_string_equal(ans->agent, A1);
	assert_true(LOOP_UNTIL(E->t.core.root, E->rtp.nreq && frtp_count(&E->rtp, id, "answer",
							       "caller", "ag1", "br1") == 1,
			       T_DEADLINE_MS));
	/* The log is in the database while the call goes on, up to the answer. */
	char log[256];
	assert_true(LOOP_UNTIL(E->t.core.root, db_idle(), T_DEADLINE_MS));
	fdb_event_log(id, false, log, sizeof log);
	assert_string_equal(log, "start enqueue offer ringing answer");
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");
	assert_end_state("bridged");
	assert_log("start enqueue offer ringing answer end");
	char detail[64];
	assert_true(fdb_event_detail(id, "prompt", detail, sizeof detail));
	assert_string_equal(detail, "welcome.wav 50 ms");
	assert_true(fdb_event_detail(id, "offer", detail, sizeof detail));
	assert_string_equal(detail, "1001");
	/* The contact found by the caller's normalized number, with the
	 * tenant of the v7 host bound, not written into the SQL. */
	assert_true(seen(EV_CALL_CONTACT));
	assert_string_equal(fdb.tenant_seen, "cskefu");
	char contact[40];
	fdb_call_value(id, false, "contact_id", contact, sizeof contact);
	assert_string_equal(contact, CONTACT);
	/* rtpengine heard what RTPENGINE.md says, and the call was deleted. */
	assert_int_equal(frtp_count(&E->rtp, id, "offer", "caller", NULL, ""), 1);
	assert_int_equal(frtp_count(&E->rtp, id, "answer", "caller", "ivr", NULL), 1);
	assert_int_equal(frtp_count(&E->rtp, id, "play media", "caller", NULL, NULL), 1);
	assert_int_equal(frtp_count(&E->rtp, id, "offer", "caller", NULL, "br1"), 1);
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "delete", NULL, NULL, NULL) == 1,
			       T_DEADLINE_MS));
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.byes == 1, T_DEADLINE_MS));
	assert_int_equal(E->a1.invites, 1);
	assert_int_equal(state_of(A1), AGENT_READY);
}

static void caller_leaves_while_the_agent_rings(void **state)
{
	(void)state;
	begin();
	only_ready(A2, NULL);
	peer_script(&E->a2, -1, 0, 0);
	struct phone *gw = call("4001", "13900139000");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_RINGING) && gw->answered, T_DEADLINE_MS));
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("abandoned caller caller hung up");
	assert_end_state("offering");
	assert_true(LOOP_UNTIL(E->t.core.root, E->a2.cancels == 1, T_DEADLINE_MS));
	/* Ringing when the caller left is not the agent's fault. */
	assert_int_equal(state_of(A2), AGENT_READY);
	assert_string_equal(event(EV_CALL_OFFER_FAILED)->reason, "caller_gone");
	assert_log("start enqueue offer ringing offer_failed end");
}

static void no_answer_then_the_next_agent(void **state)
{
	(void)state;
	begin();
	only_ready(A2, A1);
	peer_script(&E->a2, -1, 0, 0);
	struct phone *gw = call("4006", "13900139001");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	assert_string_equal(event(EV_CALL_ANSWERED)->agent, A1);
	assert_true(LOOP_UNTIL(E->t.core.root, E->a2.cancels == 1, T_DEADLINE_MS));
	assert_int_equal(state_of(A2), AGENT_NOT_READY);
	assert_string_equal(agent(A2)->sm.reason, "no_answer");
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");
	char offers[8];
	fdb_call_value(the_call(), false, "offers", offers, sizeof offers);
	assert_string_equal(offers, "2");
	assert_log("start enqueue offer ringing offer_failed offer ringing answer end");
	char detail[32];
	fdb_event_detail(the_call(), "offer_failed", detail, sizeof detail);
	assert_string_equal(detail, "no_answer");
}

/* An agent that rejects is not ready with a reason; the call waits on. */
static void rejected(void **state)
{
	(void)state;
	begin();
	only_ready(A3, NULL);
	peer_script(&E->a3, 0, 486, 0);
	struct phone *gw = call("4001", "13900139002");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_OFFER_FAILED), T_DEADLINE_MS));
	assert_string_equal(event(EV_CALL_OFFER_FAILED)->reason, "rejected");
	assert_int_equal(state_of(A3), AGENT_NOT_READY);
	assert_string_equal(agent(A3)->sm.reason, "rejected");
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("abandoned caller caller hung up");
	assert_log("start enqueue offer offer_failed end");
}

/* A call to number with nobody signed in ends without an agent: the
 * B2BUA hangs up after prompt (NULL: none). */
static void closes_without_an_agent(const char *number, const char *caller, const char *prompt)
{
	begin();
	only_ready(NULL, NULL);
	struct phone *gw = call(number, caller);
	wait_end();
	assert_final("no_agent system no agent");
	assert_log("start enqueue no_agent end");
	if (prompt) {
		char detail[64];
		assert_true(fdb_event_detail(the_call(), "prompt", detail, sizeof detail));
		assert_string_equal(detail, prompt);
	}
	assert_true(LOOP_UNTIL(E->t.core.root, gw->byes == 1, T_DEADLINE_MS));
}

/* Nobody signed in: the maximum wait, the closing prompt, and the B2BUA
 * hangs up. */
static void nobody_then_the_closing_prompt(void **state)
{
	(void)state;
	closes_without_an_agent("4004", "13900139005", "noagent.wav 50 ms");
}

/* A group that does not wait when nobody of it is signed in: the caller
 * hears its no-agent prompt at once, not after the maximum wait. */
static void unstaffed_group_closes_at_once(void **state)
{
	(void)state;
	closes_without_an_agent("4007", "13900139011", "noagent.wav 50 ms");
}

static bool queued_in(unsigned group)
{
	for (unsigned i = E->mark; i < E->t.events.n; i++)
		if (E->t.events.ev[i].type == EV_CALL_QUEUED && E->t.events.ev[i].group == group)
			return true;
	return false;
}

/* At the maximum wait the call goes to the overflow group's queue and an
 * agent there takes it; the record names the group that answered. */
static void overflow_after_the_maximum_wait(void **state)
{
	(void)state;
	begin();
	only_ready(NULL, NULL);
	struct phone *gw = call("4008", "13900139012");
	assert_true(LOOP_UNTIL(E->t.core.root, queued_in(8), T_DEADLINE_MS));
	assert_true(queued_in(7));
	assert_null(acd_agent_request(E->acd, agent(A1), AGENT_READY, NULL));
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	assert_string_equal(event(EV_CALL_ANSWERED)->agent, A1);
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");
	assert_log("start enqueue no_agent enqueue offer ringing answer end");
}

/* A group that overflows into itself (or a chain that comes back) closes
 * instead of queueing the caller forever. */
static void overflow_never_loops(void **state)
{
	(void)state;
	closes_without_an_agent("4009", "13900139013", "noagent.wav 50 ms");
}

/* Numbers are kept in E.164: a number dialed in its national form (as a
 * gateway sends it) finds it. */
static void a_number_dialed_nationally_finds_its_e164_entry(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	struct phone *gw = call("01058001234", "13900139014");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	assert_true(queued_in(1));
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");
}

static unsigned plays_of(const char *id, const char *file)
{
	unsigned n = 0;
	for (unsigned i = 0; i < E->rtp.nreq; i++)
		if (!strcmp(E->rtp.req[i].cmd, "play media") && !strcmp(E->rtp.req[i].call_id, id) &&
		    !strcmp(E->rtp.req[i].file, file))
			n++;
	return n;
}

/* Every announce interval the waiting caller hears the group's own
 * announcement, its position and its estimated wait, one after the other,
 * and then the music again; an announcement due while an agent's phone
 * rings waits for the next turn, and the answer stops whatever plays. */
static void announcements_while_waiting(void **state)
{
	(void)state;
	begin();
	only_ready(NULL, NULL);
	E->t.conf.moh_delay_ms = 20;
	assert_null(acd_agent_request(E->acd, agent(A2), AGENT_NOT_READY, "meeting"));
	struct phone *gw = call("4011", "13900139015");
	const char *id = the_call();
	/* First caller in line; one agent signed in, nothing answered yet:
	 * 180 s a call -> about 3 minutes. */
	assert_true(LOOP_UNTIL(E->t.core.root, plays_of(id, "/audio/sys-wait-3.wav") == 1,
			       T_DEADLINE_MS));
	assert_int_equal(plays_of(id, "/audio/welcome.wav"), 1);
	assert_int_equal(plays_of(id, "/audio/sys-pos-1.wav"), 1);
	/* Then the music again. */
	assert_true(LOOP_UNTIL(E->t.core.root, plays_of(id, "/audio/moh.wav") == 2, T_DEADLINE_MS));
	/* The next announcement: an agent gets ready while it plays, and the
	 * phone rings past the next announcement's time. */
	assert_true(LOOP_UNTIL(E->t.core.root, plays_of(id, "/audio/welcome.wav") == 2,
			       T_DEADLINE_MS));
	peer_script(&E->a1, 2500, 0, 0);
	assert_null(acd_agent_request(E->acd, agent(A1), AGENT_READY, NULL));
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	unsigned announced = plays_of(id, "/audio/welcome.wav");
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "stop media", "caller", NULL,
							   NULL) >= 1, T_DEADLINE_MS));
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");
	/* Nothing was announced while the phone rang. */
	assert_int_equal(plays_of(id, "/audio/welcome.wav"), announced);
	assert_int_equal(announced, 2);
}

/* ring_all: every ready agent's phone rings at once; one that rejects is
 * on break and the others ring on; the first to answer takes the call and
 * the others stop ringing, through no fault of theirs. */
static void ring_all_the_first_to_answer_takes_it(void **state)
{
	(void)state;
	begin();
	only_ready(A1, A2);
	assert_null(acd_agent_request(E->acd, agent(A3), AGENT_READY, NULL));
	peer_script(&E->a1, 800, 0, 0);
	peer_script(&E->a2, -1, 0, 0);
	peer_script(&E->a3, 0, 486, 0);
	struct phone *gw = call("4012", "13900139016");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	assert_string_equal(event(EV_CALL_ANSWERED)->agent, A1);
	assert_int_equal(E->a1.invites + E->a2.invites + E->a3.invites, 3);
	assert_true(LOOP_UNTIL(E->t.core.root, E->a2.cancels == 1, T_DEADLINE_MS));
	assert_int_equal(state_of(A2), AGENT_READY);
	assert_int_equal(state_of(A3), AGENT_NOT_READY);
	assert_string_equal(agent(A3)->sm.reason, "rejected");
	assert_int_equal(state_of(A1), AGENT_ON_CALL);
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");
	char offers[8];
	fdb_call_value(the_call(), false, "offers", offers, sizeof offers);
	assert_string_equal(offers, "3");
	char detail[32];
	assert_true(fdb_event_detail(the_call(), "offer_failed", detail, sizeof detail));
}

/* ring_all: the caller leaving while phones ring stops every one of them;
 * no agent is blamed. */
static void ring_all_caller_leaving_stops_every_phone(void **state)
{
	(void)state;
	begin();
	only_ready(A1, A2);
	peer_script(&E->a1, -1, 0, 0);
	peer_script(&E->a2, -1, 0, 0);
	struct phone *gw = call("4012", "13900139017");
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.invites == 1 && E->a2.invites == 1,
			       T_DEADLINE_MS));
	/* The caller leaves while both ring: both phones stop, both agents
	 * are ready again. */
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.cancels == 1 && E->a2.cancels == 1,
			       T_DEADLINE_MS));
	assert_int_equal(state_of(A1), AGENT_READY);
	assert_int_equal(state_of(A2), AGENT_READY);
	assert_final("abandoned caller caller hung up");
}

/* ring_all with nobody answering: every phone rings out together, every
 * agent is counted a miss (here: on break after one), and the call waits
 * again. */
static void ring_all_rings_out_together(void **state)
{
	(void)state;
	begin();
	only_ready(A1, A2);
	peer_script(&E->a1, -1, 0, 0);
	peer_script(&E->a2, -1, 0, 0);
	struct phone *gw = call("4013", "13900139018");
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.cancels == 1 && E->a2.cancels == 1,
			       T_DEADLINE_MS));
	assert_true(LOOP_UNTIL(E->t.core.root, state_of(A1) == AGENT_NOT_READY &&
						       state_of(A2) == AGENT_NOT_READY, T_DEADLINE_MS));
	assert_string_equal(agent(A1)->sm.reason, "no_answer");
	assert_string_equal(agent(A2)->sm.reason, "no_answer");
	struct call_view v;
	call_view(calls_first(E->calls), &v);
	assert_string_equal(v.state, "queued");
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("abandoned caller caller hung up");
	assert_log("start enqueue offer offer ringing ringing offer_failed offer_failed end");
}

/* Music while waiting (nobody ready yet) and while an agent's phone rings;
 * it stops once the agent's media is bridged. */
static void music_while_waiting_and_ringing(void **state)
{
	(void)state;
	begin();
	only_ready(NULL, NULL);
	E->t.conf.moh_delay_ms = 20;
	peer_script(&E->a1, 50, 0, 0);
	struct phone *gw = call("4001", "13900139003");
	const char *id = the_call();
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "play media", NULL, NULL,
							   NULL) == 2, T_DEADLINE_MS));
	/* Music on hold was asked for looped. */
	assert_int_equal(E->rtp.req[E->rtp.nreq - 1].repeat, E->t.conf.moh_repeat);
	assert_string_equal(E->rtp.req[E->rtp.nreq - 1].file, "/audio/moh.wav");
	assert_null(acd_agent_request(E->acd, agent(A1), AGENT_READY, NULL));
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "stop media", "caller",
							   NULL, NULL) == 1, T_DEADLINE_MS));
	nua_bye(gw->nh, TAG_END());
	wait_end();
	char detail[64];
	fdb_event_detail(id, "prompt", detail, sizeof detail);
	assert_string_equal(detail, "welcome.wav 50 ms");

	/* Now ringing: the agent is offered at once and answers only once the
	 * music plays. */
	begin();
	only_ready(A1, NULL);
	E->t.conf.moh_delay_ms = 20;
	peer_script(&E->a1, -1, 0, 0);
	gw = call("4001", "13900139004");
	id = the_call();
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "play media", NULL, NULL,
							   NULL) == 2, T_DEADLINE_MS));
	assert_true(seen(EV_CALL_RINGING));
	peer_answer(&E->a1);
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "stop media", "caller",
							   NULL, NULL) == 1, T_DEADLINE_MS));
	nua_bye(gw->nh, TAG_END());
	wait_end();
}

/* A number nobody set up: 404, and the call is recorded from its start to
 * its end (call.new is published for it too). */
static void unknown_number(void **state)
{
	(void)state;
	begin();
	struct phone *gw = call("4999", "13700137000");
	wait_end();
	assert_true(LOOP_UNTIL(E->t.core.root, gw->final_status == 404, T_DEADLINE_MS));
	assert_final("failed system no such number");
	assert_log("start end");
	assert_int_equal(frtp_count(&E->rtp, the_call(), "offer", NULL, NULL, NULL), 0);
}

/* Another node holds the agent (the shared row says so): the offer is
 * withdrawn, nothing of this node is written over that node's row, and
 * the call goes on waiting. */
static void agent_held_by_another_node(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	peer_script(&E->a1, -1, 0, 0);
	assert_true(LOOP_UNTIL(E->t.core.root, db_idle(), T_DEADLINE_MS));
	unsigned rows_before = fdb_count("INSERT INTO cc_agent (", 0, A1);
	fdb.held_elsewhere = A1;
	struct phone *gw = call("4001", "13700137008");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_OFFER_FAILED), T_DEADLINE_MS));
	assert_string_equal(event(EV_CALL_OFFER_FAILED)->reason, "reservation lost");
	assert_true(agent(A1)->blocked_until_ms > core_now_ms());
	nua_bye(gw->nh, TAG_END());
	wait_end();
	fdb.held_elsewhere = NULL;
	assert_final("abandoned caller caller hung up");
	assert_int_equal(fdb_count("INSERT INTO cc_agent (", 0, A1), rows_before);
	assert_int_equal(fdb_count("INSERT INTO cc_agent_state_log", 4, the_call()), 0);
}

static void rtpengine_fails_the_callers_offer(void **state)
{
	(void)state;
	begin();
	E->rtp.fail_cmd = "offer";
	struct phone *gw = call("4001", "13600136000");
	wait_end();
	assert_true(LOOP_UNTIL(E->t.core.root, gw->final_status == 503, T_DEADLINE_MS));
	assert_final("failed system media unavailable");
}

static void rtpengine_fails_the_agents_branch(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	E->rtp.fail_cmd = "offer";
	E->rtp.fail_branch = true;
	struct phone *gw = call("4001", "13600136001");
	wait_end();
	assert_final("failed system media unavailable");
	assert_int_equal(E->a1.invites, 0);
	assert_int_equal(state_of(A1), AGENT_READY);
	assert_string_equal(event(EV_CALL_OFFER_FAILED)->reason, "call_ended");
	assert_true(LOOP_UNTIL(E->t.core.root, gw->byes == 1, T_DEADLINE_MS));
}

static void rtpengine_fails_the_bridge(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	E->rtp.fail_cmd = "answer";
	E->rtp.fail_branch = true;
	struct phone *gw = call("4001", "13600136002");
	wait_end();
	assert_final("failed system media unavailable");
	assert_true(LOOP_UNTIL(E->t.core.root, gw->byes == 1 && E->a1.byes == 1, T_DEADLINE_MS));
	assert_int_equal(state_of(A1), AGENT_READY);
}

static void agent_hangs_up(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	peer_script(&E->a1, 50, 0, 100);
	struct phone *gw = call("4001", "13600136003");
	wait_end();
	assert_final("answered agent ");
	assert_true(LOOP_UNTIL(E->t.core.root, gw->byes == 1, T_DEADLINE_MS));
}

/* The gateway never ACKs the B2BUA's 200: the dialog ends without a BYE,
 * and the call with it. */
static void caller_never_acks(void **state)
{
	(void)state;
	begin();
	only_ready(NULL, NULL);
	struct phone *gw = new_phone();
	peer_call(&E->peer, gw, "4001", "13600136004");
	gw->no_ack = true;
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_NEW), T_DEADLINE_MS));
	wait_end();
	assert_final("abandoned caller caller dialog lost");
}

static void longer_than_the_maximum(void **state)
{
	(void)state;
	begin();
	only_ready(NULL, NULL);
	long saved = E->t.conf.max_call_s;
	E->t.conf.max_call_s = 1;
	struct phone *gw = call("4001", "13600136005");
	E->t.conf.max_call_s = saved;
	wait_end();
	assert_final("abandoned system maximum call length");
	assert_true(LOOP_UNTIL(E->t.core.root, gw->byes == 1, T_DEADLINE_MS));
}

static void shutdown_ends_waiting_calls(void **state)
{
	(void)state;
	begin();
	only_ready(NULL, NULL);
	struct phone *gw = call("4001", "13600136006");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_QUEUED), T_DEADLINE_MS));
	calls_end_all(E->calls, "shutting down");
	wait_end();
	assert_final("failed system shutting down");
	assert_true(LOOP_UNTIL(E->t.core.root, gw->byes == 1, T_DEADLINE_MS));
	/* While shutting down new calls are refused. */
	struct phone *late = new_phone();
	peer_call(&E->peer, late, "4001", "13600136007");
	assert_true(LOOP_UNTIL(E->t.core.root, late->final_status == 503, T_DEADLINE_MS));
	calls_accept(E->calls, true);
}

/* The caller hangs up while rtpengine has not answered the offer yet; the
 * late reply finds the call over and asks rtpengine for nothing more. */
static void caller_leaves_while_media_is_set_up(void **state)
{
	(void)state;
	begin();
	E->rtp.hold = true;
	struct phone *gw = call("4001", "13600136008");
	const char *id = the_call();
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "offer", NULL, NULL, NULL) >= 1,
			       T_DEADLINE_MS));
	nua_cancel(gw->nh, TAG_END());
	assert_true(LOOP_UNTIL(E->t.core.root, ended(), T_DEADLINE_MS));
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "delete", NULL, NULL, NULL) >= 1,
			       T_DEADLINE_MS));
	/* rtpengine's replies come now, the offer's after the call ended. */
	frtp_release(&E->rtp);
	wait_end();
	assert_final("abandoned caller caller cancelled");
	assert_int_equal(frtp_count(&E->rtp, id, "answer", NULL, NULL, NULL), 0);
	assert_true(LOOP_UNTIL(E->t.core.root, gw->final_status == 487, T_DEADLINE_MS));
}

/* A number without a skill group: the flow cannot queue the call and goes
 * on to its end. */
static void no_queue_for_the_number(void **state)
{
	(void)state;
	begin();
	call("4003", "13600136009");
	wait_end();
	assert_final("no_agent system no agent");
	assert_log("start enqueue no_agent end");
}

/* An INVITE sent as one datagram from a plain socket; the status of the
 * first final response to it, or 0 when none came in time. */
static int raw_invite(const char *from_user, const char *contact, const char *record_route)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof me;
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof me), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&me, &sl), 0);
	static const char sdp[] = PEER_SDP("40100");
	char msg[2048];
	int n = snprintf(msg, sizeof msg,
			 "INVITE sip:4001@127.0.0.1:%u SIP/2.0\r\n"
			 "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK-raw%u;rport\r\n%s"
			 "From: <sip:%s@127.0.0.1>;tag=raw\r\nTo: <sip:4001@127.0.0.1>\r\n"
			 "Call-ID: raw-%u@127.0.0.1\r\nCSeq: 1 INVITE\r\nContact: %s\r\n"
			 "Max-Forwards: 70\r\nContent-Type: application/sdp\r\nContent-Length: %zu\r\n\r\n%s",
			 E->peer.b2bua_port, ntohs(me.sin_port), ntohs(me.sin_port), record_route,
			 from_user, ntohs(me.sin_port), contact, sizeof sdp - 1, sdp);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(E->peer.b2bua_port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	assert_int_equal(sendto(fd, msg, (size_t)n, 0, (struct sockaddr *)&to, sizeof to), n);
	int status = 0;
	char rx[4096];
	long long end = t_now_ms() + T_DEADLINE_MS;
	while (!status && t_now_ms() < end) {
		su_root_step(E->t.core.root, 10);
		ssize_t r = recv(fd, rx, sizeof rx - 1, MSG_DONTWAIT);
		if (r > 12 && !memcmp(rx, "SIP/2.0 ", 8) && rx[8] >= '2')
			status = atoi(rx + 8);
	}
	close(fd);
	return status;
}

/* A caller whose dialog could never be hung up (its Contact or a
 * Record-Route not a SIP URI): refused at once, no call made. Taken, such
 * a call crashed the B2BUA when its BYE was due (sofia-sip retries a BYE
 * it cannot send until the stack overflows). */
static void unusable_dialog_target_refused(void **state)
{
	(void)state;
	begin();
	assert_int_equal(raw_invite("13600136010", "<sjp:13600136010@127.0.0.1>", ""), 400);
	assert_int_equal(raw_invite("13600136010", "<tel:+8613600136010>", ""), 400);
	assert_int_equal(raw_invite("13600136010", "<sip:13600136010@127.0.0.1>",
				    "Record-Route: <urn:x-cc:nowhere>\r\n"), 400);
	assert_false(seen(EV_CALL_NEW));
	assert_int_equal(calls_count(E->calls), 0);
}

/* A caller number that is not UTF-8 (a byte of a mutated From) could not
 * be written to the call's records: refused at once, no call made. */
static void caller_not_utf8_refused(void **state)
{
	(void)state;
	begin();
	assert_int_equal(raw_invite("1\xe2\x80" "3600136011", "<sip:13600136011@127.0.0.1>", ""), 400);
	assert_int_equal(raw_invite("\xc0\xb1" "3600136011", "<sip:13600136011@127.0.0.1>", ""), 400);
	assert_false(seen(EV_CALL_NEW));
	assert_int_equal(calls_count(E->calls), 0);
}

/* The phone cannot be reached (480): not the agent's fault, but the phone
 * counts as unregistered until the next poll says otherwise. */
static void phone_unreachable(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	peer_script(&E->a1, 0, 480, 0);
	struct phone *gw = call("4001", "13600136010");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_OFFER_FAILED), T_DEADLINE_MS));
	assert_string_equal(event(EV_CALL_OFFER_FAILED)->reason, "unreachable");
	assert_int_equal(state_of(A1), AGENT_READY);
	assert_false(agent(A1)->registered);
	assert_true(seen(EV_AGENT_REGISTRATION));
	nua_bye(gw->nh, TAG_END());
	wait_end();
	acd_set_registered(E->acd, agent(A1), true);
}

/* The maximum wait ends while an agent's phone rings: it stops ringing and
 * the agent is free; group 2 has no closing prompt. */
static void maximum_wait_while_ringing(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	peer_script(&E->a1, -1, 0, 0);
	call("4002", "13600136011");
	wait_end();
	assert_string_equal(event(EV_CALL_OFFER_FAILED)->reason, "queue timeout");
	assert_final("no_agent system no agent");
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.cancels == 1, T_DEADLINE_MS));
	assert_int_equal(state_of(A1), AGENT_READY);
	assert_log("start enqueue offer ringing offer_failed no_agent end");
}

/* Group 2 has a wrap-up: the agent goes through it, then is ready. */
static void wrapup_after_the_call(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	peer_script(&E->a1, 50, 0, 100);
	call("4005", "13600136012");
	wait_end();
	assert_int_equal(state_of(A1), AGENT_WRAP_UP);
	assert_true(LOOP_UNTIL(E->t.core.root, state_of(A1) == AGENT_READY, T_DEADLINE_MS));
}

/* A controller of its own: its timer, a prompt, keys by SIP INFO and by
 * rtpengine's DTMF log (the caller's only), then the queue. */
static void a_controller_with_keys_and_a_timer(void **state)
{
	(void)state;
	begin();
	memset(&tc, 0, sizeof tc);
	only_ready(A1, NULL);
	struct phone *gw = call("4100", "13600136013");
	const char *id = the_call();
	assert_true(LOOP_UNTIL(E->t.core.root, tc.prompts == 1, T_DEADLINE_MS));
	assert_int_equal(tc.timers, 1);
	nua_info(gw->nh, SIPTAG_CONTENT_TYPE_STR("application/dtmf-relay"),
		 SIPTAG_PAYLOAD_STR("Signal=5\r\nDuration=160\r\n"), TAG_END());
	assert_true(LOOP_UNTIL(E->t.core.root, strlen(tc.digits) == 1, T_DEADLINE_MS));
	/* A key from another leg's tag is not the caller's. */
	calls_dtmf(E->calls, id, "ag9", '1');
	char dg[160];
	int n = snprintf(dg, sizeof dg, "{\"callid\":\"%s\",\"source_tag\":\"caller\",\"type\":\"DTMF\","
			 "\"event\":11,\"duration\":100}", id);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				  .sin_port = htons((unsigned short)dtmf_listener_port(E->dtmf)) };
	assert_int_equal(sendto(fd, dg, (size_t)n, 0, (struct sockaddr *)&to, sizeof to), n);
	close(fd);
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	assert_string_equal(tc.digits, "5#");
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_log("start dtmf dtmf enqueue offer ringing answer end");
	char detail[32];
	fdb_event_detail(id, "dtmf", detail, sizeof detail);
	assert_string_equal(detail, "5");
	fdb_event_detail(id, "prompt", detail, sizeof detail);
	assert_string_equal(detail, "menu.wav 50 ms");
}

/* The path an IVR call took: its call.ivr events, "node exit" each. */
static void ivr_path(char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	for (unsigned i = E->mark; i < E->t.events.n; i++) {
		const struct t_event *e = &E->t.events.ev[i];
		if (e->type == EV_CALL_IVR && e->exit[0])
			len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s:%s",
						len ? " " : "", e->node, e->exit);
	}
}

static void send_dtmf(const char *id, int event)
{
	char dg[160];
	int n = snprintf(dg, sizeof dg, "{\"callid\":\"%s\",\"source_tag\":\"caller\",\"type\":\"DTMF\","
			 "\"event\":%d,\"duration\":100}", id, event);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				  .sin_port = htons((unsigned short)dtmf_listener_port(E->dtmf)) };
	assert_int_equal(sendto(fd, dg, (size_t)n, 0, (struct sockaddr *)&to, sizeof to), n);
	close(fd);
}

/* A published flow's menu: the caller presses 1 during the prompt, which
 * stops it; the flow queues the call and an agent answers. */
static void ivr_menu_key_to_the_queue(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	E->rtp.prompt_ms = 60000;	/* the menu's prompt plays until the key */
	struct phone *gw = call("4020", "13600136020");
	const char *id = the_call();
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "play media", NULL, NULL,
							 NULL) == 1, T_DEADLINE_MS));
	send_dtmf(id, 1);
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	E->rtp.prompt_ms = 50;
	assert_int_equal(frtp_count(&E->rtp, id, "stop media", NULL, NULL, NULL), 1);
	char path[256];
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next menu:key 1");
	assert_string_equal(event(EV_CALL_ANSWERED)->agent, A1);
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");
}

/* No key: the menu's timeout and its fallback, a hang-up with the node's
 * cause; the call record says no agent took it. */
static void ivr_menu_timeout_hangs_up(void **state)
{
	(void)state;
	begin();
	call("4020", "13600136021");
	wait_end();
	char path[256];
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next menu:fallback");
	assert_final("no_agent system no choice");
}

/* A queue node with an `after` exit: the agent hangs up, the caller is
 * back in the flow and gives the survey a key, stored with the call, which
 * stays answered; the flow's variables are in the record. */
static void ivr_survey_after_the_agent(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	peer_script(&E->a1, 50, 0, 100);	/* the agent hangs up after 100 ms */
	call("4021", "13600136022");
	const char *id = the_call();
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	/* The survey's prompt, after the agent left. */
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "play media", NULL, NULL,
							 NULL) == 1, T_DEADLINE_MS));
	assert_int_equal(state_of(A1), AGENT_READY);
	send_dtmf(id, 2);
	wait_end();
	char path[256];
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next q:after sv:next");
	assert_final("answered system normal");
	char key[8], vars[512];
	fdb_call_value(id, false, "survey_key", key, sizeof key);
	assert_string_equal(key, "2");
	fdb_call_value(id, false, "ivr_vars", vars, sizeof vars);
	assert_non_null(strstr(vars, "\"flow\":21"));
	assert_non_null(strstr(vars, "\"caller\":\"+8613600136022\""));
}

/* How many calls were queued in this case. */
static unsigned queued_count(void)
{
	unsigned n = 0;
	for (unsigned i = E->mark; i < E->t.events.n; i++)
		n += E->t.events.ev[i].type == EV_CALL_QUEUED;
	return n;
}

/* A queue node's priority: a call that came later with priority 5 is
 * offered before one waiting with none. */
static void ivr_priority_goes_first(void **state)
{
	(void)state;
	begin();
	only_ready(NULL, NULL);
	struct phone *low = call("4001", "13600136031");
	assert_true(LOOP_UNTIL(E->t.core.root, queued_count() == 1, T_DEADLINE_MS));
	struct phone *high = new_phone();
	peer_call(&E->peer, high, "4022", "13600136032");
	assert_true(LOOP_UNTIL(E->t.core.root, queued_count() == 2, T_DEADLINE_MS));
	const char *first = E->t.events.ev[E->mark].call;	/* the low one's call.new */
	only_ready(A1, NULL);
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_OFFERED), T_DEADLINE_MS));
	assert_string_not_equal(event(EV_CALL_OFFERED)->call, first);
	assert_true(LOOP_UNTIL(E->t.core.root, low->final_status == 200 && high->final_status == 200,
			       T_DEADLINE_MS));
	nua_bye(low->nh, TAG_END());
	nua_bye(high->nh, TAG_END());
	assert_true(LOOP_UNTIL(E->t.core.root, calls_objects(E->calls) == 0, T_DEADLINE_MS));
}

/* A familiar queue node: the agent who answered the caller last is offered
 * the call first, though another has been idle longer. */
static void ivr_familiar_agent_first(void **state)
{
	(void)state;
	begin();
	only_ready(A1, A2);
	fdb.last_phone = "+8613600136033";
	fdb.last_agent = A2;
	struct phone *gw = call("4023", "13600136033");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	fdb.last_phone = fdb.last_agent = NULL;
	assert_string_equal(event(EV_CALL_OFFERED)->agent, A2);
	assert_string_equal(event(EV_CALL_ANSWERED)->agent, A2);
	/* What the node attached, for the screen pop. */
	assert_string_equal(event(EV_CALL_RINGING)->data, "{\"callee\":\"4023\"}");
	assert_string_equal(event(EV_CALL_ANSWERED)->data, "{\"callee\":\"4023\"}");
	nua_bye(gw->nh, TAG_END());
	wait_end();
}

/* --- voicemail --------------------------------------------------------------------- */

/* The port rtpengine was told to send the recording to: the SDP of the
 * answer on branch vm1, once it came. */
static unsigned sink_port(const char *id)
{
	for (unsigned i = 0; i < E->rtp.nreq; i++) {
		const struct frtp_req *r = &E->rtp.req[i];
		if (!strcmp(r->call_id, id) && !strcmp(r->cmd, "answer") &&
		    !strcmp(r->to_tag, "vm1") && !strcmp(r->branch, "vm1"))
			return r->sdp_port;
	}
	return 0;
}

/* Audio packets the recording under way of the only call has placed. */
static unsigned long sink_packets(void)
{
	struct rtp_sink_stats st = { 0 };
	const struct call *c = calls_first(E->calls);
	return c && record_stats(c, &st) ? st.packets : 0;
}

/* Sends n packets of 20 ms of PCMA (a loud square wave) to port, as
 * rtpengine would send the caller's audio. */
static void send_rtp(unsigned port, unsigned n)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				  .sin_port = htons((unsigned short)port) };
	for (unsigned i = 0; i < n; i++) {
		unsigned char pkt[12 + 160];
		unsigned ts = i * 160;
		pkt[0] = 0x80;
		pkt[1] = 8;
		pkt[2] = (unsigned char)(i >> 8);
		pkt[3] = (unsigned char)i;
		pkt[4] = (unsigned char)(ts >> 24);
		pkt[5] = (unsigned char)(ts >> 16);
		pkt[6] = (unsigned char)(ts >> 8);
		pkt[7] = (unsigned char)ts;
		memcpy(pkt + 8, "\x12\x34\x56\x78", 4);
		for (unsigned k = 0; k < 160; k++)
			pkt[12 + k] = (k / 10) % 2 ? 0xaa : 0x2a;
		assert_int_equal(sendto(fd, pkt, sizeof pkt, 0, (struct sockaddr *)&to, sizeof to),
				 (ssize_t)sizeof pkt);
	}
	close(fd);
}

/* The voicemail row written for the case's call: value i of it. */
static bool vm_row(int i, char *out, size_t n)
{
	return fdb_last_value("INSERT INTO cc_voicemail", the_call(), i, out, n);
}

/* The size of the case's recording (recording number seq), or -1. */
static long vm_file_size(unsigned seq)
{
	char path[160];
	snprintf(path, sizeof path, "%s/%s-%u.wav", E->vm_dir, the_call(), seq);
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fclose(f);
	return n;
}

/* A voicemail node: its prompt, then the caller's audio on a branch of
 * its own that rtpengine sends to the B2BUA's socket; at max-s (1 s of
 * audio) the recording ends, the WAV holds 1 s, the row is written for
 * the group, and the flow goes on to its hang-up. */
static void voicemail_recorded_to_its_length(void **state)
{
	(void)state;
	begin();
	call("4031", "13600136030");
	const char *id = the_call();
	assert_true(LOOP_UNTIL(E->t.core.root, sink_port(id) != 0, T_DEADLINE_MS));
	/* The prompt came first, and the branch was offered the caller's media. */
	assert_int_equal(frtp_count(&E->rtp, id, "play media", "caller", NULL, NULL), 1);
	assert_int_equal(frtp_count(&E->rtp, id, "offer", "caller", NULL, "vm1"), 1);
	send_rtp(sink_port(id), 60);
	wait_end();
	char path[256];
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next vm:next");
	assert_final("no_agent system recorded");
	char v[64];
	assert_true(vm_row(0, v, sizeof v));
	assert_string_equal(v, "1");
	vm_row(1, v, sizeof v);
	assert_string_equal(v, "+8613600136030");
	vm_row(2, v, sizeof v);
	char want[64];
	snprintf(want, sizeof want, "%s-1.wav", id);
	assert_string_equal(v, want);
	vm_row(3, v, sizeof v);
	assert_string_equal(v, "1000");
	assert_int_equal(vm_file_size(1), 44 + 8000 * 2);
}

/* The caller's # ends the recording at once: what came is kept, and the
 * flow goes on. */
static void voicemail_ended_by_the_callers_hash(void **state)
{
	(void)state;
	begin();
	call("4032", "13600136031");
	const char *id = the_call();
	assert_true(LOOP_UNTIL(E->t.core.root, sink_port(id) != 0, T_DEADLINE_MS));
	send_rtp(sink_port(id), 100);	/* 2 s */
	assert_true(LOOP_UNTIL(E->t.core.root, sink_packets() == 100, T_DEADLINE_MS));
	send_dtmf(id, 11);
	wait_end();
	char path[256];
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next vm:next");
	char v[64];
	assert_true(vm_row(3, v, sizeof v));
	/* What had come (the sink holds the last 0.5 s back for late packets
	 * until it is closed, then writes it all). */
	assert_string_equal(v, "2000");
	assert_int_equal(vm_file_size(1), 44 + 16000 * 2);
}

/* The caller hangs up while being recorded: the recording is kept and
 * its row written; the call ends as abandoned. */
static void voicemail_kept_when_the_caller_hangs_up(void **state)
{
	(void)state;
	begin();
	struct phone *gw = call("4032", "13600136032");
	const char *id = the_call();
	assert_true(LOOP_UNTIL(E->t.core.root, sink_port(id) != 0, T_DEADLINE_MS));
	send_rtp(sink_port(id), 25);	/* 0.5 s */
	/* The sink has read them before the caller hangs up. */
	assert_true(LOOP_UNTIL(E->t.core.root, sink_packets() == 25, T_DEADLINE_MS));
	/* A BYE needs the dialog: the caller has the 200 first. */
	assert_true(LOOP_UNTIL(E->t.core.root, gw->final_status == 200, T_DEADLINE_MS));
	nua_bye(gw->nh, TAG_END());
	wait_end();
	char v[64];
	assert_true(vm_row(3, v, sizeof v));
	assert_string_equal(v, "500");
	assert_int_equal(vm_file_size(1), 44 + 4000 * 2);
	assert_final("abandoned caller caller hung up");
}

/* A dial node: the external number rings through the proxy with the
 * node's caller ID, answers, is bridged on its own branch like an agent,
 * and hangs up; the call was answered with no agent. */
static void ivr_dial_reaches_the_far_end(void **state)
{
	(void)state;
	begin();
	peer_script(&E->ext, 50, 0, 200);
	struct phone *gw = call("4041", "13600136030");
	const char *id = the_call();
	wait_end();
	assert_int_equal(E->ext.invites, 1);
	assert_string_equal(E->ext.from, "4099");
	assert_string_equal(event(EV_CALL_DIAL)->detail, EXT_NUMBER " 4099");
	assert_true(seen(EV_CALL_DIAL_ANSWERED));
	assert_false(seen(EV_CALL_DIAL_FAILED));
	assert_int_equal(frtp_count(&E->rtp, id, "offer", "caller", NULL, "bx1"), 1);
	assert_int_equal(frtp_count(&E->rtp, id, "answer", "caller", "ext1", "bx1"), 1);
	char path[256], to[32];
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next");
	assert_final("answered external ");
	assert_true(fdb_call_value(id, false, "transfer_to", to, sizeof to));
	assert_string_equal(to, EXT_NUMBER);
	/* The number that answered is not an agent. */
	fdb_call_value(id, false, "agent_id", to, sizeof to);
	assert_string_equal(to, "");
	assert_log("start ivr ivr ivr dial dial_answer end");
	assert_true(LOOP_UNTIL(E->t.core.root, gw->byes == 1, T_DEADLINE_MS));
}

/* The far end is busy: the dial node's next exit; a caller ID that is no
 * number for calling out is not shown (the number dialed is). */
static void ivr_dial_rejected_takes_next(void **state)
{
	(void)state;
	begin();
	peer_script(&E->ext, 0, 486, 0);
	call("4042", "13600136033");
	wait_end();
	assert_int_equal(E->ext.invites, 1);
	assert_string_equal(E->ext.from, "4042");
	assert_string_equal(event(EV_CALL_DIAL_FAILED)->reason, "rejected");
	char path[256];
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next d:next");
	assert_final("no_agent system not reached");
}

/* Nobody answers within dial_ring_timeout_s: the phone stops ringing and
 * the flow goes on. */
static void ivr_dial_rings_out(void **state)
{
	(void)state;
	begin();
	E->t.conf.dial_ring_timeout_s = 1;
	peer_script(&E->ext, -1, 0, 0);
	call("4041", "13600136031");
	wait_end();
	assert_true(LOOP_UNTIL(E->t.core.root, E->ext.cancels == 1, T_DEADLINE_MS));
	assert_string_equal(event(EV_CALL_DIAL_FAILED)->reason, "no_answer");
	char path[256];
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next d:next");
	assert_final("no_agent system not reached");
}

/* rtpengine fails the external leg's branch: the call ends, as with an
 * agent's. */
static void ivr_dial_media_fails(void **state)
{
	(void)state;
	begin();
	E->rtp.fail_cmd = "offer";
	E->rtp.fail_branch = true;
	struct phone *gw = call("4041", "13600136032");
	wait_end();
	assert_int_equal(E->ext.invites, 0);
	assert_final("failed system media unavailable");
	assert_true(LOOP_UNTIL(E->t.core.root, gw->byes == 1, T_DEADLINE_MS));
}

/* rtpengine refuses the recording's branch: no file, no row; the flow
 * goes on. */
static void voicemail_branch_refused(void **state)
{
	(void)state;
	begin();
	E->rtp.fail_cmd = "offer";
	E->rtp.fail_branch = true;
	call("4032", "13600136033");
	wait_end();
	char path[256], v[64];
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next vm:next");
	assert_false(vm_row(3, v, sizeof v));
	assert_int_equal(vm_file_size(1), -1);
	assert_final("no_agent system recorded");
}

/* An agent node: the call goes to that agent though another of the group
 * has been idle longer; when the agent is not signed in, its next exit. */
static void ivr_transfer_to_an_agent(void **state)
{
	(void)state;
	begin();
	only_ready(A1, A3);
	struct phone *gw = call("4024", "13600136040");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	assert_string_equal(event(EV_CALL_OFFERED)->agent, A3);
	assert_string_equal(event(EV_CALL_ANSWERED)->agent, A3);
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");

	begin();
	only_ready(A1, A2);
	call("4024", "13600136041");
	wait_end();
	char path[256];
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next a:next");
	assert_false(seen(EV_CALL_OFFERED));
	assert_final("no_agent system not reached");
}

/* The caller's record gives the flow its variables before it starts: a
 * known caller's field chooses the branch; an unknown caller the other. */
static void ivr_contact_fields(void **state)
{
	(void)state;
	begin();
	fdb.contact_gender = "male";
	call("4025", KNOWN_CALLER);
	wait_end();
	fdb.contact_gender = NULL;
	char path[256];
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next b:case 1");
	char vars[512];
	fdb_call_value(the_call(), false, "ivr_vars", vars, sizeof vars);
	assert_non_null(strstr(vars, "\"contact_gender\":\"male\""));

	begin();
	call("4025", "13600136050");
	wait_end();
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next b:else");
	assert_final("no_agent system unknown");
}

/* A caller who calls again is found in memory: no query, the same record
 * with the flow's variables, answered on the loop's next turn. Once the
 * contact is forgotten (the workbench saved it), the database is asked
 * again and its new record counts. */
static void a_second_call_is_looked_up_in_memory(void **state)
{
	(void)state;
	const char *norm = "+86" KNOWN_CALLER;
	char path[256];
	begin();
	fdb.contact_gender = "male";
	unsigned asked = fdb_count("FROM cc_contact_phone", 0, norm);
	call("4025", KNOWN_CALLER);
	wait_end();
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next b:case 1");
	assert_int_equal(fdb_count("FROM cc_contact_phone", 0, norm), asked + 1);

	struct lookup_stats before, after;
	lookup_get_stats(E->lookup, &before);
	begin_again();
	call("4025", KNOWN_CALLER);
	wait_end();
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next b:case 1");
	assert_true(seen(EV_CALL_CONTACT));
	char vars[512];
	fdb_call_value(the_call(), false, "ivr_vars", vars, sizeof vars);
	assert_non_null(strstr(vars, "\"contact_gender\":\"male\""));
	assert_int_equal(fdb_count("FROM cc_contact_phone", 0, norm), asked + 1);
	lookup_get_stats(E->lookup, &after);
	assert_int_equal(after.hits, before.hits + 1);
	assert_int_equal(after.queries, before.queries);

	/* Saved in the workbench: gender no longer male. */
	fdb.contact_gender = NULL;
	assert_int_equal(lookup_forget_contact(E->lookup, CONTACT), 1);
	begin_again();
	call("4025", KNOWN_CALLER);
	wait_end();
	ivr_path(path, sizeof path);
	assert_string_equal(path, "start:next b:else");
	assert_int_equal(fdb_count("FROM cc_contact_phone", 0, norm), asked + 2);

	/* An unknown caller is kept as unknown, until its number is forgotten
	 * (a contact was saved with it). */
	begin_again();
	call("4025", "13600136051");
	wait_end();
	begin_again();
	call("4025", "13600136051");
	wait_end();
	assert_int_equal(fdb_count("FROM cc_contact_phone", 0, "+8613600136051"), 1);
	assert_int_equal(lookup_forget_number(E->lookup, "136 0013 6051"), 1);
	begin_again();
	call("4025", "13600136051");
	wait_end();
	assert_int_equal(fdb_count("FROM cc_contact_phone", 0, "+8613600136051"), 2);
}

struct found {
	unsigned n;
	char id[40];
};

static void on_found(void *arg, const char *id, const char *name, const char *agent,
		     const struct lookup_field *fields, size_t nfields)
{
	struct found *f = arg;
	(void)name;
	(void)agent;
	(void)fields;
	(void)nfields;
	f->n++;
	snprintf(f->id, sizeof f->id, "%s", id ? id : "");
}

/* A forget that comes while a query is out (the contact was saved after
 * the query read it): the answer is given but not kept. An answer from
 * memory is never given from inside lookup_contact. */
static void a_forget_during_a_query_keeps_nothing(void **state)
{
	(void)state;
	begin();
	const char *norm = "+86" KNOWN_CALLER;
	struct found f = { 0 };
	struct lookup_stats st0, st;
	lookup_get_stats(E->lookup, &st0);
	assert_int_equal(lookup_contact(E->lookup, norm, on_found, &f), 0);
	lookup_forget_contact(E->lookup, CONTACT);
	assert_true(LOOP_UNTIL(E->t.core.root, f.n == 1, T_DEADLINE_MS));
	assert_string_equal(f.id, CONTACT);
	lookup_get_stats(E->lookup, &st);
	assert_int_equal(st.uncached, st0.uncached + 1);
	assert_int_equal(st.entries, 0);

	assert_int_equal(lookup_contact(E->lookup, norm, on_found, &f), 0);
	assert_true(LOOP_UNTIL(E->t.core.root, f.n == 2, T_DEADLINE_MS));
	lookup_get_stats(E->lookup, &st);
	assert_int_equal(st.queries, st0.queries + 2);
	assert_int_equal(st.entries, 1);

	f.id[0] = '\0';
	assert_int_equal(lookup_contact(E->lookup, norm, on_found, &f), 0);
	assert_int_equal(f.n, 2);
	assert_true(LOOP_UNTIL(E->t.core.root, f.n == 3, T_DEADLINE_MS));
	assert_string_equal(f.id, CONTACT);
	lookup_get_stats(E->lookup, &st);
	assert_int_equal(st.queries, st0.queries + 2);
	assert_int_equal(st.hits, st0.hits + 1);

	/* With no room for answers (contact_cache_max 0 at run time), every
	 * lookup asks the database and nothing is kept. */
	E->t.conf.contact_cache_max = 0;
	assert_int_equal(lookup_contact(E->lookup, norm, on_found, &f), 0);
	assert_true(LOOP_UNTIL(E->t.core.root, f.n == 4, T_DEADLINE_MS));
	E->t.conf.contact_cache_max = 100000;
	lookup_get_stats(E->lookup, &st);
	assert_int_equal(st.queries, st0.queries + 3);
	assert_int_equal(st.entries, 0);
}

/* --- calls the B2BUA places (originate.c) ------------------------------------------- */

/* The controller of a call the test places: once the first party answered,
 * it dials the external number as 4099. */
static void oc_start(struct call *call, void *state)
{
	(void)state;
	call_dial(call, EXT_NUMBER, "4099");
}

static void oc_signal(struct call *call, void *state, enum call_signal sig, char digit)
{
	(void)state;
	(void)digit;
	if (sig == CSIG_NOT_REACHED)
		call_hangup(call, RESULT_FAILED, "not reached");
}

static const struct call_ctrl origin_ctrl = { "origin", oc_start, oc_signal };

/* The phone's dialog of the case before is over (its BYE may still have
 * been on its way), and its record starts again with the script given. */
static void phone_settled(struct phone *ph, int answer_ms, int reject, int bye_ms)
{
	assert_true(LOOP_UNTIL(E->t.core.root, !ph->nh, T_DEADLINE_MS));
	peer_script(ph, answer_ms, reject, bye_ms);
}

/* Places a call to user's phone (rung ring_s seconds; 0: the default) and
 * returns its id. */
static const char *originate(const char *user, unsigned ring_s)
{
	char target[96];
	snprintf(target, sizeof target, "sip:%s@%s", user, E->t.conf.sip_domain);
	struct call_origin o = { .target = target, .from_user = "4099", .display = "外呼",
				 .caller = "4099", .callee = EXT_NUMBER,
				 .ring_timeout_s = ring_s };
	struct call *c = NULL;
	assert_int_equal(calls_originate(E->calls, &o, &c), 0);
	call_set_controller(c, &origin_ctrl, NULL);
	call_place(c);
	assert_true(seen(EV_CALL_NEW));
	return the_call();
}

/* The first party answers the late offer: its 200's SDP is anchored as a
 * caller's, the answer goes in its ACK; the controller dials the other
 * party, who is bridged on its own branch and hangs up. */
static void originate_answered(void **state)
{
	(void)state;
	begin();
	phone_settled(&E->a1, 50, 0, 0);
	peer_script(&E->ext, 50, 0, 200);
	const char *id = originate("1001", 0);
	wait_end();
	assert_int_equal(E->a1.invites, 1);
	assert_false(E->a1.invite_sdp);
	assert_true(E->a1.ack_sdp);
	assert_string_equal(E->a1.from, "4099");
	assert_int_equal(E->ext.invites, 1);
	assert_int_equal(frtp_count(&E->rtp, id, "offer", "caller", NULL, ""), 1);
	assert_int_equal(frtp_count(&E->rtp, id, "answer", "caller", "ivr", NULL), 1);
	assert_int_equal(frtp_count(&E->rtp, id, "offer", "caller", NULL, "bx1"), 1);
	assert_int_equal(frtp_count(&E->rtp, id, "answer", "caller", "ext1", "bx1"), 1);
	char v[40];
	assert_true(fdb_call_value(id, true, "id", v, sizeof v));
	assert_string_equal(v, id);
	fdb_call_value(id, true, "direction", v, sizeof v);
	assert_string_equal(v, "outbound");
	assert_final("answered external ");
	assert_log("start dial dial_answer end");
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.byes == 1, T_DEADLINE_MS));
}

/* The first party is busy: the call ends failed, no media was asked for,
 * and the controller never started. */
static void originate_busy(void **state)
{
	(void)state;
	begin();
	phone_settled(&E->a1, 0, 486, 0);
	const char *id = originate("1001", 0);
	wait_end();
	assert_int_equal(E->a1.invites, 1);
	assert_int_equal(E->ext.invites, 0);
	assert_int_equal(frtp_count(&E->rtp, id, "offer", NULL, NULL, NULL), 0);
	assert_final("failed caller busy");
}

/* Nobody answers within the ring time: the phone stops ringing. */
static void originate_no_answer(void **state)
{
	(void)state;
	begin();
	phone_settled(&E->a1, -1, 0, 0);
	originate("1001", 1);
	wait_end();
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.cancels == 1, T_DEADLINE_MS));
	assert_int_equal(E->ext.invites, 0);
	assert_final("failed system no_answer");
}

/* The first party answers with no offer in its 200: acknowledged, hung up. */
static void originate_without_an_offer(void **state)
{
	(void)state;
	begin();
	phone_settled(&E->a1, 50, 0, 0);
	E->a1.answer_no_sdp = true;
	originate("1001", 0);
	wait_end();
	E->a1.answer_no_sdp = false;
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.byes == 1, T_DEADLINE_MS));
	assert_int_equal(E->ext.invites, 0);
	assert_final("failed system bad offer");
}

/* --- an agent's own calls (own.c, flow/manual.c) ---------------------------------- */

/* The agent's phone dials a customer's number; Kamailio marks it. */
static struct phone *agent_dials(const char *number)
{
	struct phone *ph = new_phone();
	peer_call_with(&E->peer, ph, number, "1001", "X-CC-Agent-Out: 1001");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_NEW), T_DEADLINE_MS));
	return ph;
}

/* A manual outbound call: the customer sees the group's outbound number,
 * the agent is on the call from the start and wraps up after it, the pop
 * names the agent and the customer's record, the record is outbound. */
static void manual_outbound(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	fdb.contact_phone = "+86" EXT_NUMBER;
	peer_script(&E->ext, 50, 0, 300);
	struct phone *ph = agent_dials(EXT_NUMBER);
	const char *id = the_call();
	assert_string_equal(event(EV_CALL_NEW)->agent, A1);
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	assert_int_equal(state_of(A1), AGENT_ON_CALL);
	assert_true(ph->answered);
	const struct t_event *pop = event(EV_CALL_ANSWERED);
	assert_string_equal(pop->agent, A1);
	wait_end();
	fdb.contact_phone = "+86" KNOWN_CALLER;
	assert_string_equal(E->ext.from, "4099");
	assert_true(seen(EV_CALL_CONTACT));
	char v[40];
	fdb_call_value(id, true, "id", v, sizeof v);
	assert_string_equal(v, id);
	fdb_call_value(id, true, "direction", v, sizeof v);
	assert_string_equal(v, "outbound");
	fdb_call_value(id, true, "caller", v, sizeof v);
	assert_string_equal(v, "4099");
	fdb_call_value(id, true, "callee", v, sizeof v);
	assert_string_equal(v, EXT_NUMBER);
	fdb_call_value(id, true, "agent_id", v, sizeof v);
	assert_string_equal(v, A1);
	fdb_call_value(id, false, "contact_id", v, sizeof v);
	assert_string_equal(v, CONTACT);
	assert_final("answered external ");
	assert_int_equal(state_of(A1), AGENT_WRAP_UP);
	assert_true(LOOP_UNTIL(E->t.core.root, state_of(A1) == AGENT_READY, T_DEADLINE_MS));
	assert_true(LOOP_UNTIL(E->t.core.root, ph->byes == 1, T_DEADLINE_MS));
}

/* An agent not signed in may not call out: 403, nobody dialed. */
static void manual_outbound_not_signed_in(void **state)
{
	(void)state;
	begin();
	only_ready(NULL, NULL);
	struct phone *ph = agent_dials(EXT_NUMBER);
	wait_end();
	assert_true(LOOP_UNTIL(E->t.core.root, ph->final_status == 403, T_DEADLINE_MS));
	assert_int_equal(E->ext.invites, 0);
	assert_final("failed system not_signed_in");
	assert_int_equal(state_of(A1), AGENT_LOGGED_OUT);
}

/* The customer is busy: the agent is ready again at once (no wrap-up). */
static void manual_outbound_not_reached(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	peer_script(&E->ext, 0, 486, 0);
	struct phone *ph = agent_dials(EXT_NUMBER);
	wait_end();
	assert_int_equal(E->ext.invites, 1);
	assert_false(seen(EV_CALL_ANSWERED));
	assert_final("failed system not reached");
	assert_int_equal(state_of(A1), AGENT_READY);
	assert_true(LOOP_UNTIL(E->t.core.root, ph->byes == 1, T_DEADLINE_MS));
}

/* Click-to-dial: the agent's phone rings first (a late offer), answers,
 * then the customer is dialed with the group's number; the pop follows. */
static void click_to_dial(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	phone_settled(&E->a1, 50, 0, 0);
	peer_script(&E->ext, 50, 0, 300);
	char id[40];
	assert_null(manual_dial(E->router, E->calls, A1, EXT_NUMBER, E->t.conf.sip_domain, id,
				sizeof id));
	assert_string_equal(the_call(), id);
	assert_int_equal(state_of(A1), AGENT_RESERVED);
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	assert_string_equal(event(EV_CALL_ANSWERED)->agent, A1);
	wait_end();
	assert_int_equal(E->a1.invites, 1);
	assert_false(E->a1.invite_sdp);
	assert_true(E->a1.ack_sdp);
	assert_string_equal(E->a1.from, EXT_NUMBER);
	assert_string_equal(E->ext.from, "4099");
	assert_int_equal(frtp_count(&E->rtp, id, "offer", "caller", NULL, "bx1"), 1);
	assert_int_equal(frtp_count(&E->rtp, id, "answer", "caller", "ext1", "bx1"), 1);
	assert_final("answered external ");
	assert_true(LOOP_UNTIL(E->t.core.root, state_of(A1) == AGENT_READY, T_DEADLINE_MS));
}

/* Click-to-dial refused: the agent is not signed in (nothing is rung), or
 * the agent's phone rejects the call (released, not on a break). */
static void click_to_dial_refused(void **state)
{
	(void)state;
	begin();
	only_ready(NULL, NULL);
	char id[40];
	assert_string_equal(manual_dial(E->router, E->calls, A1, EXT_NUMBER, E->t.conf.sip_domain,
					id, sizeof id), "not_signed_in");
	assert_string_equal(manual_dial(E->router, E->calls, A1, "12ab", E->t.conf.sip_domain, id,
					sizeof id), "bad_number");
	assert_true(LOOP_UNTIL(E->t.core.root, calls_count(E->calls) == 0, T_DEADLINE_MS));
	assert_int_equal(E->a1.invites, 0);

	begin();
	only_ready(A1, NULL);
	phone_settled(&E->a1, 0, 603, 0);
	assert_null(manual_dial(E->router, E->calls, A1, EXT_NUMBER, E->t.conf.sip_domain, id,
				sizeof id));
	wait_end();
	assert_int_equal(E->ext.invites, 0);
	assert_final("failed caller rejected");
	assert_int_equal(state_of(A1), AGENT_READY);
}

/* Click-to-dial while another node holds the agent (the shared row says
 * so): the agent's phone stops ringing, the call ends busy. */
static void click_to_dial_agent_held_elsewhere(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	phone_settled(&E->a1, -1, 0, 0);
	assert_true(LOOP_UNTIL(E->t.core.root, db_idle(), T_DEADLINE_MS));
	fdb.held_elsewhere = A1;
	char id[40];
	assert_null(manual_dial(E->router, E->calls, A1, EXT_NUMBER, E->t.conf.sip_domain, id,
				sizeof id));
	wait_end();
	fdb.held_elsewhere = NULL;
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.cancels == 1, T_DEADLINE_MS));
	assert_int_equal(E->ext.invites, 0);
	assert_final("failed system busy");
	assert_true(agent(A1)->blocked_until_ms > core_now_ms());
}

/* --- the agent's controls while talking (incall.c, flow/transfer.c) ----------------- */

/* The case's last event of type, or NULL. */
static const struct t_event *last_event(enum ev_type type)
{
	for (unsigned i = E->t.events.n; i > E->mark; i--)
		if (E->t.events.ev[i - 1].type == type)
			return &E->t.events.ev[i - 1];
	return NULL;
}

/* How many events of type the case saw. */
static unsigned events_of(enum ev_type type)
{
	unsigned n = 0;
	for (unsigned i = E->mark; i < E->t.events.n; i++)
		n += E->t.events.ev[i].type == type;
	return n;
}

/* The call the case placed, while it lives. */
static struct call *live_call(void)
{
	struct call *c = calls_find(E->calls, the_call());
	assert_non_null(c);
	return c;
}

/* An integer column of the call's final row. */
static long long final_int(const char *column)
{
	char v[32];
	fdb_call_value(the_call(), false, column, v, sizeof v);
	return atoll(v);
}

/* An agent's phone answered with the caller: the call is talking. */
static struct phone *talking_with(const char *agent_id, const char *caller)
{
	only_ready(agent_id, NULL);
	struct phone *gw = call("4001", caller);
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	assert_true(LOOP_UNTIL(E->t.core.root, gw->final_status == 200, T_DEADLINE_MS));
	return gw;
}

/* Hold from the workbench: both sides blocked, the group's music to the
 * caller; mute while held sends nothing (the agent is blocked already);
 * taken back, the music stops and both sides are heard; mute and unmute
 * block and unblock the agent alone. The record counts the hold. */
static void hold_mute_and_resume_from_the_workbench(void **state)
{
	(void)state;
	begin();
	struct phone *gw = talking_with(A1, "13600136100");
	const char *id = the_call();
	struct call *c = live_call();
	assert_string_equal(call_hold(c, false, "workbench"), "not_on_hold");
	assert_string_equal(call_mute(c, false), "not_muted");
	assert_null(call_hold(c, true, "workbench"));
	assert_int_equal(c->state, CALL_HELD);
	assert_string_equal(call_hold(c, true, "workbench"), "on_hold");
	assert_true(LOOP_UNTIL(E->t.core.root,
			       frtp_count(&E->rtp, id, "block media", "ag1", NULL, NULL) == 1 &&
				       frtp_count(&E->rtp, id, "block media", "caller", NULL, NULL) == 1,
			       T_DEADLINE_MS));
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "play media", "caller", NULL,
							 NULL) == 2, T_DEADLINE_MS));
	assert_string_equal(E->rtp.req[E->rtp.nreq - 1].file, "/audio/moh.wav");
	assert_true(E->rtp.req[E->rtp.nreq - 1].repeat > 0);
	assert_string_equal(event(EV_CALL_HOLD)->by, "workbench");
	struct call_view v;
	call_view(c, &v);
	assert_true(v.held);
	assert_null(call_mute(c, true));
	assert_null(call_mute(c, false));
	assert_int_equal(frtp_count(&E->rtp, id, "block media", "ag1", NULL, NULL), 1);
	assert_null(call_hold(c, false, "workbench"));
	assert_int_equal(c->state, CALL_BRIDGED);
	assert_true(LOOP_UNTIL(E->t.core.root,
			       frtp_count(&E->rtp, id, "stop media", "caller", NULL, NULL) >= 1 &&
				       frtp_count(&E->rtp, id, "unblock media", "caller", NULL, NULL) == 1 &&
				       frtp_count(&E->rtp, id, "unblock media", "ag1", NULL, NULL) == 1,
			       T_DEADLINE_MS));
	assert_true(event(EV_CALL_RESUME)->ms >= 0);
	assert_null(call_mute(c, true));
	assert_string_equal(call_mute(c, true), "muted");
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "block media", "ag1", NULL,
							 NULL) == 2, T_DEADLINE_MS));
	assert_null(call_mute(c, false));
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "unblock media", "ag1", NULL,
							 NULL) == 2, T_DEADLINE_MS));
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");
	assert_log("start enqueue offer ringing answer hold mute unmute resume mute unmute end");
	assert_int_equal(final_int("holds"), 1);
}

/* An SDP of the agent's phone in direction dir. */
static const char *phone_sdp(const char *dir)
{
	static char buf[512];
	snprintf(buf, sizeof buf,
		 "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
		 "m=audio 40000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
		 "a=rtpmap:101 telephone-event/8000\r\na=%s\r\n", dir);
	return buf;
}

/* The phone re-INVITEs the call and its 200 (or refusal) comes back. */
static int reinvite(struct phone *ph, const char *dir)
{
	ph->final_status = 0;
	nua_invite(ph->nh, SIPTAG_CONTENT_TYPE_STR("application/sdp"),
		   SIPTAG_PAYLOAD_STR(phone_sdp(dir)), TAG_END());
	assert_true(LOOP_UNTIL(E->t.core.root, ph->final_status >= 200, T_DEADLINE_MS));
	return ph->final_status;
}

/* The phone's own hold button (re-INVITE sendonly) holds the caller, its
 * end (sendrecv) takes it back; rtpengine is offered the phone's SDP and
 * answers for the caller (RTPENGINE.md). The caller's own re-INVITE is
 * refused (488) and changes nothing. The agent hanging up while holding
 * ends the call; the record counts both holds. */
static void hold_from_the_phone(void **state)
{
	(void)state;
	begin();
	struct phone *gw = talking_with(A1, "13600136101");
	const char *id = the_call();
	struct call *c = live_call();
	assert_int_equal(reinvite(&E->a1, "sendonly"), 200);
	assert_true(LOOP_UNTIL(E->t.core.root, c->state == CALL_HELD, T_DEADLINE_MS));
	assert_int_equal(frtp_count(&E->rtp, id, "offer", "ag1", "caller", NULL), 1);
	assert_int_equal(frtp_count(&E->rtp, id, "answer", "ag1", "caller", NULL), 1);
	assert_string_equal(event(EV_CALL_HOLD)->by, "phone");
	assert_int_equal(reinvite(&E->a1, "sendrecv"), 200);
	assert_true(LOOP_UNTIL(E->t.core.root, c->state == CALL_BRIDGED, T_DEADLINE_MS));
	assert_int_equal(reinvite(gw, "sendonly"), 488);
	assert_int_equal(c->state, CALL_BRIDGED);
	assert_int_equal(reinvite(&E->a1, "inactive"), 200);
	assert_true(LOOP_UNTIL(E->t.core.root, c->state == CALL_HELD, T_DEADLINE_MS));
	/* A refresh while held by the phone keeps the hold. */
	assert_int_equal(reinvite(&E->a1, "inactive"), 200);
	assert_int_equal(c->state, CALL_HELD);
	nua_bye(E->a1.nh, TAG_END());
	wait_end();
	assert_final("answered agent ");
	assert_end_state("held");
	assert_int_equal(final_int("holds"), 2);
}

/* How many play media requests of the call to tag played a file called
 * name in the audio folder (audio_dir). */
static unsigned plays_to(const char *id, const char *tag, const char *name)
{
	char file[512];
	snprintf(file, sizeof file, "%s/%s", E->t.core.conf->audio_dir, name);
	unsigned n = 0;
	for (unsigned i = 0; i < E->rtp.nreq; i++) {
		const struct frtp_req *r = &E->rtp.req[i];
		n += !strcmp(r->call_id, id) && !strcmp(r->cmd, "play media") &&
		     !strcmp(r->from_tag, tag) && !strcmp(r->file, file);
	}
	return n;
}

/* Keys to the far end: the agent held back, each key's tone played to the
 * caller in turn (keys sent meanwhile follow), then the agent heard again;
 * keys that are none, or while held, are refused. */
static void keys_to_the_far_end(void **state)
{
	(void)state;
	begin();
	struct phone *gw = talking_with(A1, "13600136107");
	const char *id = the_call();
	struct call *c = live_call();
	assert_string_equal(call_send_dtmf(c, "1x"), "bad_keys");
	assert_string_equal(call_send_dtmf(c, ""), "bad_keys");
	assert_null(call_send_dtmf(c, "1#"));
	assert_null(call_send_dtmf(c, "0"));
	assert_true(LOOP_UNTIL(E->t.core.root, plays_to(id, "caller", "sys-dtmf-0.wav") == 1,
			       T_DEADLINE_MS));
	assert_int_equal(plays_to(id, "caller", "sys-dtmf-1.wav"), 1);
	assert_int_equal(plays_to(id, "caller", "sys-dtmf-hash.wav"), 1);
	assert_int_equal(frtp_count(&E->rtp, id, "block media", "ag1", NULL, NULL), 1);
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "unblock media", "ag1", NULL,
							 NULL) == 1, T_DEADLINE_MS));
	assert_null(call_hold(c, true, "workbench"));
	assert_string_equal(call_send_dtmf(c, "5"), "on_hold");
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_log("start enqueue offer ringing answer dtmf_send dtmf_send hold end");
}

/* The agent ends the call from the workbench, talking or holding. */
static void hangup_from_the_workbench(void **state)
{
	(void)state;
	begin();
	talking_with(A1, "13600136102");
	assert_null(call_drop(live_call()));
	wait_end();
	assert_final("answered agent agent hung up (workbench)");
	assert_int_equal(E->a1.byes, 1);

	begin();
	talking_with(A1, "13600136103");
	struct call *c = live_call();
	assert_null(call_hold(c, true, "workbench"));
	assert_null(call_drop(c));
	wait_end();
	assert_final("answered agent agent hung up (workbench)");
	assert_end_state("held");
	assert_int_equal(final_int("holds"), 1);
}

/* The caller hangs up a call handed to agent2 after one hold: the record
 * is agent2's, answered, transferred once, held once. */
static void caller_leaves_agent2s_call(struct phone *gw)
{
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");
	char agent_id[40];
	fdb_call_value(the_call(), false, "agent_id", agent_id,
		       sizeof agent_id);
	assert_string_equal(agent_id, A2);
	assert_int_equal(final_int("transfers"), 1);
	assert_int_equal(final_int("holds"), 1);
}

/* Blind transfer while holding, to another agent: the first agent's
 * phone hangs up (it goes on), the second is offered the caller alone and
 * pops the same contact; the record is the second agent's, answered when
 * the first answered, transferred once. A transfer to oneself's target
 * forms that do not exist is refused. */
static void blind_transfer_to_an_agent(void **state)
{
	(void)state;
	begin();
	struct phone *gw = talking_with(A1, KNOWN_CALLER);
	struct call *c = live_call();
	long long answered = c->t_answer;
	assert_string_equal(flow_transfer(E->router, c, "group:99", "workbench"), "unknown_group");
	assert_string_equal(flow_transfer(E->router, c, "flow:77", "workbench"), "unknown_flow");
	assert_string_equal(flow_transfer(E->router, c, "agent:nobody", "workbench"), "unknown_agent");
	assert_string_equal(flow_transfer(E->router, c, "number:12ab", "workbench"), "bad_number");
	assert_string_equal(flow_transfer(E->router, c, "desk:1", "workbench"), "bad_request");
	/* The second agent signs in while the first talks. */
	acd_set_registered(E->acd, agent(A2), true);
	agent(A2)->blocked_until_ms = 0;
	assert_null(acd_agent_request(E->acd, agent(A2), AGENT_READY, NULL));
	assert_null(call_hold(c, true, "workbench"));
	assert_null(flow_transfer(E->router, c, "agent:" A2, "workbench"));
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.byes == 1, T_DEADLINE_MS));
	assert_true(LOOP_UNTIL(E->t.core.root, events_of(EV_CALL_ANSWERED) == 2, T_DEADLINE_MS));
	const struct t_event *ans = last_event(EV_CALL_ANSWERED);
	assert_string_equal(ans->agent, A2);
	assert_string_equal(ans->contact, CONTACT);
	assert_string_equal(event(EV_CALL_TRANSFER)->to, "agent:" A2);
	assert_string_equal(event(EV_CALL_TRANSFER)->agent, A1);
	assert_true(seen(EV_CALL_RESUME));
	assert_int_equal(c->t_answer, answered);
	assert_int_equal(c->state, CALL_BRIDGED);
	caller_leaves_agent2s_call(gw);
}

/* Blind transfer to an external number: it rings and answers, the caller
 * and it talk; the agent's own call cannot be handed on. */
static void blind_transfer_to_a_number(void **state)
{
	(void)state;
	begin();
	struct phone *gw = talking_with(A1, "13600136104");
	struct call *c = live_call();
	assert_null(flow_transfer(E->router, c, "number:" EXT_NUMBER, "workbench"));
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_DIAL_ANSWERED), T_DEADLINE_MS));
	assert_int_equal(c->state, CALL_BRIDGED);
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.byes == 1, T_DEADLINE_MS));
	/* The external number talks: no agent to hold or transfer for. */
	assert_string_equal(call_hold(c, true, "workbench"), "not_talking");
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");
	assert_int_equal(final_int("transfers"), 1);
}

/* The phone sends REFER to uri; its final answer. */
static int refer(struct phone *ph, const char *uri)
{
	ph->refer_status = 0;
	nua_refer(ph->nh, SIPTAG_REFER_TO_STR(uri), TAG_END());
	assert_true(LOOP_UNTIL(E->t.core.root, ph->refer_status >= 200, T_DEADLINE_MS));
	return ph->refer_status;
}

/* The phone's own transfer button (REFER): to another agent's SIP user it
 * is taken (202, a NOTIFY saying 200), the phone hung up and the other
 * agent rings; to nobody known, to the agent itself, or from the caller's
 * side it is refused with 403 (the dialog stays): the call goes on. */
static void transfer_from_the_phone(void **state)
{
	(void)state;
	begin();
	struct phone *gw = talking_with(A1, "13600136106");
	struct call *c = live_call();
	acd_set_registered(E->acd, agent(A2), true);
	agent(A2)->blocked_until_ms = 0;
	assert_null(acd_agent_request(E->acd, agent(A2), AGENT_READY, NULL));
	assert_int_equal(refer(&E->a1, "<sip:nobody@cc.local>"), 403);
	assert_int_equal(refer(&E->a1, "<sip:1001@cc.local>"), 403);
	assert_int_equal(refer(gw, "<sip:1002@cc.local>"), 403);
	assert_int_equal(c->state, CALL_BRIDGED);
	assert_int_equal(refer(&E->a1, "<sip:1002@cc.local>"), 202);
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.notifies >= 1, T_DEADLINE_MS));
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.byes == 1, T_DEADLINE_MS));
	assert_true(LOOP_UNTIL(E->t.core.root, events_of(EV_CALL_ANSWERED) == 2, T_DEADLINE_MS));
	assert_string_equal(last_event(EV_CALL_ANSWERED)->agent, A2);
	assert_string_equal(last_event(EV_CALL_TRANSFER)->by, "phone");
	assert_string_equal(last_event(EV_CALL_TRANSFER)->to, "agent:" A2);
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");
	assert_int_equal(final_int("transfers"), 1);
}

/* agent2 signs in, ready, its phone answering after answer_ms (reject:
 * refusing with that status; bye_ms: hanging up after that long). */
static void agent2_ready(int answer_ms, int reject, int bye_ms)
{
	peer_script(&E->a2, answer_ms, reject, bye_ms);
	acd_set_registered(E->acd, agent(A2), true);
	agent(A2)->blocked_until_ms = 0;
	if (state_of(A2) != AGENT_READY)
		assert_null(acd_agent_request(E->acd, agent(A2), AGENT_READY, NULL));
}

static const char *consult_a2(struct call *c)
{
	return call_consult(c, agent(A2), A2, "1002");
}

/* Consult, then complete: the caller waits (blocked, its music, hearing no
 * one), agent2's phone is offered agent1's media by subscription and
 * answers, the two agents hear each other; completed, the caller and
 * agent2 are linked, agent1's phone is hung up, the pop is agent2's and the
 * record too, transferred once by consult. */
static void consult_then_complete(void **state)
{
	(void)state;
	begin();
	struct phone *gw = talking_with(A1, KNOWN_CALLER);
	const char *id = the_call();
	struct call *c = live_call();
	assert_string_equal(call_consult_end(c, true), "not_consulting");
	agent2_ready(50, 0, 0);
	assert_string_equal(call_consult(c, agent(A1), A1, "1001"), "same_agent");
	assert_null(consult_a2(c));
	assert_int_equal(c->state, CALL_CONSULT);
	assert_string_equal(consult_a2(c), "consulting");
	assert_string_equal(call_hold(c, true, "workbench"), "consulting");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_CONSULT_ANSWERED), T_DEADLINE_MS));
	assert_int_equal(E->a2.invites, 1);
	assert_int_equal(frtp_count(&E->rtp, id, "subscribe request", NULL, "cs1", NULL), 1);
	assert_int_equal(frtp_count(&E->rtp, id, "unsubscribe", NULL, "caller", NULL), 1);
	assert_int_equal(frtp_count(&E->rtp, id, "block media", "caller", NULL, NULL), 1);
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "subscribe request", NULL,
							 "ag1", NULL) == 1, T_DEADLINE_MS));
	assert_int_equal(state_of(A2), AGENT_ON_CALL);
	assert_null(call_consult_end(c, true));
	assert_true(LOOP_UNTIL(E->t.core.root, E->a1.byes == 1, T_DEADLINE_MS));
	assert_int_equal(c->state, CALL_BRIDGED);
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "subscribe request", NULL,
							 "caller", NULL) == 1, T_DEADLINE_MS));
	assert_int_equal(frtp_count(&E->rtp, id, "unsubscribe", NULL, "ag1", NULL), 1);
	assert_string_equal(last_event(EV_CALL_ANSWERED)->agent, A2);
	assert_string_equal(last_event(EV_CALL_TRANSFER)->by, "consult");
	assert_string_equal(last_event(EV_CALL_CONSULT_ENDED)->reason, "completed");
	assert_int_equal(E->a2.byes, 0);
	caller_leaves_agent2s_call(gw);
}

/* Consult from hold, then back to the caller; a consulted phone that
 * rejects, one that hangs up, one that rings out: back to the caller each
 * time, agent1 still talking; agent1 hanging up while agent2 talks hands
 * the caller over; while agent2 rings, ends the call. */
static void consult_then_back(void **state)
{
	(void)state;
	begin();
	struct phone *gw = talking_with(A1, "13600136108");
	struct call *c = live_call();
	agent2_ready(50, 0, 0);
	assert_null(call_hold(c, true, "workbench"));
	assert_null(consult_a2(c));
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_CONSULT_ANSWERED), T_DEADLINE_MS));
	assert_null(call_consult_end(c, false));
	assert_true(LOOP_UNTIL(E->t.core.root, E->a2.byes == 1, T_DEADLINE_MS));
	assert_int_equal(c->state, CALL_BRIDGED);
	assert_string_equal(last_event(EV_CALL_CONSULT_ENDED)->reason, "cancelled");
	assert_int_equal(E->a1.byes, 0);
	assert_true(LOOP_UNTIL(E->t.core.root, state_of(A2) == AGENT_READY, T_DEADLINE_MS));

	agent2_ready(0, 486, 0);
	assert_null(consult_a2(c));
	assert_true(LOOP_UNTIL(E->t.core.root, c->state == CALL_BRIDGED, T_DEADLINE_MS));
	assert_string_equal(last_event(EV_CALL_CONSULT_ENDED)->reason, "rejected");

	agent2_ready(50, 0, 100);
	assert_null(consult_a2(c));
	assert_true(LOOP_UNTIL(E->t.core.root, events_of(EV_CALL_CONSULT_ENDED) == 3, T_DEADLINE_MS));
	assert_int_equal(c->state, CALL_BRIDGED);
	assert_int_equal(E->a1.byes, 0);

	/* agent1 hangs up while agent2 talks: the caller is agent2's. */
	agent2_ready(50, 0, 0);
	assert_null(consult_a2(c));
	assert_true(LOOP_UNTIL(E->t.core.root, events_of(EV_CALL_CONSULT_ANSWERED) == 3,
			       T_DEADLINE_MS));
	nua_bye(E->a1.nh, TAG_END());
	assert_true(LOOP_UNTIL(E->t.core.root, last_event(EV_CALL_ANSWERED) &&
						       !strcmp(last_event(EV_CALL_ANSWERED)->agent, A2),
			       T_DEADLINE_MS));
	assert_int_equal(c->state, CALL_BRIDGED);
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");

	/* agent1 hangs up while agent2 still rings: the call ends. */
	begin();
	talking_with(A1, "13600136109");
	c = live_call();
	agent2_ready(-1, 0, 0);
	assert_null(consult_a2(c));
	assert_true(LOOP_UNTIL(E->t.core.root, E->a2.invites == 1, T_DEADLINE_MS));
	nua_bye(E->a1.nh, TAG_END());
	wait_end();
	assert_final("answered agent agent hung up while consulting");
	assert_int_equal(E->a2.cancels, 1);

	/* Hung up from the workbench while consulting: the call ends. */
	begin();
	talking_with(A1, "13600136110");
	c = live_call();
	agent2_ready(-1, 0, 0);
	assert_null(consult_a2(c));
	assert_null(call_drop(c));
	wait_end();
	assert_final("answered agent agent hung up (workbench)");
}

/* The consulted phone rings out (a group with 1 s of ringing). */
static void consult_rings_out(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	struct phone *gw = call("4006", "13600136111");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	struct call *c = live_call();
	agent2_ready(-1, 0, 0);
	assert_null(consult_a2(c));
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_CONSULT_ENDED), T_DEADLINE_MS));
	assert_string_equal(last_event(EV_CALL_CONSULT_ENDED)->reason, "no_answer");
	assert_int_equal(c->state, CALL_BRIDGED);
	nua_bye(gw->nh, TAG_END());
	wait_end();
}

/* A survey flow's caller held when the agent hangs up goes back to the
 * flow (music stopped, sides unblocked first). */
static void agent_leaves_a_held_caller_to_the_survey(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	call("4021", "13600136105");
	const char *id = the_call();
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	struct call *c = live_call();
	assert_null(call_hold(c, true, "workbench"));
	nua_bye(E->a1.nh, TAG_END());
	assert_true(LOOP_UNTIL(E->t.core.root, frtp_count(&E->rtp, id, "unblock media", "caller",
							 NULL, NULL) == 1, T_DEADLINE_MS));
	send_dtmf(id, 1);
	wait_end();
	assert_final("answered system normal");
	assert_int_equal(final_int("holds"), 1);
}

/* Every row of the state machine's table was taken by one of the calls
 * above: the table holds no transition the program never takes. */
/* --- a supervisor (monitor.c) ------------------------------------------------------- */

/* The case's events of type, counted. */
static unsigned count_of(enum ev_type type)
{
	unsigned n = 0;
	for (unsigned i = E->mark; i < E->t.events.n; i++)
		n += E->t.events.ev[i].type == type;
	return n;
}

/* A bridged call a supervisor listens to: only while bridged, one at a
 * time, listen only; the supervisor's phone gets rtpengine's subscription
 * offer, its answer goes to rtpengine; it hangs up and rtpengine is told;
 * the call goes on. */
static void supervisor_listens(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	peer_script(&E->sup, 50, 0, 200);
	struct phone *gw = call("4001", "13600136011");
	const char *id = the_call();
	const char *tag = NULL;
	assert_string_equal(call_monitor(E->calls, id, "1009", NULL, &tag), "not_bridged");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	assert_string_equal(call_monitor(E->calls, "no-such-call", "1009", NULL, &tag),
			    "unknown_call");
	assert_string_equal(call_monitor(E->calls, id, "1009", "whisper", &tag), "not_supported");
	assert_string_equal(call_monitor(E->calls, id, "1009", "barge", &tag), "not_supported");
	assert_string_equal(call_monitor(E->calls, id, "1009", "shout", &tag), "bad_request");
	assert_string_equal(call_monitor(E->calls, id, "10 09", NULL, &tag), "bad_request");
	assert_null(call_monitor(E->calls, id, "1009", "listen", &tag));
	assert_string_equal(tag, "sup1");
	assert_string_equal(call_monitor(E->calls, id, "1009", NULL, NULL), "monitored");
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_MONITOR_ANSWERED), T_DEADLINE_MS));
	assert_int_equal(E->sup.invites, 1);
	assert_true(LOOP_UNTIL(E->t.core.root,
			       frtp_count(&E->rtp, id, "subscribe answer", NULL, "sup1", NULL) == 1,
			       T_DEADLINE_MS));
	assert_int_equal(frtp_count(&E->rtp, id, "subscribe request", NULL, "sup1", NULL), 1);
	/* The supervisor hangs up: the subscription ends, the call goes on. */
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_MONITOR_ENDED), T_DEADLINE_MS));
	assert_string_equal(event(EV_CALL_MONITOR_ENDED)->reason, "hangup");
	assert_true(LOOP_UNTIL(E->t.core.root,
			       frtp_count(&E->rtp, id, "unsubscribe", NULL, "sup1", NULL) == 1,
			       T_DEADLINE_MS));
	assert_false(seen(EV_CALL_ENDED));
	/* Another supervisor may listen now. */
	peer_script(&E->sup, 50, 0, 0);
	assert_null(call_monitor(E->calls, id, "1009", NULL, &tag));
	assert_string_equal(tag, "sup2");
	assert_true(LOOP_UNTIL(E->t.core.root, count_of(EV_CALL_MONITOR_ANSWERED) == 2,
			       T_DEADLINE_MS));
	/* The call ends: the supervisor's phone is hung up with it. */
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_true(LOOP_UNTIL(E->t.core.root, E->sup.byes == 1, T_DEADLINE_MS));
	assert_int_equal(count_of(EV_CALL_MONITOR_ENDED), 2);
	assert_final("answered caller ");
	assert_log("start enqueue offer ringing answer monitor monitor_answer monitor_end "
		   "monitor monitor_answer monitor_end end");
}

/* The supervisor's phone rejects the call, or rtpengine fails the
 * subscription: the monitoring ends, the call does not. */
static void supervisor_not_reached(void **state)
{
	(void)state;
	begin();
	only_ready(A1, NULL);
	peer_script(&E->sup, 0, 486, 0);
	struct phone *gw = call("4001", "13600136012");
	const char *id = the_call();
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_ANSWERED), T_DEADLINE_MS));
	assert_null(call_monitor(E->calls, id, "1009", NULL, NULL));
	assert_true(LOOP_UNTIL(E->t.core.root, seen(EV_CALL_MONITOR_ENDED), T_DEADLINE_MS));
	assert_string_equal(event(EV_CALL_MONITOR_ENDED)->reason, "rejected");
	assert_false(seen(EV_CALL_MONITOR_ANSWERED));
	E->rtp.fail_cmd = "subscribe request";
	peer_script(&E->sup, 50, 0, 0);
	assert_null(call_monitor(E->calls, id, "1009", NULL, NULL));
	assert_true(LOOP_UNTIL(E->t.core.root, count_of(EV_CALL_MONITOR_ENDED) == 2,
			       T_DEADLINE_MS));
	assert_int_equal(E->sup.invites, 0);
	E->rtp.fail_cmd = NULL;
	assert_false(seen(EV_CALL_ENDED));
	nua_bye(gw->nh, TAG_END());
	wait_end();
	assert_final("answered caller ");
}

static void every_row_of_the_table_ran(void **state)
{
	(void)state;
	unsigned missing = 0;
	for (size_t r = 0; r < call_fsm_rows(); r++) {
		int from, ev, to;
		if (call_fsm_hits(r, &from, &ev, &to))
			continue;
		fprintf(stderr, "row %zu never ran: %s %s\n", r,
			from < 0 ? "any" : call_state_name((enum call_state)from),
			call_event_name((enum call_event)ev));
		missing++;
	}
	assert_int_equal(missing, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answered_by_a_ready_agent),
		cmocka_unit_test(hold_mute_and_resume_from_the_workbench),
		cmocka_unit_test(hold_from_the_phone),
		cmocka_unit_test(hangup_from_the_workbench),
		cmocka_unit_test(keys_to_the_far_end),
		cmocka_unit_test(blind_transfer_to_an_agent),
		cmocka_unit_test(blind_transfer_to_a_number),
		cmocka_unit_test(transfer_from_the_phone),
		cmocka_unit_test(agent_leaves_a_held_caller_to_the_survey),
		cmocka_unit_test(ivr_menu_key_to_the_queue),
		cmocka_unit_test(ivr_menu_timeout_hangs_up),
		cmocka_unit_test(ivr_survey_after_the_agent),
		cmocka_unit_test(ivr_priority_goes_first),
		cmocka_unit_test(ivr_familiar_agent_first),
		cmocka_unit_test(ivr_transfer_to_an_agent),
		cmocka_unit_test(ivr_contact_fields),
		cmocka_unit_test(a_second_call_is_looked_up_in_memory),
		cmocka_unit_test(a_forget_during_a_query_keeps_nothing),
		cmocka_unit_test(voicemail_recorded_to_its_length),
		cmocka_unit_test(voicemail_ended_by_the_callers_hash),
		cmocka_unit_test(voicemail_kept_when_the_caller_hangs_up),
		cmocka_unit_test(voicemail_branch_refused),
		cmocka_unit_test(ivr_dial_reaches_the_far_end),
		cmocka_unit_test(ivr_dial_rejected_takes_next),
		cmocka_unit_test(ivr_dial_rings_out),
		cmocka_unit_test(ivr_dial_media_fails),
		cmocka_unit_test(caller_leaves_while_the_agent_rings),
		cmocka_unit_test(no_answer_then_the_next_agent),
		cmocka_unit_test(rejected),
		cmocka_unit_test(nobody_then_the_closing_prompt),
		cmocka_unit_test(music_while_waiting_and_ringing),
		cmocka_unit_test(announcements_while_waiting),
		cmocka_unit_test(ring_all_the_first_to_answer_takes_it),
		cmocka_unit_test(ring_all_caller_leaving_stops_every_phone),
		cmocka_unit_test(ring_all_rings_out_together),
		cmocka_unit_test(unstaffed_group_closes_at_once),
		cmocka_unit_test(overflow_after_the_maximum_wait),
		cmocka_unit_test(overflow_never_loops),
		cmocka_unit_test(a_number_dialed_nationally_finds_its_e164_entry),
		cmocka_unit_test(unknown_number),
		cmocka_unit_test(agent_held_by_another_node),
		cmocka_unit_test(rtpengine_fails_the_callers_offer),
		cmocka_unit_test(rtpengine_fails_the_agents_branch),
		cmocka_unit_test(rtpengine_fails_the_bridge),
		cmocka_unit_test(agent_hangs_up),
		cmocka_unit_test(caller_never_acks),
		cmocka_unit_test(longer_than_the_maximum),
		cmocka_unit_test(shutdown_ends_waiting_calls),
		cmocka_unit_test(caller_leaves_while_media_is_set_up),
		cmocka_unit_test(no_queue_for_the_number),
		cmocka_unit_test(phone_unreachable),
		cmocka_unit_test(unusable_dialog_target_refused),
		cmocka_unit_test(caller_not_utf8_refused),
		cmocka_unit_test(maximum_wait_while_ringing),
		cmocka_unit_test(wrapup_after_the_call),
		cmocka_unit_test(a_controller_with_keys_and_a_timer),
		cmocka_unit_test(originate_answered),
		cmocka_unit_test(originate_busy),
		cmocka_unit_test(originate_no_answer),
		cmocka_unit_test(originate_without_an_offer),
		cmocka_unit_test(manual_outbound),
		cmocka_unit_test(manual_outbound_not_signed_in),
		cmocka_unit_test(manual_outbound_not_reached),
		cmocka_unit_test(click_to_dial),
		cmocka_unit_test(click_to_dial_refused),
		cmocka_unit_test(click_to_dial_agent_held_elsewhere),
		cmocka_unit_test(supervisor_listens),
		cmocka_unit_test(supervisor_not_reached),
		cmocka_unit_test(consult_then_complete),
		cmocka_unit_test(consult_then_back),
		cmocka_unit_test(consult_rings_out),
		cmocka_unit_test(every_row_of_the_table_ran),
	};
	/* TEST_FILTER=name runs the cases matching it (the last one then
	 * fails: not every row ran). */
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	if (getenv("TEST_DEBUG"))
		log_set_level(LOG_DEBUG);
	return cmocka_run_group_tests_name("callflow", tests, group_setup, group_teardown);
}
