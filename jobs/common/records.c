/* records.c: parsers and formatters of the status and driver records (see
 * records.h). Fields are split by hand (no strtok, no allocation) because the
 * loaders and the rollup call these millions of times. */
#include "jobs/common/records.h"

#include <stdio.h>
#include <string.h>

static const char *status_names[] = { "reg_date", "car_number", "tire_fl", "tire_fr", "tire_bl",
				       "tire_br",  "light_fl",   "light_fr", "light_bl", "light_br",
				       "engine",   "break",      "battery",  "wrk_date" };
static const char *driver_names[] = { "date",	      "car_number", "speed_pedal", "break_pedal",
				      "steer_angle", "direct_light", "speed",	   "area_number" };

struct field {
	const char *p;
	size_t n;
};

/* Splits on ','; returns the count (up to max+1 so "too many" is seen). */
static int split(const char *line, size_t len, struct field *f, int max)
{
	int n = 0;
	const char *p = line, *end = line + len;
	for (;;) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		if (n <= max) {
			f[n].p = p;
			f[n].n = c ? (size_t)(c - p) : (size_t)(end - p);
		}
		n++;
		if (!c)
			break;
		p = c + 1;
	}
	return n;
}

static int parse_uint(struct field f, int lo, int hi, int *out)
{
	if (f.n == 0 || f.n > 6)
		return -1;
	int v = 0;
	for (size_t i = 0; i < f.n; i++) {
		if ((unsigned)(f.p[i] - '0') > 9)
			return -1;
		v = v * 10 + (f.p[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int digits(struct field f, size_t n)
{
	if (f.n != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned)(f.p[i] - '0') > 9)
			return 0;
	return 1;
}

static int bad(job_err *e, const char *name, struct field f, const char *why)
{
	job_err_set(e, "field %s: '%.*s' %s", name, (int)(f.n > 40 ? 40 : f.n), f.p, why);
	return -1;
}

static int car_number_ok(struct field f)
{
	return f.n == 5 && f.p[0] >= 'A' && f.p[0] <= 'Z' && digits((struct field){ f.p + 1, 4 }, 4);
}

int rec_status_parse(const char *line, size_t len, rec_status *out, job_err *e)
{
	struct field f[15];
	int n = split(line, len, f, 14);
	if (n != 13 && n != 14) {
		job_err_set(e, "%d fields, expected 13 (or 14 with wrk_date)", n);
		return -1;
	}
	if (!digits(f[0], 14))
		return bad(e, status_names[0], f[0], "is not yyyyMMddHHmmss");
	memcpy(out->reg_date, f[0].p, 14);
	out->reg_date[14] = 0;
	if (!car_number_ok(f[1]))
		return bad(e, status_names[1], f[1], "is not a letter and 4 digits");
	memcpy(out->car_number, f[1].p, 5);
	out->car_number[5] = 0;
	for (int i = 0; i < 4; i++)
		if (parse_uint(f[2 + i], 0, 100, &out->tire[i]) < 0)
			return bad(e, status_names[2 + i], f[2 + i], "is not a pressure 0-100");
	for (int i = 0; i < 4; i++)
		if (parse_uint(f[6 + i], 1, 2, &out->light[i]) < 0)
			return bad(e, status_names[6 + i], f[6 + i], "is not 1 or 2");
	for (int i = 0; i < 2; i++) {
		struct field g = f[10 + i];
		if (g.n != 1 || g.p[0] < 'A' || g.p[0] > 'C')
			return bad(e, status_names[10 + i], g, "is not A, B or C");
	}
	out->engine = f[10].p[0];
	out->brake = f[11].p[0];
	if (parse_uint(f[12], 0, 100, &out->battery) < 0)
		return bad(e, status_names[12], f[12], "is not a level 0-100");
	out->wrk_date[0] = 0;
	if (n == 14) {
		if (!digits(f[13], 8))
			return bad(e, status_names[13], f[13], "is not yyyyMMdd");
		memcpy(out->wrk_date, f[13].p, 8);
		out->wrk_date[8] = 0;
	}
	return 0;
}

int rec_driver_parse(const char *line, size_t len, rec_driver *out, job_err *e)
{
	struct field f[9];
	int n = split(line, len, f, 8);
	if (n != 8) {
		job_err_set(e, "%d fields, expected 8", n);
		return -1;
	}
	if (!digits(f[0], 14))
		return bad(e, driver_names[0], f[0], "is not yyyyMMddHHmmss");
	memcpy(out->date, f[0].p, 14);
	out->date[14] = 0;
	if (!car_number_ok(f[1]))
		return bad(e, driver_names[1], f[1], "is not a letter and 4 digits");
	memcpy(out->car_number, f[1].p, 5);
	out->car_number[5] = 0;
	if (parse_uint(f[2], 0, 5, &out->speed_pedal) < 0)
		return bad(e, driver_names[2], f[2], "is not 0-5");
	if (parse_uint(f[3], 0, 3, &out->break_pedal) < 0)
		return bad(e, driver_names[3], f[3], "is not 0-3");
	struct field s = f[4];
	if (!((s.n == 1 && s.p[0] == 'F') ||
	      (s.n == 2 && (s.p[0] == 'L' || s.p[0] == 'R') && s.p[1] >= '1' && s.p[1] <= '3')))
		return bad(e, driver_names[4], s, "is not F, L1-L3 or R1-R3");
	memcpy(out->steer_angle, s.p, s.n);
	out->steer_angle[s.n] = 0;
	if (f[5].n != 1 || !memchr("NLR", f[5].p[0], 3))	/* strchr would take a NUL */
		return bad(e, driver_names[5], f[5], "is not N, L or R");
	out->direct_light = f[5].p[0];
	if (parse_uint(f[6], 0, 250, &out->speed) < 0)
		return bad(e, driver_names[6], f[6], "is not a speed 0-250");
	struct field a = f[7];
	if (a.n != 3 || a.p[0] < 'A' || a.p[0] > 'F' || !digits((struct field){ a.p + 1, 2 }, 2))
		return bad(e, driver_names[7], a, "is not an area A01-F10");
	int d = (a.p[1] - '0') * 10 + (a.p[2] - '0');
	if (d < 1 || d > 10)
		return bad(e, driver_names[7], a, "is not an area A01-F10");
	memcpy(out->area_number, a.p, 3);
	out->area_number[3] = 0;
	return 0;
}

size_t rec_status_format(const rec_status *r, char *buf)
{
	int n = sprintf(buf, "%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%c,%c,%d", r->reg_date, r->car_number, r->tire[0],
			r->tire[1], r->tire[2], r->tire[3], r->light[0], r->light[1], r->light[2], r->light[3],
			r->engine, r->brake, r->battery);
	if (r->wrk_date[0])
		n += sprintf(buf + n, ",%s", r->wrk_date);
	return (size_t)n;
}

size_t rec_driver_format(const rec_driver *r, char *buf)
{
	return (size_t)sprintf(buf, "%s,%s,%d,%d,%s,%c,%d,%s", r->date, r->car_number, r->speed_pedal,
			       r->break_pedal, r->steer_angle, r->direct_light, r->speed, r->area_number);
}
