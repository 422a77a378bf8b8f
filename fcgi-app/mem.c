/* The heap: bounded arenas, free pages given back (see mem.h). */
#include "mem.h"

#include <malloc.h>

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
