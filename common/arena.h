/* Arenas: many small allocations freed at once. One arena per FastCGI
 * request, one per loaded manifest. Not thread-safe: one owner at a time. */
#ifndef CC_ARENA_H
#define CC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Returns NULL when out of memory. */
struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Zeroed memory that lives until arena_free; NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies of strings; NULL in gives NULL out. */
char *arena_strdup(struct arena *a, const char *s);
/* Room for one more element in the array *v of n elements of size elem
 * (*cap of them allocated): when it is full, a copy twice as large (first
 * a few) in the arena. 0, or -1 when out of memory (*v unchanged). */
int arena_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t elem);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

#endif
