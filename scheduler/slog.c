/* slog.c: logfmt event lines for schedulerd, written by lib/logfmt (its
 * quoting rule: callers write plain "key=%s" and get valid logfmt, control
 * bytes as \x1b). A line is at most 8 KiB and a value at most 4 KiB: what
 * does not fit is cut, the line always ends with its newline. */
#include "scheduler/slog.h"

#include <stdarg.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/logfmt.h"

#define SLOG_LINE_MAX 8192
#define SLOG_VALUE_MAX 4095

enum slog_level slog_min_level = SLOG_INFO;

void slog(enum slog_level lvl, const char *event, const char *fmt, ...)
{
	if (lvl < slog_min_level)
		return;
	struct buf line = BUF_INIT;
	buf_reserve(&line, 256);
	buf_puts(&line, "ts=");
	logfmt_timestamp(&line);
	buf_puts(&line, " level=");
	buf_puts(&line, logfmt_level_name((enum logfmt_level)lvl));
	buf_puts(&line, " event=");
	buf_puts(&line, event);
	if (*fmt) {
		buf_putc(&line, ' ');
		va_list ap;
		va_start(ap, fmt);
		logfmt_vkv(&line, SLOG_VALUE_MAX, fmt, ap);
		va_end(ap);
	}
	buf_truncate(&line, SLOG_LINE_MAX - 1);
	buf_putc(&line, '\n');
	logfmt_write(STDERR_FILENO, line.s, line.len);
	buf_free(&line);
}
