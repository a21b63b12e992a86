/* t2k_acks.c: the in-flight window of tail2kafka (see t2k_acks.h). */
#include "jobs/tail2kafka/t2k_acks.h"

#include <stdlib.h>

int t2k_acks_init(struct t2k_acks *a, size_t cap, uint32_t gen, int64_t offset)
{
	a->ring = calloc(cap, sizeof *a->ring);
	if (!a->ring)
		return -1;
	a->cap = cap;
	a->head = a->tail = 0;
	a->safe_gen = gen;
	a->safe_end = offset;
	a->failed = 0;
	return 0;
}

void t2k_acks_free(struct t2k_acks *a)
{
	free(a->ring);
	a->ring = NULL;
}

uint64_t t2k_acks_push(struct t2k_acks *a, uint32_t gen, int64_t end, int settled)
{
	if (settled && a->tail > a->head) {
		struct t2k_entry *last = &a->ring[(a->tail - 1) % a->cap];
		if (last->state == T2K_DONE && last->gen == gen) {
			last->end = end;
			return a->tail - 1;
		}
	}
	if (settled && a->tail == a->head) {	/* nothing in flight: safe at once */
		a->safe_gen = gen;
		a->safe_end = end;
		return a->tail;
	}
	struct t2k_entry *e = &a->ring[a->tail % a->cap];
	e->gen = gen;
	e->end = end;
	e->state = settled ? T2K_DONE : T2K_PENDING;
	return a->tail++;
}

void t2k_acks_settle(struct t2k_acks *a, uint64_t seq, int ok)
{
	if (seq < a->head || seq >= a->tail)
		return;
	struct t2k_entry *e = &a->ring[seq % a->cap];
	if (e->state != T2K_PENDING)
		return;
	e->state = ok ? T2K_DONE : T2K_FAILED;
	if (!ok)
		a->failed++;
}

int t2k_acks_advance(struct t2k_acks *a)
{
	int moved = 0;
	while (a->head < a->tail) {
		struct t2k_entry *e = &a->ring[a->head % a->cap];
		if (e->state != T2K_DONE)
			break;
		a->safe_gen = e->gen;
		a->safe_end = e->end;
		a->head++;
		moved = 1;
	}
	return moved;
}

void t2k_acks_reset(struct t2k_acks *a)
{
	a->head = a->tail;
	a->failed = 0;
}
