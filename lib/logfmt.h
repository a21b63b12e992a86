/* logfmt.h: the one logfmt writer of the project, used by the daemon's event
 * log (scheduler/slog.c) and the jobs' log (jobs/common/job.c), and the one
 * log-level parser.
 *
 * A line is "key=value" pairs separated by spaces. The quoting rule, the same
 * for every program (lines are compared by tests and read by people on a
 * terminal):
 *   - a value is written bare unless it is empty or holds a space, '"', '='
 *     or a control byte (below 0x20, or 0x7f);
 *   - then it is written in double quotes, with '"' and '\' escaped by a
 *     backslash, newline as \n and every other control byte as \xNN (ESC is
 *     \x1b), so no byte of a value can act on the terminal or split the line.
 *
 * Format strings (logfmt_vkv) are printf formats written as "key=%s n=%d":
 * each space-separated token's value (after its first '=') is rendered with
 * its conversions, each argument fetched by its type, and quoted as a whole.
 * Text outside values is copied as it is. */
#ifndef BASE_LOGFMT_H
#define BASE_LOGFMT_H

#include <stdarg.h>
#include <stddef.h>

#include "lib/buf.h"

/* The levels, in order; their names are "debug", "info", "warn", "error". */
enum logfmt_level { LOGFMT_DEBUG, LOGFMT_INFO, LOGFMT_WARN, LOGFMT_ERROR };

/* The level named s, or -1 when s is not one of the four names. */
int logfmt_level_parse(const char *s);
const char *logfmt_level_name(enum logfmt_level lvl);

/* Appends v (n bytes) quoted when the rule above says so / always quoted. */
void logfmt_value(struct buf *b, const char *v, size_t n);
void logfmt_quoted(struct buf *b, const char *v, size_t n);

/* Appends the pairs of kvfmt. value_max > 0 cuts each rendered value to that
 * many bytes before quoting (0: no limit). */
void logfmt_vkv(struct buf *b, size_t value_max, const char *kvfmt, va_list ap);

/* Appends the current UTC time as 2026-11-23T10:00:00.123Z (the seconds
 * formatted once per second and thread). */
void logfmt_timestamp(struct buf *b);

/* Writes s (n bytes: a whole line) to fd in one write(2) where possible, so
 * lines of concurrent writers never interleave and nothing waits in a buffer
 * when the process dies; retried on EINTR and short writes, else dropped. */
void logfmt_write(int fd, const char *s, size_t n);

#endif
