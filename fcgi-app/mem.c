/* The heap: bounded arenas, free pages given back (see mem.h). */
#include "mem.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

int mem_arenas(int n)
{
	if (n <= 0)
		return 0;
	/* mallopt returns 1 on success. */
	return mallopt(M_ARENA_MAX, n) == 1 ? 0 : -1;
}

void mem_trim(void)
{
	malloc_trim(0);
}

long mem_rss_kb(void)
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
