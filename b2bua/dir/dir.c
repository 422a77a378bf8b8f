/* The directory: see dir.h. A snapshot and all its strings live in one
 * arena; lookups are linear over small arrays (numbers and groups number in
 * the tens, agents in the hundreds) except numbers, which are sorted. */
#include "b2bua/dir/dir.h"

#include "arena.h"
#include "db.h"
#include "ivr_run.h"
#include "log.h"
#include "manifest.h"
#include "rec_policy.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dir {
	struct arena *arena;
	struct dir_number *numbers;	/* sorted by number */
	size_t nnumbers, cap_numbers;
	struct dir_group *groups;
	size_t ngroups, cap_groups;
	struct dir_agent *agents;
	size_t nagents, cap_agents;
	struct dir_audio *audio;
	size_t naudio, cap_audio;
	struct dir_prog {
		unsigned flow;
		struct ivr_prog *prog;
	} *progs;
	size_t nprogs, cap_progs;
	const char **caller_ids;	/* numbers with usage outbound or both */
	size_t ncaller_ids, cap_caller_ids;
	struct group_caller_id { unsigned group; const char *number; } *group_ids;
	size_t ngroup_ids, cap_group_ids;
	const char *audio_dir;
	bool failed;			/* a row could not be kept (out of memory) */
};

void dir_sql_free(struct dir_sql *sql)
{
	free(sql->agents);
	free(sql->members);
	sql->agents = sql->members = NULL;
}

int dir_sql_build(struct dir_sql *sql, const struct manifest *mf)
{
	char roles[512];
	if (manifest_flags_sql(mf->users.agent_flags, mf->users.nagent, "u", roles, sizeof roles))
		return -1;
	dir_sql_free(sql);
	/* An agent: a helpdesk user with the agent role, not deleted, with an
	 * enabled SIP account. One department per user in the reference host
	 * (the first by name if a host has several). The departments are read
	 * once, grouped, and joined: a subquery per user would scan the host's
	 * membership table once per agent whenever the server misjudges its
	 * index (its statistics lag a bulk import of agents: 10,000 agents took
	 * 11 s instead of 0.1 s, past the read timeout; BENCHMARKS.md part 14). */
	if (asprintf(&sql->agents,
		     "SELECT u.`%s`, u.`%s`, u.`%s`, s.username, m.dept, "
		     "a.state, a.reason, a.node "
		     "FROM `%s` u JOIN cc_sip_account s ON s.user_id = u.`%s` AND s.enabled = 1 "
		     "LEFT JOIN cc_agent a ON a.user_id = u.`%s` "
		     "LEFT JOIN (SELECT `%s` uid, MIN(`%s`) dept FROM `%s` GROUP BY `%s`) m "
		     "ON m.uid = u.`%s` "
		     "WHERE (u.`%s` IS NULL OR u.`%s` = 0) AND (%s) ORDER BY u.`%s`",
		     mf->users.id, mf->users.display_name, mf->users.username, mf->users.table,
		     mf->users.id, mf->users.id, mf->membership.user, mf->membership.department,
		     mf->membership.table, mf->membership.user, mf->users.id, mf->users.deleted,
		     mf->users.deleted, roles, mf->users.id) < 0)
		return -1;
	/* Skill-group members: the plugin's members with their levels first (a
	 * level given there wins), then the users of the group's department
	 * (when that department has the skill flag) at level 1. */
	if (asprintf(&sql->members,
		     "SELECT x.skill_group_id, x.user_id, x.level FROM cc_skill_group_member x "
		     "JOIN cc_skill_group g ON g.id = x.skill_group_id AND g.enabled = 1 "
		     "UNION ALL SELECT g.id, m.`%s`, 1 FROM cc_skill_group g "
		     "JOIN `%s` d ON d.`%s` = g.organ_id AND d.`%s` = 1 "
		     "JOIN `%s` m ON m.`%s` = g.organ_id WHERE g.enabled = 1",
		     mf->membership.user, mf->departments.table, mf->departments.id,
		     mf->departments.skill, mf->membership.table, mf->membership.department) < 0)
		return -1;
	return 0;
}

#define GROW(d, arr, n, cap)                                                         \
	do {                                                                         \
		if ((d)->n == (d)->cap) {                                            \
			size_t nc = (d)->cap ? (d)->cap * 2 : 16;                    \
			void *p = realloc((d)->arr, nc * sizeof *(d)->arr);          \
			if (!p) {                                                    \
				(d)->failed = true;                                  \
				return -1;                                           \
			}                                                            \
			(d)->arr = p;                                                \
			(d)->cap = nc;                                               \
		}                                                                    \
	} while (0)

static char *keep(struct dir *d, const char *s)
{
	if (!s)
		return NULL;
	char *c = arena_strdup(d->arena, s);
	if (!c)
		d->failed = true;
	return c;
}

struct dir *dir_new(const char *audio_dir)
{
	struct dir *d = calloc(1, sizeof *d);
	if (!d || !(d->arena = arena_new())) {
		free(d);
		return NULL;
	}
	d->audio_dir = keep(d, audio_dir ? audio_dir : "");
	return d;
}

int dir_add_group(struct dir *d, const struct dir_group *g)
{
	GROW(d, groups, ngroups, cap_groups);
	struct dir_group *c = &d->groups[d->ngroups++];
	*c = *g;
	c->name = keep(d, g->name ? g->name : "");
	c->strategy = keep(d, g->strategy ? g->strategy : "longest_idle");
	return d->failed ? -1 : 0;
}

int dir_add_number(struct dir *d, const struct dir_number *n)
{
	GROW(d, numbers, nnumbers, cap_numbers);
	struct dir_number *c = &d->numbers[d->nnumbers++];
	*c = *n;
	c->number = keep(d, n->number ? n->number : "");
	c->name = keep(d, n->name ? n->name : "");
	return d->failed ? -1 : 0;
}

int dir_add_caller_id(struct dir *d, const char *number)
{
	GROW(d, caller_ids, ncaller_ids, cap_caller_ids);
	d->caller_ids[d->ncaller_ids++] = keep(d, number ? number : "");
	return d->failed ? -1 : 0;
}

int dir_add_group_caller_id(struct dir *d, unsigned group, const char *number)
{
	GROW(d, group_ids, ngroup_ids, cap_group_ids);
	d->group_ids[d->ngroup_ids++] = (struct group_caller_id){ group, keep(d, number ? number : "") };
	return d->failed ? -1 : 0;
}

const char *dir_group_caller_id(const struct dir *d, unsigned group)
{
	for (size_t i = 0; d && i < d->ngroup_ids; i++)
		if (d->group_ids[i].group == group && d->group_ids[i].number &&
		    *d->group_ids[i].number)
			return d->group_ids[i].number;
	return NULL;
}

bool dir_caller_id(const struct dir *d, const char *number)
{
	for (size_t i = 0; d && number && *number && i < d->ncaller_ids; i++)
		if (d->caller_ids[i] && !strcmp(d->caller_ids[i], number))
			return true;
	return false;
}

int dir_add_prog(struct dir *d, unsigned flow, struct ivr_prog *prog)
{
	if (d->nprogs == d->cap_progs) {
		size_t cap = d->cap_progs ? d->cap_progs * 2 : 8;
		struct dir_prog *v = realloc(d->progs, cap * sizeof *v);
		if (!v) {
			ivr_prog_unref(prog);
			d->failed = true;
			return -1;
		}
		d->progs = v;
		d->cap_progs = cap;
	}
	d->progs[d->nprogs++] = (struct dir_prog){ flow, prog };
	return 0;
}

struct ivr_prog *dir_prog(const struct dir *d, unsigned id)
{
	for (size_t i = 0; d && i < d->nprogs; i++)
		if (d->progs[i].flow == id)
			return d->progs[i].prog;
	return NULL;
}

int dir_add_audio(struct dir *d, unsigned id, const char *name, const char *file)
{
	/* File names are made by the plugin; still, never leave the folder. */
	if (!file || strchr(file, '/') || file[0] == '.') {
		log_warn("audio %u: file name '%s' refused", id, file ? file : "");
		return 0;
	}
	GROW(d, audio, naudio, cap_audio);
	struct dir_audio *a = &d->audio[d->naudio++];
	a->id = id;
	a->name = keep(d, name ? name : "");
	a->path = arena_printf(d->arena, "%s/%s", d->audio_dir, file);
	if (!a->path)
		d->failed = true;
	return d->failed ? -1 : 0;
}

int dir_add_agent(struct dir *d, const struct dir_agent *a)
{
	GROW(d, agents, nagents, cap_agents);
	struct dir_agent *c = &d->agents[d->nagents++];
	memset(c, 0, sizeof *c);
	c->id = keep(d, a->id);
	c->name = keep(d, a->name ? a->name : a->login ? a->login : "");
	c->login = keep(d, a->login ? a->login : "");
	c->sip = keep(d, a->sip);
	c->dept = keep(d, a->dept);
	c->stored_state = keep(d, a->stored_state);
	c->stored_reason = keep(d, a->stored_reason);
	c->stored_node = keep(d, a->stored_node);
	c->calls_today = a->calls_today;
	c->talk_s_today = a->talk_s_today;
	return d->failed ? -1 : 0;
}

static struct dir_agent *find_agent(struct dir *d, const char *id)
{
	for (size_t i = 0; i < d->nagents; i++)
		if (!strcmp(d->agents[i].id, id))
			return &d->agents[i];
	return NULL;
}

int dir_add_member(struct dir *d, unsigned g, const char *agent_id, unsigned level)
{
	struct dir_agent *a = agent_id ? find_agent(d, agent_id) : NULL;
	if (!a || !dir_group(d, g))
		return 0;
	for (size_t i = 0; i < a->ngroups; i++)
		if (a->groups[i] == g)
			return 0;
	unsigned *ng = arena_alloc(d->arena, (a->ngroups + 1) * sizeof *ng);
	unsigned char *nl = arena_alloc(d->arena, a->ngroups + 1);
	if (!ng || !nl) {
		d->failed = true;
		return -1;
	}
	if (a->ngroups) {
		memcpy(ng, a->groups, a->ngroups * sizeof *ng);
		memcpy(nl, a->levels, a->ngroups);
	}
	ng[a->ngroups] = g;
	nl[a->ngroups++] = (unsigned char)(level < 1 ? 1 : level > 9 ? 9 : level);
	a->groups = ng;
	a->levels = nl;
	return 0;
}

/* Today's answered calls and talk time of an agent already added. */
static void set_today(struct dir *d, const char *agent_id, unsigned calls, unsigned long talk_s)
{
	struct dir_agent *a = agent_id ? find_agent(d, agent_id) : NULL;
	if (a) {
		a->calls_today = calls;
		a->talk_s_today = talk_s;
	}
}

static int cmp_number(const void *a, const void *b)
{
	return strcmp(((const struct dir_number *)a)->number, ((const struct dir_number *)b)->number);
}

struct dir *dir_done(struct dir *d)
{
	if (!d || d->failed) {
		dir_free(d);
		return NULL;
	}
	if (d->nnumbers)
		qsort(d->numbers, d->nnumbers, sizeof *d->numbers, cmp_number);
	return d;
}

static unsigned num(const char *s)
{
	return s ? (unsigned)strtoul(s, NULL, 10) : 0;
}

static enum dir_action action(const char *s)
{
	return !s ? DIR_HANGUP : !strcmp(s, "overflow") ? DIR_OVERFLOW
		: !strcmp(s, "wait") ? DIR_WAIT : DIR_HANGUP;
}

/* Rows from the database, each one added; non-zero stops the query. */
static int row_group(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	struct dir_group g = {
		.id = num(v[0]), .name = v[1], .ring_timeout_s = num(v[2]), .max_wait_s = num(v[3]),
		.wrapup_s = num(v[4]), .moh_audio = num(v[5]), .noagent_audio = num(v[6]),
		.strategy = v[7], .no_answer_break = num(v[8]),
		.max_wait_action = action(v[9]), .max_wait_audio = num(v[10]),
		.no_agent_action = action(v[11]), .overflow_group = num(v[12]),
		.announce_interval_s = num(v[13]), .announce_position = num(v[14]) != 0,
		.announce_wait = num(v[15]) != 0, .announce_audio = num(v[16]),
		.dedicated_wait_s = num(v[17]), .recording = (unsigned char)rec_policy_parse(v[18]),
	};
	return dir_add_group(arg, &g) != 0;
}

static int row_number(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	struct dir_number n = {
		.id = num(v[0]), .number = v[1], .name = v[2], .group = num(v[3]),
		.welcome_audio = num(v[4]), .flow = num(v[5]),
	};
	return dir_add_number(arg, &n) != 0;
}

/* A published flow: read (its shape was checked when it was published)
 * and compiled here, on the database worker, once per snapshot. A flow
 * that cannot be read is left out: its numbers then have no flow. */
static int row_flow(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	struct dir *d = arg;
	unsigned id = num(v[0]);
	struct ivr_problems p = { 0 };
	struct ivr_flow *f = NULL;
	struct ivr_prog *prog = NULL;
	if (!v[1] || ivr_parse(v[1], lens[1], NULL, &f, &p) ||
	    ivr_prog_build(&prog, f, id, NULL, &p)) {
		log_err("IVR flow %u version %s cannot be run: %s%s%s", id, v[2] ? v[2] : "?",
			p.n ? p.v[0].code : "no document", p.n ? " " : "", p.n ? p.v[0].detail : "");
	} else {
		dir_add_prog(d, id, prog);
	}
	ivr_free(f);
	ivr_problems_free(&p);
	return 0;
}

static int row_audio(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	return dir_add_audio(arg, num(v[0]), v[1], v[2]) != 0;
}

static int row_agent(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	struct dir_agent a = {
		.id = v[0], .name = v[1], .login = v[2], .sip = v[3], .dept = v[4],
		.stored_state = v[5], .stored_reason = v[6], .stored_node = v[7],
	};
	return dir_add_agent(arg, &a) != 0;
}

static int row_caller_id(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	return dir_add_caller_id(arg, v[0]) != 0;
}

static int row_group_caller_id(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	return dir_add_group_caller_id(arg, (unsigned)strtoul(v[0] ? v[0] : "0", NULL, 10), v[1]) != 0;
}

static int row_member(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	return dir_add_member(arg, num(v[0]), v[1], num(v[2])) != 0;
}

static int row_today(void *arg, int ncol, char **v, unsigned long *lens)
{
	(void)ncol;
	(void)lens;
	set_today(arg, v[0], num(v[1]), v[2] ? strtoul(v[2], NULL, 10) : 0);
	return 0;
}

struct dir *dir_read(struct db *db, const struct dir_sql *sql, const char *audio_dir)
{
	struct dir *d = dir_new(audio_dir);
	if (!d)
		return NULL;
	if (db_query(db, "SELECT id, name, ring_timeout_s, max_wait_s, wrapup_s, "
			 "moh_audio_id, no_agent_audio_id, strategy, no_answer_break, "
			 "max_wait_action, max_wait_audio_id, no_agent_action, overflow_group_id, "
			 "announce_interval_s, announce_position, announce_wait, announce_audio_id, "
			 "dedicated_wait_s, recording FROM cc_skill_group WHERE enabled = 1",
		     row_group, d, NULL) < 0 ||
	    db_query(db, "SELECT id, number, name, skill_group_id, welcome_audio_id, ivr_flow_id "
			 "FROM cc_number WHERE enabled = 1 AND `usage` <> 'outbound'",
		     row_number, d, NULL) < 0 ||
	    db_query(db, "SELECT number FROM cc_number WHERE enabled = 1 AND `usage` <> 'inbound'",
		     row_caller_id, d, NULL) < 0 ||
	    db_query(db, "SELECT g.skill_group_id, n.number FROM cc_skill_group_number g "
			 "JOIN cc_number n ON n.id = g.number_id "
			 "WHERE n.enabled = 1 AND n.`usage` <> 'inbound' "
			 "ORDER BY g.skill_group_id, n.id",
		     row_group_caller_id, d, NULL) < 0 ||
	    db_query(db, "SELECT f.id, v.document, v.version FROM cc_ivr_flow f "
			 "JOIN cc_ivr_version v ON v.flow_id = f.id AND v.version = f.published_version",
		     row_flow, d, NULL) < 0 ||
	    db_query(db, "SELECT id, name, filename FROM cc_audio", row_audio, d, NULL) < 0 ||
	    db_query(db, sql->agents, row_agent, d, NULL) < 0 ||
	    db_query(db, sql->members, row_member, d, NULL) < 0 ||
	    db_query(db, "SELECT agent_id, COUNT(*), "
			 "SUM(TIMESTAMPDIFF(SECOND, answered_at, ended_at)) FROM cc_call "
			 "WHERE started_at >= CURDATE() AND answered_at IS NOT NULL "
			 "AND agent_id IS NOT NULL GROUP BY agent_id",
		     row_today, d, NULL) < 0) {
		log_err("reading numbers, skill groups and agents failed: %s", db_error(db));
		dir_free(d);
		return NULL;
	}
	if (d->failed)
		log_err("reading numbers, skill groups and agents: out of memory");
	return dir_done(d);
}

void dir_free(struct dir *d)
{
	if (!d)
		return;
	free(d->numbers);
	free(d->groups);
	free(d->agents);
	free(d->audio);
	free(d->caller_ids);
	free(d->group_ids);
	for (size_t i = 0; i < d->nprogs; i++)
		ivr_prog_unref(d->progs[i].prog);
	free(d->progs);
	arena_free(d->arena);
	free(d);
}

const struct dir_number *dir_number(const struct dir *d, const char *number)
{
	if (!d || !number || !d->nnumbers)
		return NULL;
	struct dir_number key = { .number = number };
	return bsearch(&key, d->numbers, d->nnumbers, sizeof *d->numbers, cmp_number);
}

const char *dir_audio_dir(const struct dir *d)
{
	return d ? d->audio_dir : "";
}

const struct dir_group *dir_group(const struct dir *d, unsigned id)
{
	for (size_t i = 0; d && i < d->ngroups; i++)
		if (d->groups[i].id == id)
			return &d->groups[i];
	return NULL;
}

const struct dir_audio *dir_audio(const struct dir *d, unsigned id)
{
	for (size_t i = 0; d && id && i < d->naudio; i++)
		if (d->audio[i].id == id)
			return &d->audio[i];
	return NULL;
}

size_t dir_agent_count(const struct dir *d)
{
	return d ? d->nagents : 0;
}

const struct dir_agent *dir_agent_at(const struct dir *d, size_t i)
{
	return &d->agents[i];
}

size_t dir_group_count(const struct dir *d)
{
	return d ? d->ngroups : 0;
}

const struct dir_group *dir_group_at(const struct dir *d, size_t i)
{
	return &d->groups[i];
}

size_t dir_number_count(const struct dir *d)
{
	return d ? d->nnumbers : 0;
}

const struct dir_number *dir_number_at(const struct dir *d, size_t i)
{
	return d && i < d->nnumbers ? &d->numbers[i] : NULL;
}

size_t dir_number_index(const struct dir *d, const struct dir_number *n)
{
	return (size_t)(n - d->numbers);
}
