/* checkpoint.h: WAL checkpoints of the state store on a thread of their own.
 *
 * In WAL mode a commit only appends to the -wal file; the checkpoint that
 * copies those pages back into the database is where the fsyncs are. SQLite
 * runs it inside whichever commit crosses the threshold, so one in a thousand
 * of the daemon's transitions stalled for two fsyncs: the tail of the latency
 * from a task's exit to its dependent's start. The daemon's connection turns
 * automatic checkpoints off and this thread, with its own connection, runs a
 * PASSIVE checkpoint (never blocks a writer or a reader) every interval.
 * Durability is unchanged: a committed transaction is in the WAL either way,
 * and SQLite replays the WAL on the next open. */
#ifndef SCHED_CHECKPOINT_H
#define SCHED_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

struct checkpointer;

/* Opens its own connection to path and starts the thread. NULL with err. */
struct checkpointer *checkpointer_start(const char *path, int64_t interval_ms, char *err, size_t errlen);

/* Stops the thread (after one last checkpoint) and closes its connection. */
void checkpointer_stop(struct checkpointer *c);

#endif
