/* cron.c: parses 5-field cron expressions into bit sets and computes fire
 * times in an IANA zone.
 *
 * Searching is done on the wall clock, field by field (skip a month whose bit
 * is clear, then a day, an hour, then pick the minute with a bit scan), so a
 * call costs a handful of steps instead of a minute-by-minute walk. The wall
 * time found is turned into an instant with tz_from_wall, whose rules give the
 * DST behaviour:
 *  - a wall time inside a spring-forward gap fires once, at the first instant
 *    after the gap (several gap times, e.g. every minute, collapse into that
 *    one firing);
 *  - a wall time that exists twice (fall-back) fires once, at its first
 *    occurrence; during the repeated hour nothing fires a second time, so
 *    "0 * * * *" fires at 01:00 EDT then 02:00 EST on a New York fall-back day.
 * tz_from_wall is non-decreasing in the wall time, so the first matching wall
 * time whose instant is past t gives the next fire time; the loops below only
 * step over matches whose instant is not past t, which happens only near a
 * transition. */
#include "scheduler/cron.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "scheduler/tz.h"
#include "lib/civil.h"

/* How far the search looks before saying "never" (cron.h). */
#define CRON_SEARCH_YEARS 5

struct cron_field {
	const char *name;
	int min, max;
	const char *const *names;	/* 3-letter names for min.., or NULL */
};

static const char *const cron_month_names[] = {
	"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC", NULL
};
static const char *const cron_dow_names[] = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", NULL };

static const struct cron_field cron_fields[5] = {
	{ "minute", 0, 59, NULL },
	{ "hour", 0, 23, NULL },
	{ "day-of-month", 1, 31, NULL },
	{ "month", 1, 12, cron_month_names },
	{ "day-of-week", 0, 7, cron_dow_names },
};

static const struct {
	const char *name, *expr;
} cron_presets[] = {
	{ "@hourly", "0 * * * *" },
	{ "@daily", "0 0 * * *" },
	{ "@midnight", "0 0 * * *" },
	{ "@weekly", "0 0 * * 0" },
	{ "@monthly", "0 0 1 * *" },
	{ "@yearly", "0 0 1 1 *" },
	{ "@annually", "0 0 1 1 *" },
};

/* Parses one value (number or name) of field f from [s, e). */
static int cron_value(int fi, const char *s, const char *e, int *v, char *err, size_t errlen)
{
	const struct cron_field *f = &cron_fields[fi];
	int len = (int)(e - s);
	if (len == 0) {
		snprintf(err, errlen, "field %d (%s): missing number", fi + 1, f->name);
		return -1;
	}
	if (isalpha((unsigned char)*s)) {
		if (f->names == NULL) {
			snprintf(err, errlen, "field %d (%s): '%.*s' is not a number", fi + 1, f->name, len, s);
			return -1;
		}
		for (int i = 0; f->names[i]; i++) {
			if (len == 3 && strncasecmp(s, f->names[i], 3) == 0) {
				*v = f->min + i;
				return 0;
			}
		}
		snprintf(err, errlen, "field %d (%s): unknown %s name '%.*s' (use %s)", fi + 1, f->name,
			 fi == 3 ? "month" : "weekday", len, s, fi == 3 ? "JAN-DEC" : "SUN-SAT");
		return -1;
	}
	int x = 0;
	for (const char *p = s; p < e; p++) {
		if (!isdigit((unsigned char)*p)) {
			snprintf(err, errlen, "field %d (%s): '%.*s' is not a number", fi + 1, f->name, len, s);
			return -1;
		}
		if (x < 100000)
			x = x * 10 + (*p - '0');
	}
	if (x < f->min || x > f->max) {
		snprintf(err, errlen, "field %d (%s): %.*s is out of range %d-%d", fi + 1, f->name, len, s,
			 f->min, f->max);
		return -1;
	}
	*v = x;
	return 0;
}

/* Parses field fi from [s, e) ("*", "a", "a-b", with "/step", comma lists). */
static int cron_field_parse(int fi, const char *s, const char *e, uint64_t *bits, char *err, size_t errlen)
{
	const struct cron_field *f = &cron_fields[fi];
	*bits = 0;
	while (s <= e) {
		const char *item_end = memchr(s, ',', (size_t)(e - s));
		if (item_end == NULL)
			item_end = e;
		if (item_end == s) {
			snprintf(err, errlen, "field %d (%s): empty list element", fi + 1, f->name);
			return -1;
		}
		const char *slash = memchr(s, '/', (size_t)(item_end - s));
		const char *range_end = slash ? slash : item_end;
		int lo, hi, step = 1;
		if (range_end - s == 1 && *s == '*') {
			lo = f->min;
			hi = f->max == 7 ? 6 : f->max;
		} else {
			const char *dash = memchr(s, '-', (size_t)(range_end - s));
			if (cron_value(fi, s, dash ? dash : range_end, &lo, err, errlen) < 0)
				return -1;
			if (dash) {
				if (cron_value(fi, dash + 1, range_end, &hi, err, errlen) < 0)
					return -1;
				if (hi < lo) {
					snprintf(err, errlen, "field %d (%s): range %.*s is backwards", fi + 1,
						 f->name, (int)(range_end - s), s);
					return -1;
				}
			} else {
				/* "a/step" means a through the end of the range. */
				hi = slash ? (f->max == 7 ? 6 : f->max) : lo;
			}
		}
		if (slash) {
			const char *p = slash + 1;
			if (p == item_end) {
				snprintf(err, errlen, "field %d (%s): missing step after '/'", fi + 1, f->name);
				return -1;
			}
			step = 0;
			for (; p < item_end; p++) {
				if (!isdigit((unsigned char)*p)) {
					snprintf(err, errlen, "field %d (%s): step '%.*s' is not a number", fi + 1,
						 f->name, (int)(item_end - slash - 1), slash + 1);
					return -1;
				}
				if (step < 100000)
					step = step * 10 + (*p - '0');
			}
			if (step == 0) {
				snprintf(err, errlen, "field %d (%s): step must be at least 1", fi + 1, f->name);
				return -1;
			}
		}
		for (int v = lo; v <= hi; v += step)
			*bits |= (uint64_t)1 << (f->max == 7 && v == 7 ? 0 : v);	/* 7 = Sunday */
		s = item_end + 1;
	}
	return 0;
}

int cron_parse(const char *expr, struct cron *out, char *err, size_t errlen)
{
	if (expr == NULL)
		expr = "";
	while (isspace((unsigned char)*expr))
		expr++;
	if (*expr == '@') {
		size_t n = strcspn(expr, " \t\r\n");
		const char *rest = expr + n;
		while (isspace((unsigned char)*rest))
			rest++;
		for (size_t i = 0; i < sizeof cron_presets / sizeof cron_presets[0]; i++) {
			if (strlen(cron_presets[i].name) == n && strncasecmp(expr, cron_presets[i].name, n) == 0) {
				if (*rest != '\0') {
					snprintf(err, errlen, "unexpected text after %s: '%s'", cron_presets[i].name, rest);
					return -1;
				}
				return cron_parse(cron_presets[i].expr, out, err, errlen);
			}
		}
		snprintf(err, errlen, "unknown preset '%.*s' (use @hourly, @daily, @midnight, @weekly, "
			 "@monthly, @yearly, @annually)", (int)n, expr);
		return -1;
	}

	const char *fs[6], *fe[6];
	int nf = 0;
	const char *p = expr;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		const char *s = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (nf < 6) {
			fs[nf] = s;
			fe[nf] = p;
		}
		nf++;
	}
	if (nf != 5) {
		snprintf(err, errlen, "expected 5 fields, got %d (minute hour day-of-month month day-of-week, "
			 "or a preset such as @daily)", nf);
		return -1;
	}
	uint64_t bits[5];
	for (int i = 0; i < 5; i++) {
		if (cron_field_parse(i, fs[i], fe[i], &bits[i], err, errlen) < 0)
			return -1;
	}
	memset(out, 0, sizeof *out);
	out->minute = bits[0];
	out->hour = (uint32_t)bits[1];
	out->dom = (uint32_t)bits[2];
	out->month = (uint16_t)bits[3];
	out->dow = (uint8_t)bits[4];
	/* As Vixie cron: a field starting with '*' (also "*" + "/step") counts as
	 * unrestricted for the day-of-month / day-of-week OR rule. */
	out->dom_star = *fs[2] == '*';
	out->dow_star = *fs[4] == '*';
	return 0;
}

bool cron_can_fire(const struct cron *c)
{
	static const int month_days[13] = { 0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (!c->dom_star && !c->dow_star)
		return c->dom || c->dow;	/* either day field will do (Vixie OR rule) */
	/* Both day fields must match: a month must have one of the days. Every
	 * (month, day) falls on every weekday in some year, Feb 29 included. */
	for (int m = 1; m <= 12; m++)
		if (c->month >> m & 1)
			for (int d = 1; d <= month_days[m]; d++)
				if (c->dom >> d & 1)
					return c->dow != 0;
	return false;
}

/* A wall-clock minute, broken down. */
struct cron_wall {
	int64_t y;
	int mo, d, h, mi;
};

static void cron_wall_from(int64_t wall, struct cron_wall *w)
{
	int64_t days = wall >= 0 ? wall / 86400 : -((-wall + 86399) / 86400);
	int64_t sod = wall - days * 86400;
	civil_from_days(days, &w->y, &w->mo, &w->d);
	w->h = (int)(sod / 3600);
	w->mi = (int)(sod % 3600 / 60);
}

static int64_t cron_wall_to(const struct cron_wall *w)
{
	return civil_to_days(w->y, w->mo, w->d) * 86400 + w->h * 3600 + w->mi * 60;
}

static bool cron_day_matches(const struct cron *c, const struct cron_wall *w)
{
	bool dom = c->dom >> w->d & 1;
	int64_t days = civil_to_days(w->y, w->mo, w->d);
	int dow = (int)(((days % 7) + 11) % 7);	/* 1970-01-01 was a Thursday (4) */
	bool dow_ok = c->dow >> dow & 1;
	if (c->dom_star || c->dow_star)
		return dom && dow_ok;
	return dom || dow_ok;	/* Vixie cron: both restricted, either one will do */
}

static void cron_next_month(struct cron_wall *w)
{
	if (++w->mo > 12) {
		w->mo = 1;
		w->y++;
	}
	w->d = 1;
	w->h = w->mi = 0;
}

/* The first matching wall minute at or after *w; false if none before max_year ends. */
static bool cron_find_next(const struct cron *c, struct cron_wall *w, int64_t max_year)
{
	for (;;) {
		if (w->y > max_year)
			return false;
		if (!(c->month >> w->mo & 1)) {
			cron_next_month(w);
			continue;
		}
		if (w->d > civil_days_in_month(w->y, w->mo)) {
			cron_next_month(w);
			continue;
		}
		if (!cron_day_matches(c, w)) {
			w->d++;
			w->h = w->mi = 0;
			continue;
		}
		uint32_t hours = c->hour & (~0u << w->h);
		if (hours == 0) {
			w->d++;
			w->h = w->mi = 0;
			continue;
		}
		int h = __builtin_ctz(hours);
		if (h != w->h) {
			w->h = h;
			w->mi = 0;
		}
		uint64_t mins = c->minute & (~(uint64_t)0 << w->mi);
		if (mins == 0) {
			w->mi = 0;
			if (++w->h > 23) {
				w->h = 0;
				w->d++;
			}
			continue;
		}
		w->mi = __builtin_ctzll(mins);
		return true;
	}
}

static void cron_prev_day(struct cron_wall *w)
{
	if (--w->d < 1) {
		if (--w->mo < 1) {
			w->mo = 12;
			w->y--;
		}
		w->d = civil_days_in_month(w->y, w->mo);
	}
	w->h = 23;
	w->mi = 59;
}

/* The last matching wall minute at or before *w; false if none after min_year starts. */
static bool cron_find_prev(const struct cron *c, struct cron_wall *w, int64_t min_year)
{
	for (;;) {
		if (w->y < min_year)
			return false;
		if (!(c->month >> w->mo & 1)) {
			w->d = 1;
			cron_prev_day(w);
			continue;
		}
		if (!cron_day_matches(c, w)) {
			cron_prev_day(w);
			continue;
		}
		uint32_t hours = c->hour & ((2u << w->h) - 1);
		if (hours == 0) {
			cron_prev_day(w);
			continue;
		}
		int h = 31 - __builtin_clz(hours);
		if (h != w->h) {
			w->h = h;
			w->mi = 59;
		}
		uint64_t mins = c->minute & ((2ull << w->mi) - 1);
		if (mins == 0) {
			if (w->h == 0) {
				cron_prev_day(w);
			} else {
				w->h--;
				w->mi = 59;
			}
			continue;
		}
		w->mi = 63 - __builtin_clzll(mins);
		return true;
	}
}

static int64_t cron_floor_minute(int64_t wall)
{
	return wall >= 0 ? wall / 60 * 60 : -((-wall + 59) / 60) * 60;
}

time_t cron_next_after(const struct cron *c, const char *tz, time_t t)
{
	struct cron_wall w;
	cron_wall_from(cron_floor_minute((int64_t)t + tz_offset(tz, t)) + 60, &w);
	int64_t max_year = w.y + CRON_SEARCH_YEARS;
	/* Matches whose instant is not past t only occur next to a transition
	 * (the repeated hour, a gap collapsing into one instant); the bound is a
	 * guard against a zone database gone mad, far above what those need. */
	for (int guard = 0; guard < 100000; guard++) {
		if (!cron_find_next(c, &w, max_year))
			return (time_t)-1;
		bool gap;
		time_t i = tz_from_wall(tz, cron_wall_to(&w), &gap);
		if (i > t)
			return i;
		int64_t again = cron_wall_to(&w) + 60;
		if (gap) {
			/* The rest of the gap maps to the same instant: resume at its end. */
			int64_t end = (int64_t)i + tz_offset(tz, i);
			if (end > again)
				again = end;
		} else {
			/* t is in the repeated hour of a fall-back and w's first
			 * occurrence is behind it: resume where the first pass of the
			 * wall clock ended (the transition, read in the old offset). */
			long off_i = tz_offset(tz, i);
			time_t lo = i, hi = t;
			if (off_i > tz_offset(tz, t)) {
				while (hi - lo > 1) {
					time_t mid = lo + (hi - lo) / 2;
					if (tz_offset(tz, mid) == off_i)
						lo = mid;
					else
						hi = mid;
				}
				int64_t end = (int64_t)hi + off_i;
				if (end > again)
					again = end;
			}
		}
		cron_wall_from(again, &w);
	}
	return (time_t)-1;
}

time_t cron_prev_before(const struct cron *c, const char *tz, time_t t)
{
	time_t last = t - 1;
	long off = tz_offset(tz, last);
	int64_t start = (int64_t)last + off;
	/* Just after a fall-back, the wall clock has been further than it is now:
	 * the first pass through the repeated hour went up to the old offset's
	 * wall time. Start from there so those fire times are not missed. */
	long off_before = tz_offset(tz, last - 86400);
	if (off_before > off && tz_offset(tz, last - (off_before - off)) == off_before)
		start = (int64_t)last + off_before;
	struct cron_wall w;
	cron_wall_from(cron_floor_minute(start), &w);
	int64_t min_year = w.y - CRON_SEARCH_YEARS;
	for (int guard = 0; guard < 100000; guard++) {
		if (!cron_find_prev(c, &w, min_year))
			return (time_t)-1;
		time_t i = tz_from_wall(tz, cron_wall_to(&w), NULL);
		if (i < t)
			return i;
		cron_wall_from(cron_wall_to(&w) - 60, &w);
	}
	return (time_t)-1;
}
