/* duration.c: parses and formats the durations of DAG files ("30s", "1h30m",
 * "250ms", a bare number of seconds) as int64 milliseconds.
 *
 * A duration is a sequence of <number><unit> terms that are added up; a bare
 * number is accepted only on its own (then it means seconds), so "1h30" is an
 * error rather than a guess. Every multiplication and addition is checked for
 * overflow, and the message names the offending text. */
#include "scheduler/duration.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct duration_unit {
	const char *name;
	int64_t ms;
};

static const struct duration_unit duration_units[] = {
	{ "ms", 1 },
	{ "s", 1000 },
	{ "m", 60 * 1000 },
	{ "h", 60 * 60 * 1000 },
	{ "d", 24 * 60 * 60 * 1000 },
};

static bool duration_is_digit(char c) { return c >= '0' && c <= '9'; }
static bool duration_is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int duration_parse(const char *s, int64_t *ms, char *err, size_t errlen)
{
	if (s == NULL || *s == '\0') {
		snprintf(err, errlen, "bad duration '': empty (write e.g. 30s, 5m, 1h30m)");
		return -1;
	}
	const char *p = s;
	if (*p == '-') {
		snprintf(err, errlen, "bad duration '%s': negative durations are not allowed", s);
		return -1;
	}
	if (*p == '+')
		p++;

	/* A bare number: seconds. */
	size_t ndig = strspn(p, "0123456789");
	if (ndig > 0 && p[ndig] == '\0') {
		int64_t v = 0;
		for (size_t i = 0; i < ndig; i++) {
			if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, p[i] - '0', &v))
				goto too_large;
		}
		if (__builtin_mul_overflow(v, 1000, &v))
			goto too_large;
		*ms = v;
		return 0;
	}

	int64_t total = 0;
	while (*p) {
		if (!duration_is_digit(*p)) {
			if (duration_is_alpha(*p))
				snprintf(err, errlen, "bad duration '%s': expected a number before '%c'", s, *p);
			else
				snprintf(err, errlen, "bad duration '%s': unexpected character '%c'", s, *p);
			return -1;
		}
		int64_t v = 0;
		while (duration_is_digit(*p)) {
			if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *p - '0', &v))
				goto too_large;
			p++;
		}
		if (*p == '.' || *p == ',') {
			snprintf(err, errlen, "bad duration '%s': fractions are not supported "
				 "(write 1h30m instead of 1.5h)", s);
			return -1;
		}
		const char *u = p;
		while (duration_is_alpha(*p))
			p++;
		size_t ulen = (size_t)(p - u);
		if (ulen == 0) {
			if (*p == '\0')
				snprintf(err, errlen, "bad duration '%s': the last number has no unit "
					 "(a bare number means seconds only on its own)", s);
			else
				snprintf(err, errlen, "bad duration '%s': unexpected character '%c'", s, *p);
			return -1;
		}
		const struct duration_unit *unit = NULL;
		for (size_t i = 0; i < sizeof duration_units / sizeof duration_units[0]; i++) {
			if (strlen(duration_units[i].name) == ulen &&
			    memcmp(duration_units[i].name, u, ulen) == 0)
				unit = &duration_units[i];
		}
		if (unit == NULL) {
			snprintf(err, errlen, "bad duration '%s': unknown unit '%.*s' (use ms, s, m, h, d)",
				 s, (int)ulen, u);
			return -1;
		}
		if (__builtin_mul_overflow(v, unit->ms, &v) || __builtin_add_overflow(total, v, &total))
			goto too_large;
	}
	*ms = total;
	return 0;

too_large:
	snprintf(err, errlen, "bad duration '%s': too large", s);
	return -1;
}

void duration_format(int64_t ms, char *buf, size_t len)
{
	if (len == 0)
		return;
	if (ms == 0) {
		snprintf(buf, len, "0s");
		return;
	}
	/* uint64_t so that INT64_MIN has a magnitude too. */
	uint64_t v = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
	size_t off = 0;
	buf[0] = '\0';
	if (ms < 0)
		off += (size_t)snprintf(buf, len, "-");
	static const struct duration_unit order[] = {
		{ "d", 24 * 60 * 60 * 1000 }, { "h", 60 * 60 * 1000 }, { "m", 60 * 1000 },
		{ "s", 1000 }, { "ms", 1 },
	};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		uint64_t n = v / (uint64_t)order[i].ms;
		v %= (uint64_t)order[i].ms;
		if (n == 0)
			continue;
		if (off >= len)
			break;
		int w = snprintf(buf + off, len - off, "%llu%s", (unsigned long long)n, order[i].name);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}
