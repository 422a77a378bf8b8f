/* The heap's remedies (fcgi-app/mem.h): a thread's freed peak stays
 * resident in its arena until mem_trim gives it back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi-app/mem.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#define PEAK_KB (16 * 1024)
#define NBLOCKS 2048

#ifndef UNDER_ASAN
/* The process's resident size in KB (VmRSS), or -1. */
static long mem_rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return -1;
	char line[256];
	long kb = -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6) && sscanf(line + 6, "%ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* What a large page does to its thread's arena: many blocks below the mmap
 * threshold, touched, then freed, except a small one made last (a session
 * or a cached statement) that pins the top of the heap. */
static void *one_page(void *arg)
{
	void **keep = arg;
	static void *blocks[NBLOCKS];
	size_t each = (size_t)PEAK_KB * 1024 / NBLOCKS;
	for (int i = 0; i < NBLOCKS; i++) {
		blocks[i] = malloc(each);
		if (blocks[i])
			memset(blocks[i], 1, each);
	}
	*keep = malloc(64);
	for (int i = 0; i < NBLOCKS; i++)
		free(blocks[i]);
	return NULL;
}

static void trim_gives_back_a_threads_peak(void **state)
{
	(void)state;
	long base = mem_rss_kb();
	assert_true(base > 0);
	void *keep = NULL;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, one_page, &keep), 0);
	pthread_join(t, NULL);
	long peak = mem_rss_kb();
	/* Freed, yet resident: what cc-web's RSS showed. */
	assert_true(peak - base > PEAK_KB / 2);
	mem_trim();
	long after = mem_rss_kb();
	assert_true(after - base < (peak - base) / 4);
	free(keep);
}
#endif

static void arenas_setting(void **state)
{
	(void)state;
	assert_int_equal(mem_arenas(0), 0);	/* glibc's default: nothing set */
#ifndef UNDER_ASAN
	assert_int_equal(mem_arenas(2), 0);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifndef UNDER_ASAN
		/* glibc's arenas: under ASan its own allocator serves malloc,
		 * so this runs in the plain build only (make test). */
		cmocka_unit_test(trim_gives_back_a_threads_peak),
#endif
		cmocka_unit_test(arenas_setting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
