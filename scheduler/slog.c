/* slog.c: logfmt event lines for schedulerd. The format string's values are
 * rendered first, then re-scanned so that a value containing spaces or quotes
 * is quoted: callers write plain "key=%s" and get valid logfmt. */
#include "scheduler/slog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum slog_level slog_min_level = SLOG_INFO;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

/* A line being built; what does not fit is cut (a line is at most 8 KiB). */
struct line {
	char b[8192];
	size_t n;
};

static void put(struct line *l, const char *s, size_t n)
{
	size_t room = sizeof l->b - 1 - l->n;	/* one byte kept for the newline */
	if (n > room)
		n = room;
	memcpy(l->b + l->n, s, n);
	l->n += n;
}

static void put_c(struct line *l, char c)
{
	put(l, &c, 1);
}

/* Writes value quoted when needed. */
static void put_value(struct line *l, const char *v, size_t n)
{
	bool quote = n == 0;
	for (size_t i = 0; i < n && !quote; i++)
		if (v[i] == ' ' || v[i] == '"' || v[i] == '=' || v[i] == '\t' || (unsigned char)v[i] < 0x20)
			quote = true;
	if (!quote) {
		put(l, v, n);
		return;
	}
	put_c(l, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		char esc[8];
		if (c == '"' || c == '\\') {
			put_c(l, '\\');
			put_c(l, (char)c);
		} else if (c == '\n') {
			put(l, "\\n", 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof esc, "\\x%02x", c);
			put(l, esc, 4);
		} else {
			put_c(l, (char)c);
		}
	}
	put_c(l, '"');
}

/* "ts=2026-11-23T10:00:00.123Z": the seconds part formatted once per second
 * (per thread: the checkpoint thread logs too). */
static void put_time(struct line *l)
{
	static _Thread_local time_t cached_sec = -1;
	static _Thread_local char cached[32];
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	if (now.tv_sec != cached_sec) {
		struct tm tm;
		gmtime_r(&now.tv_sec, &tm);
		strftime(cached, sizeof cached, "ts=%Y-%m-%dT%H:%M:%S", &tm);
		cached_sec = now.tv_sec;
	}
	char ms[8];
	snprintf(ms, sizeof ms, ".%03dZ", (int)(now.tv_nsec / 1000000));
	put(l, cached, strlen(cached));
	put(l, ms, 5);
}

/* Steps ap past the arguments of one value's conversions. */
static void skip_args(const char *vfmt, va_list *ap)
{
	for (const char *c = vfmt; *c; c++) {
		if (*c != '%')
			continue;
		c++;
		if (*c == '%')
			continue;
		while (*c && strchr("-+ #0123456789.", *c))
			c++;
		if (*c == 'l' && c[1] == 'l') {
			(void)va_arg(*ap, long long);
			c++;
		} else if (*c == 'l' || *c == 'z' || *c == 'j') {
			(void)va_arg(*ap, long);
		} else if (*c == 's') {
			(void)va_arg(*ap, const char *);
		} else if (*c == 'f' || *c == 'g') {
			(void)va_arg(*ap, double);
		} else {
			(void)va_arg(*ap, int);
		}
	}
}

void slog(enum slog_level lvl, const char *event, const char *fmt, ...)
{
	if (lvl < slog_min_level)
		return;
	struct line l;
	l.n = 0;
	put_time(&l);
	put(&l, " level=", 7);
	put(&l, level_names[lvl], strlen(level_names[lvl]));
	put(&l, " event=", 7);
	put(&l, event, strlen(event));

	/* Render each "key=%x" pair separately so values can be quoted. */
	va_list ap;
	va_start(ap, fmt);
	const char *p = fmt;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *eq = strchr(p, '=');
		if (!eq)
			break;
		const char *end = strchr(eq, ' ');
		if (!end)
			end = eq + strlen(eq);
		char vfmt[64], value[4096];
		size_t vl = (size_t)(end - eq - 1);
		if (vl >= sizeof vfmt)
			vl = sizeof vfmt - 1;
		memcpy(vfmt, eq + 1, vl);
		vfmt[vl] = '\0';
		va_list cp;
		va_copy(cp, ap);
		int n = vsnprintf(value, sizeof value, vfmt, cp);
		va_end(cp);
		skip_args(vfmt, &ap);
		if (n < 0)
			n = 0;
		if ((size_t)n >= sizeof value)
			n = (int)sizeof value - 1;
		put_c(&l, ' ');
		put(&l, p, (size_t)(eq - p + 1));
		put_value(&l, value, (size_t)n);
		p = end;
	}
	va_end(ap);
	l.b[l.n++] = '\n';
	/* The whole line in one write(2): lines of concurrent writers never
	 * interleave, and nothing waits in a buffer when the process dies. */
	for (size_t off = 0; off < l.n;) {
		ssize_t w = write(STDERR_FILENO, l.b + off, l.n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
}
