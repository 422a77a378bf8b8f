/* For the web tests that render with the real templates: an arena and the
 * templates of templates/, made by setup and freed by teardown (a cmocka
 * group's). Include after cmocka.h and the web app's headers. */
#ifndef TEST_WEB_FIXTURE_H
#define TEST_WEB_FIXTURE_H

#include <stdio.h>

static struct arena *a;
static struct tmpl *t;

static int setup(void **state)
{
	(void)state;
	char err[512];
	a = arena_new();
	if (!a || tmpl_load(&t, "templates", err, sizeof err)) {
		fprintf(stderr, "templates: %s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmpl_free(t);
	arena_free(a);
	return 0;
}

#endif
