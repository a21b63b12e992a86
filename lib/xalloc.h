/* xalloc.h: memory allocation with one out-of-memory policy for every program
 * of the project.
 *
 * The policy (Redis's): an allocation that fails stops the program at once
 * with a message on stderr naming the size, and abort() so a core or the
 * sanitizer shows where. None of these programs can do anything useful without
 * the memory it asked for, and a half-handled NULL is how data gets lost: the
 * scheduler's state is in SQLite and survives, the jobs are rerun by the
 * scheduler, so stopping is always the safe answer.
 *
 * Code that can honestly recover from a refused allocation (a size that came
 * from input and may be absurd) checks the size before, not the pointer after. */
#ifndef BASE_XALLOC_H
#define BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Stops the program: "out of memory (N bytes)" on stderr, then abort(). */
_Noreturn void xalloc_die(size_t n);

#endif
