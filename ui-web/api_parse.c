/* api_parse.c: see api_parse.h. */
#include "ui-web/api_parse.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "scheduler/tz.h"

int api_parse_time(const char *s, int64_t *us)
{
	/* tz_parse_datetime takes everything but a fraction of a second: the
	 * fraction is cut out (and kept in microseconds). */
	char buf[64];
	size_t n = strlen(s);
	if (n == 0 || n >= sizeof buf || !strchr(s, 'T'))
		return -1;
	const char *dot = strchr(s, '.');
	long frac = 0;
	if (dot) {
		const char *p = dot + 1;
		int digits = 0;
		while (*p >= '0' && *p <= '9') {
			if (digits < 6)
				frac = frac * 10 + (*p - '0');
			digits++;
			p++;
		}
		if (digits == 0)
			return -1;
		for (int k = digits; k < 6; k++)
			frac *= 10;
		size_t head = (size_t)(dot - s);
		memcpy(buf, s, head);
		snprintf(buf + head, sizeof buf - head, "%s", p);
	} else {
		memcpy(buf, s, n + 1);
	}
	time_t t;
	if (tz_parse_datetime("UTC", buf, &t) < 0)
		return -1;
	*us = (int64_t)t * 1000000 + frac;
	return 0;
}

void api_token_make(char *buf, size_t len, int64_t offset, int64_t run, int try_number)
{
	snprintf(buf, len, "%" PRIx64 ".%" PRIx64 ".%x", (uint64_t)offset, (uint64_t)run, (unsigned)try_number);
}

static bool hex_field(const char **p, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;
	for (;; (*p)++, n++) {
		char c = **p;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			break;
		if (n >= 16)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return n > 0;
}

bool api_token_read(const char *tok, int64_t run, int try_number, int64_t *offset)
{
	uint64_t o, r, t;
	const char *p = tok;
	if (!hex_field(&p, &o) || *p++ != '.' || !hex_field(&p, &r) || *p++ != '.' || !hex_field(&p, &t) || *p)
		return false;
	if (o > INT64_MAX || r != (uint64_t)run || t != (uint64_t)(unsigned)try_number)
		return false;
	*offset = (int64_t)o;
	return true;
}
