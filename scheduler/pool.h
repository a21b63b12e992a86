/* pool.h: the daemon's pool accounting (docs/pools.md). Once per pass that
 * has a ready try naming a pool, pool_table_load reads the pools table and
 * counts the slots held by every proc that has not been recorded yet (queued
 * for launch, starting, running, exited but not recorded): a pool's slots
 * are never exceeded because a try starts only through pool_take, which
 * checks and counts in the same pass. */
#ifndef SCHED_POOL_H
#define SCHED_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct daemon;

struct pool_use {
	char *name;
	int slots;	/* pools.slots */
	int64_t used;	/* held by procs, and taken in this pass */
};

struct pool_table {
	struct pool_use *v;
	size_t n, cap;
	bool loaded;	/* in this pass */
};

/* Reads the pools and the slots the procs hold; 0 or -1 (d->store->err). */
int pool_table_load(struct daemon *d, struct pool_table *t);
/* Ends the pass's view (the next pass reads the table again). */
void pool_table_reset(struct pool_table *t);
void pool_table_free(struct pool_table *t);

enum pool_answer { POOL_TAKEN, POOL_FULL, POOL_UNKNOWN, POOL_TOO_SMALL };
/* Takes slots of pool name if they are free. POOL_UNKNOWN: no such pool;
 * POOL_TOO_SMALL: the pool has fewer slots than asked, even when empty. */
enum pool_answer pool_take(struct pool_table *t, const char *name, int slots, int *pool_size);

#endif
