/* The heap of a threaded server that builds pages (mem.c).
 *
 * glibc gives threads malloc arenas of their own (up to 8 per core), and an
 * arena keeps the pages of the largest request it ever served: freed, but
 * still resident. A page whose size grows with the day (the workbench's
 * conversation list grows with the agent's calls, up to its LIMIT) makes
 * every arena's resident size grow with it, which looks like a leak in the
 * process's RSS though nothing is lost. Two remedies, both set in the
 * config: fewer arenas (mem_arenas), and the free pages given back now and
 * then (mem_trim) by a thread that has nothing else to do. */
#ifndef WEB_MEM_H
#define WEB_MEM_H

#include <stddef.h>

/* Limits the arenas to n (M_ARENA_MAX); n 0 leaves glibc's default. Call
 * before any thread starts. 0, or -1 when the allocator refused. */
int mem_arenas(int n);
/* Gives the free pages of every arena back to the system (malloc_trim).
 * Takes each arena's lock in turn, briefly: never call it where a wait
 * matters. */
void mem_trim(void);

#endif
