/* logfmt.c: see logfmt.h for the quoting rule and the format convention. */
#include "lib/logfmt.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static const char *const logfmt_levels[] = { "debug", "info", "warn", "error" };

int logfmt_level_parse(const char *s)
{
	for (int i = 0; s != NULL && i < 4; i++)
		if (strcmp(s, logfmt_levels[i]) == 0)
			return i;
	return -1;
}

const char *logfmt_level_name(enum logfmt_level lvl)
{
	return (unsigned)lvl < 4 ? logfmt_levels[lvl] : "unknown";
}

static bool logfmt_is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

void logfmt_quoted(struct buf *b, const char *v, size_t n)
{
	buf_reserve(b, n + 2);
	buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
		} else if (c == '\n') {
			buf_add(b, "\\n", 2);
		} else if (logfmt_is_control(c)) {
			static const char hex[] = "0123456789abcdef";
			char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
			buf_add(b, esc, 4);
		} else {
			buf_putc(b, (char)c);
		}
	}
	buf_putc(b, '"');
}

void logfmt_value(struct buf *b, const char *v, size_t n)
{
	bool quote = n == 0;
	for (size_t i = 0; i < n && !quote; i++) {
		unsigned char c = (unsigned char)v[i];
		quote = c == ' ' || c == '"' || c == '=' || logfmt_is_control(c);
	}
	if (quote)
		logfmt_quoted(b, v, n);
	else
		buf_add(b, v, n);
}

/* Appends one conversion (*pp points at its '%') rendered with its argument
 * fetched by type, and steps *pp past it. */
static void logfmt_conversion(struct buf *out, const char **pp, va_list *ap)
{
	const char *p = *pp;
	char spec[32];
	size_t sl = 0;
	int stars[2], nstars = 0;
	spec[sl++] = *p++;
	if (*p == '%') {
		buf_putc(out, '%');
		*pp = p + 1;
		return;
	}
	while (*p && strchr("-+ #0", *p) && sl < 20)
		spec[sl++] = *p++;
	while (*p && (isdigit((unsigned char)*p) || *p == '*' || *p == '.') && sl < 24) {
		if (*p == '*' && nstars < 2)
			stars[nstars++] = va_arg(*ap, int);
		spec[sl++] = *p++;
	}
	int lmod = 0;	/* 0 int, 1 long, 2 long long, 3 size_t, 4 intmax, 5 ptrdiff */
	while (*p && strchr("hlzjtL", *p) && sl < 28) {
		if (*p == 'l')
			lmod = lmod == 1 ? 2 : 1;
		else if (*p == 'z')
			lmod = 3;
		else if (*p == 'j')
			lmod = 4;
		else if (*p == 't')
			lmod = 5;
		spec[sl++] = *p++;
	}
	char conv = *p ? *p++ : 0;
	spec[sl++] = conv;
	spec[sl] = 0;
	*pp = p;
	/* The format is built at run time from the caller's checked literal format. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
#define LOGFMT_ONE(T) do { T v_ = va_arg(*ap, T); \
		if (nstars == 2) buf_printf(out, spec, stars[0], stars[1], v_); \
		else if (nstars == 1) buf_printf(out, spec, stars[0], v_); \
		else buf_printf(out, spec, v_); } while (0)
	switch (conv) {
	case 'd': case 'i':
		if (lmod == 1) LOGFMT_ONE(long);
		else if (lmod == 2) LOGFMT_ONE(long long);
		else if (lmod == 3) LOGFMT_ONE(ssize_t);
		else if (lmod == 4) LOGFMT_ONE(intmax_t);
		else if (lmod == 5) LOGFMT_ONE(ptrdiff_t);
		else LOGFMT_ONE(int);
		break;
	case 'u': case 'x': case 'X': case 'o':
		if (lmod == 1) LOGFMT_ONE(unsigned long);
		else if (lmod == 2) LOGFMT_ONE(unsigned long long);
		else if (lmod == 3) LOGFMT_ONE(size_t);
		else if (lmod == 4) LOGFMT_ONE(uintmax_t);
		else if (lmod == 5) LOGFMT_ONE(ptrdiff_t);
		else LOGFMT_ONE(unsigned);
		break;
	case 'c': LOGFMT_ONE(int); break;
	case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': LOGFMT_ONE(double); break;
	case 'p': LOGFMT_ONE(void *); break;
	case 's': {
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		if (nstars == 0 && sl == 2)
			buf_puts(out, s);	/* plain %s, the common case */
		else if (nstars == 2)
			buf_printf(out, spec, stars[0], stars[1], s);
		else if (nstars == 1)
			buf_printf(out, spec, stars[0], s);
		else
			buf_printf(out, spec, s);
		break;
	}
	default:
		buf_add(out, spec, sl);	/* unknown: shown as written */
		break;
	}
#undef LOGFMT_ONE
#pragma GCC diagnostic pop
}

/* Appends the text [q, end) with its conversions rendered; true if it had any. */
static bool logfmt_render(struct buf *out, const char *q, const char *end, va_list *ap)
{
	bool rendered = false;
	while (q < end) {
		if (*q == '%') {
			logfmt_conversion(out, &q, ap);
			rendered = true;
			continue;
		}
		const char *pct = memchr(q, '%', (size_t)(end - q));
		size_t n = pct ? (size_t)(pct - q) : (size_t)(end - q);
		buf_add(out, q, n);
		q += n;
	}
	return rendered;
}

void logfmt_vkv(struct buf *b, size_t value_max, const char *kvfmt, va_list ap)
{
	va_list args;
	va_copy(args, ap);
	struct buf val = BUF_INIT;
	const char *p = kvfmt;
	while (*p) {
		if (*p == ' ') {
			buf_putc(b, *p++);
			continue;
		}
		size_t tok = strcspn(p, " ");
		const char *eq = memchr(p, '=', tok);
		const char *vstart = eq ? eq + 1 : p, *end = p + tok;
		logfmt_render(b, p, vstart, &args);	/* the key and its '=' */
		buf_reset(&val);
		bool rendered = logfmt_render(&val, vstart, end, &args);
		if (value_max > 0 && val.len > value_max)
			buf_truncate(&val, value_max);
		if (rendered)
			logfmt_value(b, buf_str(&val), val.len);
		else
			buf_add(b, buf_str(&val), val.len);	/* literal text as written */
		p = end;
	}
	buf_free(&val);
	va_end(args);
}

void logfmt_timestamp(struct buf *b)
{
	static _Thread_local time_t cached_sec = -1;
	static _Thread_local char cached[24];
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	if (now.tv_sec != cached_sec) {
		struct tm tm;
		gmtime_r(&now.tv_sec, &tm);
		if (strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
			cached[0] = '\0';
		cached_sec = now.tv_sec;
	}
	buf_puts(b, cached);
	char ms[5] = { '.', (char)('0' + now.tv_nsec / 100000000), (char)('0' + now.tv_nsec / 10000000 % 10),
		       (char)('0' + now.tv_nsec / 1000000 % 10), 'Z' };
	buf_add(b, ms, sizeof ms);
}

void logfmt_write(int fd, const char *s, size_t n)
{
	for (size_t off = 0; off < n;) {
		ssize_t w = write(fd, s + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
}
