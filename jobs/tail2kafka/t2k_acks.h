/* t2k_acks.h: the window of lines between "read" and "safe to forget".
 * Every line read gets a sequence number and its end position (file generation,
 * offset after its newline). Delivery reports arrive in any order across
 * partitions; the position that may be saved is the end of the longest prefix
 * of lines that are all settled (delivered, or filtered out). A failed delivery
 * stops that prefix until the caller rewinds. The window is a fixed ring, which
 * is what bounds tail2kafka's memory: a full ring means "stop reading". */
#ifndef T2K_ACKS_H
#define T2K_ACKS_H

#include <stddef.h>
#include <stdint.h>

enum { T2K_PENDING = 0, T2K_DONE = 1, T2K_FAILED = 2 };

struct t2k_entry {
	uint32_t gen;
	uint8_t state;
	int64_t end;
};

struct t2k_acks {
	struct t2k_entry *ring;
	size_t cap;
	uint64_t head, tail;	/* entries [head, tail) are in the window */
	uint32_t safe_gen;	/* end of the settled prefix */
	int64_t safe_end;
	uint64_t failed;	/* failures seen since the last reset */
};

int t2k_acks_init(struct t2k_acks *a, size_t cap, uint32_t gen, int64_t offset);
void t2k_acks_free(struct t2k_acks *a);
static inline int t2k_acks_full(const struct t2k_acks *a) { return a->tail - a->head >= a->cap; }
static inline size_t t2k_acks_inflight(const struct t2k_acks *a) { return (size_t)(a->tail - a->head); }
/* Appends a line; returns its sequence number. The caller checks full first.
 * A settled line right after a settled one is merged into it (filtered-out
 * lines then cost no slot). */
uint64_t t2k_acks_push(struct t2k_acks *a, uint32_t gen, int64_t end, int settled);
/* A delivery report for seq. Sequence numbers outside the window are ignored. */
void t2k_acks_settle(struct t2k_acks *a, uint64_t seq, int ok);
/* Moves the settled prefix forward; returns 1 if the safe position changed. */
int t2k_acks_advance(struct t2k_acks *a);
/* Forgets the window (after a rewind to the safe position). */
void t2k_acks_reset(struct t2k_acks *a);

#endif
