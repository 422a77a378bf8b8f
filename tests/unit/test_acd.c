/* The ACD taking directory snapshots: queues and members follow the skill
 * groups across reloads, waiting calls keep their queue, agents keep their
 * state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "b2bua/acd/acd.h"
#include "b2bua/call/call.h"
#include "b2bua/core/app.h"
#include "b2bua/dir/dir.h"

static struct app app;

static struct dir *snapshot(const unsigned *groups, size_t ngroups, const char *const *members)
{
	struct dir *d = dir_new("/audio");
	for (size_t i = 0; i < ngroups; i++) {
		struct dir_group g = { .id = groups[i], .name = "g", .ring_timeout_s = 10,
				       .max_wait_s = 60 };
		assert_int_equal(dir_add_group(d, &g), 0);
	}
	static const char *const ids[] = { "a1", "a2", "a3" };
	static const char *const sips[] = { "1001", "1002", "1003" };
	for (int i = 0; i < 3; i++) {
		struct dir_agent a = { .id = ids[i], .name = ids[i], .login = ids[i], .sip = sips[i] };
		assert_int_equal(dir_add_agent(d, &a), 0);
	}
	/* members: "agent:group" pairs */
	for (size_t i = 0; members && members[i]; i++) {
		char id[8];
		unsigned g;
		assert_int_equal(sscanf(members[i], "%7[^:]:%u", id, &g), 2);
		assert_int_equal(dir_add_member(d, g, id), 0);
	}
	return dir_done(d);
}

static size_t members_of(struct acd *acd, unsigned group)
{
	struct queue *q = acd_queue(acd, group);
	return q ? q->nmembers : (size_t)-1;
}

static void queues_follow_reloads(void **state)
{
	(void)state;
	struct acd *acd;
	assert_int_equal(acd_alloc(&acd, &app), 0);

	const unsigned two[] = { 1, 2 };
	const char *const m1[] = { "a1:1", "a2:1", "a2:2", "a3:2", NULL };
	struct dir *d1 = snapshot(two, 2, m1);
	acd_merge(acd, d1);
	assert_int_equal(acd_queue_count(acd), 2);
	assert_int_equal(members_of(acd, 1), 2);
	assert_int_equal(members_of(acd, 2), 2);
	assert_int_equal(acd_agent_count(acd), 3);
	assert_int_equal(acd_agent_at(acd, 1)->ngroups, 2);

	/* A call waits in group 1; an agent is on break. */
	struct call *call = calloc(1, sizeof *call);
	struct qentry *qe = calloc(1, sizeof *qe);
	assert_int_equal(acd_enqueue(acd, call, qe, 1, 1000), 0);
	assert_int_equal(acd_queue(acd, 1)->waiting, 1);
	struct agent *a3 = acd_agent(acd, "a3");
	/* (set directly: the request path also writes to the database) */
	assert_int_equal(agent_sm_apply(&a3->sm, AEV_BREAK, "meal", false), AGENT_SM_CHANGED);

	/* Reload with the same two groups and a third: nothing is lost. */
	const unsigned three[] = { 2, 1, 3 };
	const char *const m2[] = { "a1:1", "a2:2", "a3:3", "a3:2", NULL };
	struct dir *d2 = snapshot(three, 3, m2);
	acd_merge(acd, d2);
	assert_int_equal(acd_queue_count(acd), 3);
	assert_int_equal(members_of(acd, 1), 1);
	assert_int_equal(members_of(acd, 2), 2);
	assert_int_equal(members_of(acd, 3), 1);
	assert_ptr_equal(acd_queue(acd, 1)->head, qe);
	assert_ptr_equal(acd_agent(acd, "a3"), a3);
	assert_int_equal(a3->sm.state, AGENT_NOT_READY);
	assert_string_equal(a3->sm.reason, "meal");

	/* Group 1 goes away while its call waits: its queue stays until the
	 * call leaves; a group that goes away empty is dropped. */
	const unsigned one[] = { 2 };
	const char *const m3[] = { "a2:2", NULL };
	struct dir *d3 = snapshot(one, 1, m3);
	acd_merge(acd, d3);
	assert_int_equal(acd_queue_count(acd), 2);
	assert_non_null(acd_queue(acd, 1));
	assert_null(acd_queue(acd, 3));
	assert_int_equal(members_of(acd, 1), 0);
	assert_int_equal(members_of(acd, 2), 1);
	acd_dequeue(acd, qe);
	assert_int_equal(acd_queue(acd, 1)->waiting, 0);
	acd_merge(acd, d3);
	assert_int_equal(acd_queue_count(acd), 1);
	assert_null(acd_queue(acd, 1));

	acd_free(acd);
	dir_free(d1);
	dir_free(d2);
	dir_free(d3);
	free(qe);
	free(call);
}

static void directory_lookups(void **state)
{
	(void)state;
	struct dir *d = dir_new("/srv/audio");
	struct dir_number n1 = { .id = 1, .number = "4002", .group = 1 };
	struct dir_number n2 = { .id = 2, .number = "4001", .group = 1, .welcome_audio = 7 };
	assert_int_equal(dir_add_number(d, &n1), 0);
	assert_int_equal(dir_add_number(d, &n2), 0);
	assert_int_equal(dir_add_audio(d, 7, "welcome", "welcome.wav"), 0);
	/* Names that would leave the audio folder are refused. */
	assert_int_equal(dir_add_audio(d, 8, "x", "../etc/passwd"), 0);
	assert_int_equal(dir_add_audio(d, 9, "x", ".hidden"), 0);
	d = dir_done(d);
	assert_non_null(d);
	assert_int_equal(dir_number(d, "4001")->welcome_audio, 7);
	assert_int_equal(dir_number(d, "4002")->id, 1);
	assert_null(dir_number(d, "4003"));
	assert_string_equal(dir_audio(d, 7)->path, "/srv/audio/welcome.wav");
	assert_null(dir_audio(d, 8));
	assert_null(dir_audio(d, 9));
	assert_null(dir_audio(d, 0));
	dir_free(d);

	/* An empty directory answers lookups with nothing. */
	struct dir *e = dir_done(dir_new("/a"));
	assert_null(dir_number(e, "4001"));
	assert_null(dir_group(e, 1));
	dir_free(e);
}

int main(void)
{
	app.conf.node_id = "node1";
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queues_follow_reloads),
		cmocka_unit_test(directory_lookups),
	};
	return cmocka_run_group_tests_name("acd", tests, NULL, NULL);
}
