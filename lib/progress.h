/* progress.h: the one progress reporter of the project's programs (the jobs'
 * job_progress_*, schedctl's waits on triggers and backfills).
 *
 * On a terminal it draws a bar on one line, redrawn at most ten times a
 * second; otherwise the caller writes a line (a log line, in its own format)
 * every line_seconds. The reporter decides when (progress_due) and draws the
 * bar; what a line says is the caller's.
 *
 * Invariants: progress_due is cheap (a coarse clock read and, once per
 * interval, one compare-and-swap) and thread-safe, so hot loops may call it
 * per record; exactly one caller wins each interval. bar_drawn is true while
 * an unfinished bar is on the terminal: whoever writes another line to the
 * same terminal first takes it (progress_take_bar) and clears the line. */
#ifndef BASE_PROGRESS_H
#define BASE_PROGRESS_H

#include <stdatomic.h>
#include <stdbool.h>

struct progress {
	int fd;			/* where the bar goes (stderr) */
	bool tty;		/* fd is a terminal: a bar, else lines */
	long interval_ms;	/* 100 on a terminal, else line_seconds */
	atomic_long next_ms;	/* coarse monotonic ms of the next report */
	atomic_bool bar_drawn;
};

/* Starts reporting on fd. report_now: the first progress_due is true at once
 * (else after one interval). */
void progress_init(struct progress *p, int fd, double line_seconds, bool report_now);

/* True when it is time to report (the caller then draws or writes a line). */
bool progress_due(struct progress *p);

/* Draws "\r\033[K<label> [#####.....] 42% <text>" on the terminal (without
 * the bar and percentage when fraction < 0: the total is unknown); final
 * ends the line. */
void progress_bar(struct progress *p, const char *label, double fraction, const char *text, bool final);

/* True if an unfinished bar was on the terminal; it is no longer counted. */
bool progress_take_bar(struct progress *p);

#endif
