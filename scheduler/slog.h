/* slog.h: the daemon's event log, one logfmt line per event on stderr:
 *   ts=2026-11-23T10:00:00.123Z level=info event=task_success dag=d run=5 task=t try=1 ...
 * Values with spaces, quotes or '=' are quoted. */
#ifndef SCHED_SLOG_H
#define SCHED_SLOG_H

enum slog_level { SLOG_DEBUG, SLOG_INFO, SLOG_WARN, SLOG_ERROR };

extern enum slog_level slog_min_level;

/* fmt is a sequence of "key=%s key2=%d" style pairs; each value is quoted as
 * needed. Example: slog(SLOG_INFO, "task_start", "dag=%s task=%s try=%d", d, t, n). */
void slog(enum slog_level lvl, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
