/* slog.c: logfmt event lines for schedulerd. The format string's values are
 * rendered first, then re-scanned so that a value containing spaces or quotes
 * is quoted: callers write plain "key=%s" and get valid logfmt. */
#include "scheduler/slog.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

enum slog_level slog_min_level = SLOG_INFO;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

/* Writes value quoted when needed. */
static void put_value(FILE *f, const char *v, size_t n)
{
	bool quote = n == 0;
	for (size_t i = 0; i < n && !quote; i++)
		if (v[i] == ' ' || v[i] == '"' || v[i] == '=' || v[i] == '\t' || (unsigned char)v[i] < 0x20)
			quote = true;
	if (!quote) {
		fwrite(v, 1, n, f);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void slog(enum slog_level lvl, const char *event, const char *fmt, ...)
{
	if (lvl < slog_min_level)
		return;
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	char ts[40];
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);

	/* Render each "key=%x" pair separately so values can be quoted. */
	char line[8192];
	size_t used = 0;
	va_list ap;
	va_start(ap, fmt);
	const char *p = fmt;
	FILE *f = stderr;
	flockfile(f);
	fprintf(f, "ts=%s.%03ldZ level=%s event=%s", ts, (long)tv.tv_usec / 1000, level_names[lvl], event);
	while (*p) {
		while (*p == ' ')
			p++;
		const char *eq = strchr(p, '=');
		if (!eq)
			break;
		const char *end = strchr(eq, ' ');
		if (!end)
			end = eq + strlen(eq);
		/* Count conversions in this value (at most one by convention). */
		char vfmt[64];
		size_t vl = (size_t)(end - eq - 1);
		if (vl >= sizeof vfmt)
			vl = sizeof vfmt - 1;
		memcpy(vfmt, eq + 1, vl);
		vfmt[vl] = '\0';
		va_list cp;
		va_copy(cp, ap);
		int n = vsnprintf(line + used, sizeof line - used, vfmt, cp);
		va_end(cp);
		/* Advance ap past the consumed arguments: one per '%' conversion. */
		for (const char *c = vfmt; *c; c++) {
			if (*c != '%')
				continue;
			c++;
			if (*c == '%')
				continue;
			while (*c && strchr("-+ #0123456789.", *c))
				c++;
			if (*c == 'l' && c[1] == 'l') {
				(void)va_arg(ap, long long);
				c++;
			} else if (*c == 'l' || *c == 'z' || *c == 'j') {
				(void)va_arg(ap, long);
			} else if (*c == 's') {
				(void)va_arg(ap, const char *);
			} else if (*c == 'f' || *c == 'g') {
				(void)va_arg(ap, double);
			} else {
				(void)va_arg(ap, int);
			}
		}
		if (n < 0)
			n = 0;
		if ((size_t)n >= sizeof line - used)
			n = (int)(sizeof line - used - 1);
		fputc(' ', f);
		fwrite(p, 1, (size_t)(eq - p + 1), f);
		put_value(f, line + used, (size_t)n);
		p = end;
	}
	va_end(ap);
	fputc('\n', f);
	funlockfile(f);
	fflush(f);
}
