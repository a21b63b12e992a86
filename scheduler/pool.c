/* pool.c: pools' slots as the dispatcher sees them (pool.h, docs/pools.md).
 *
 * Invariant: within a pass, for every pool P,
 *     used(P) = sum of pool_slots of the procs of P that are not RECORDED
 *               + the slots pool_take gave in this pass (which become procs)
 * and pool_take refuses when used(P) + slots > P.slots. A proc leaves its
 * pool when its outcome is recorded, as it leaves d->nprocs (proc.h). The
 * table is read again each pass, so `schedctl pools set` and `delete` take
 * effect at the next pass (the command rings the daemon). Slots already held
 * stay held when a pool shrinks: nothing is stopped, new tries wait. */
#include "scheduler/pool.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "scheduler/daemon.h"
#include "scheduler/store_daemon.h"

static struct pool_use *find(struct pool_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return &t->v[i];
	return NULL;
}

static void add(void *arg, const char *name, int slots)
{
	struct pool_table *t = arg;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n++] = (struct pool_use){ .name = xstrdup(name), .slots = slots };
}

int pool_table_load(struct daemon *d, struct pool_table *t)
{
	pool_table_reset(t);
	if (store_pools_read(d->store, add, t) < 0) {
		pool_table_reset(t);
		return -1;
	}
	for (const struct proc *p = d->procs; p; p = p->next) {
		struct pool_use *u;
		if (p->pool && p->phase != PROC_RECORDED && (u = find(t, p->pool)))
			u->used += p->pool_slots;
	}
	t->loaded = true;
	return 0;
}

void pool_table_reset(struct pool_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].name);
	t->n = 0;
	t->loaded = false;
}

void pool_table_free(struct pool_table *t)
{
	pool_table_reset(t);
	free(t->v);
	memset(t, 0, sizeof *t);
}

enum pool_answer pool_take(struct pool_table *t, const char *name, int slots, int *pool_size)
{
	struct pool_use *u = find(t, name);
	if (!u)
		return POOL_UNKNOWN;
	*pool_size = u->slots;
	if (slots > u->slots)
		return POOL_TOO_SMALL;
	if (u->used + slots > u->slots)
		return POOL_FULL;
	u->used += slots;
	return POOL_TAKEN;
}
