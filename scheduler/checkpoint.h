/* checkpoint.h: WAL checkpoints of the state store on a thread of their own.
 *
 * In WAL mode a commit only appends to the -wal file; the checkpoint that
 * copies those pages back into the database is where the fsyncs are. SQLite
 * runs it after whichever commit crosses its threshold (1000 pages), so one
 * transition in a few hundred stalled for the copy and two fsyncs: the tail of
 * the latency from a task's exit to its dependent's start. This thread, with
 * its own connection, runs a PASSIVE checkpoint (never blocks a writer or a
 * reader) every interval, so the commit's own checkpoint finds the pages
 * already copied and synced. That one stays on: only a checkpoint run by the
 * writer between its transactions completes under a steady stream of writes,
 * and a complete checkpoint is what lets the next commit rewind the WAL (with
 * the thread alone the file grew by 20 MB a second under load). Durability is
 * unchanged: a committed transaction is in the WAL either way. */
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
