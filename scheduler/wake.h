/* wake.h: the daemon's doorbell. schedulerd keeps a FIFO beside its state
 * file, <state>.wake, open for reading; a process that has just written a
 * request into the store (schedctl trigger, clear, pause, backfill...) writes
 * a byte into it, and the daemon looks at the store at once instead of at its
 * next periodic check (at most 250 ms later). The bell carries no data: the
 * store is the only channel, so a lost ring (no daemon, a full FIFO) costs
 * only that delay. */
#ifndef WAKE_H
#define WAKE_H

#include <stddef.h>

/* "<state_path>.wake" into buf; -1 if it does not fit. */
int wake_path(const char *state_path, char *buf, size_t len);

/* The daemon's side: creates the FIFO if missing (mode 0666 less the umask)
 * and opens it non-blocking for reading (and writing, so it never reads EOF).
 * Returns the descriptor (close-on-exec), or -1 with err naming the path (a
 * non-FIFO there, no permission...). */
int wake_listen(const char *state_path, char *err, size_t errlen);

/* Empties the FIFO after poll() said it is readable. */
void wake_drain(int fd);

/* Rings: 1 if a daemon was listening and got the byte (or already had one
 * pending), 0 if nobody listens (no FIFO, no daemon), -1 on another error.
 * Never blocks. */
int wake_daemon(const char *state_path);

#endif
