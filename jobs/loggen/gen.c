/* gen.c: the record generators (see gen.h). Numbers are formatted by hand
 * into the caller's buffer: this is loggen's hot loop, and printf would be
 * most of its time. Garbage lines come from their own random stream, so the
 * valid records are the same bytes whatever --garbage-ratio is. */
#include "jobs/loggen/gen.h"

#include <string.h>

void gen_car_number(uint64_t seed, int car, char out[6])
{
	rng r = rng_for(seed, (uint64_t)car, 0);
	out[0] = (char)('A' + rng_range(&r, 0, 25));
	out[1] = (char)('0' + car / 1000 % 10);
	out[2] = (char)('0' + car / 100 % 10);
	out[3] = (char)('0' + car / 10 % 10);
	out[4] = (char)('0' + car % 10);
	out[5] = 0;
}

void gen_timestamp(const char *date, int s, char out[15])
{
	int h = s / 3600, m = s / 60 % 60, sec = s % 60;
	memcpy(out, date, 8);
	out[8] = (char)('0' + h / 10);
	out[9] = (char)('0' + h % 10);
	out[10] = (char)('0' + m / 10);
	out[11] = (char)('0' + m % 10);
	out[12] = (char)('0' + sec / 10);
	out[13] = (char)('0' + sec % 10);
	out[14] = 0;
}

static inline char *put_uint(char *p, int v)
{
	if (v >= 100) {
		*p++ = (char)('0' + v / 100);
		v %= 100;
		*p++ = (char)('0' + v / 10);
		*p++ = (char)('0' + v % 10);
	} else if (v >= 10) {
		*p++ = (char)('0' + v / 10);
		*p++ = (char)('0' + v % 10);
	} else {
		*p++ = (char)('0' + v);
	}
	return p;
}

/* value weights (docs/formats.md "What loggen generates"), in parts per million */
static int draw_tire(rng *r)
{
	uint32_t u = rng_ppm(r);
	if (u < 800000)
		return rng_range(r, 80, 100);
	if (u < 999998)
		return rng_range(r, 70, 79);
	return rng_range(r, 0, 69);
}

static int draw_battery(rng *r)
{
	uint32_t u = rng_ppm(r);
	if (u < 900000)
		return rng_range(r, 80, 100);
	if (u < 999998)
		return rng_range(r, 50, 79);
	return rng_range(r, 0, 49);
}

static char draw_grade(rng *r)
{
	uint32_t u = rng_ppm(r);
	return u < 800000 ? 'A' : u < 999998 ? 'B' : 'C';
}

static int draw_light(rng *r) { return rng_ppm(r) < 999998 ? 1 : 2; }

/* A malformed line derived from a valid one (line, len without newline);
 * never starts with 14 digits, never holds a newline. */
static size_t garbage_line(rng *g, const char *line, size_t len, char *out)
{
	size_t n = 0;
	switch (rng_range(g, 0, 3)) {
	case 0: /* truncated, as by a crash mid-write */
		n = (size_t)rng_range(g, 1, 13);
		memcpy(out, line, n);
		break;
	case 1: /* wrong field count: the timestamp field lost */
		n = len - 15;
		memcpy(out, line + 15, n);
		break;
	case 2: /* non-numeric timestamp */
		memcpy(out, line, len);
		out[rng_range(g, 0, 13)] = (char)('G' + rng_range(g, 0, 19));
		n = len;
		break;
	default: /* binary bytes */
		n = (size_t)rng_range(g, 8, 60);
		for (size_t i = 0; i < n; i++) {
			int b = rng_range(g, 0, 255);
			out[i] = (char)(b == '\n' ? 0 : b);
		}
		out[0] = (char)(rng_range(g, 0, 1) ? 0x00 : 0xff);
		break;
	}
	out[n++] = '\n';
	return n;
}

size_t gen_status_car_max(double garbage_ratio)
{
	size_t per = 64 + (garbage_ratio > 0 ? 128 : 0);
	return sizeof GEN_STATUS_HEADER + (size_t)GEN_STATUS_PER_CAR * per;
}

size_t gen_status_car(uint64_t seed, const char *date, int car, double garbage_ratio, char *buf,
		      uint64_t *garbage)
{
	rng r = rng_for(seed, (uint64_t)car, 1);
	rng g = rng_for(seed, (uint64_t)car, 3);
	uint32_t gppm = (uint32_t)(garbage_ratio * 1000000.0);
	char num[6];
	gen_car_number(seed, car, num);
	char *p = buf;
	memcpy(p, GEN_STATUS_HEADER, sizeof GEN_STATUS_HEADER - 1);
	p += sizeof GEN_STATUS_HEADER - 1;
	int tire[4] = { -1, -1, -1, -1 }, light[4] = { 0 }, battery = -1;
	char engine = 0, brake = 0;
	uint64_t ng = 0;
	char ts[15];
	gen_timestamp(date, 0, ts);
	for (int i = 0; i < GEN_STATUS_PER_CAR; i++) {
		int s = i * 4;
		ts[8] = (char)('0' + s / 36000);
		ts[9] = (char)('0' + s / 3600 % 10);
		ts[10] = (char)('0' + s / 600 % 6);
		ts[11] = (char)('0' + s / 60 % 10);
		ts[12] = (char)('0' + s % 60 / 10);
		ts[13] = (char)('0' + s % 10);
		char *line = p;
		memcpy(p, ts, 14);
		p[14] = ',';
		memcpy(p + 15, num, 5);
		p += 20;
		/* a fault, once drawn, stays for the rest of the day */
		for (int k = 0; k < 4; k++) {
			if (!(tire[k] >= 0 && tire[k] <= 69))
				tire[k] = draw_tire(&r);
			*p++ = ',';
			p = put_uint(p, tire[k]);
		}
		for (int k = 0; k < 4; k++) {
			if (light[k] != 2)
				light[k] = draw_light(&r);
			*p++ = ',';
			*p++ = (char)('0' + light[k]);
		}
		if (engine != 'C')
			engine = draw_grade(&r);
		if (brake != 'C')
			brake = draw_grade(&r);
		if (!(battery >= 0 && battery <= 49))
			battery = draw_battery(&r);
		p[0] = ',';
		p[1] = engine;
		p[2] = ',';
		p[3] = brake;
		p[4] = ',';
		p = put_uint(p + 5, battery);
		size_t len = (size_t)(p - line);
		*p++ = '\n';
		if (gppm && rng_ppm(&g) < gppm) {
			p += garbage_line(&g, line, len, p);
			ng++;
		}
	}
	*garbage = ng;
	return (size_t)(p - buf);
}

void gen_driver_init(gen_driver *d, uint64_t seed, int car)
{
	gen_car_number(seed, car, d->car_number);
	d->r = rng_for(seed, (uint64_t)car, 2);
	d->g = rng_for(seed, (uint64_t)car, 4);
	d->wild = rng_range(&d->r, 0, 9) == 0;
	d->area = (char)('A' + rng_range(&d->r, 0, 5));
	d->speed = 0;
}

/* weighted index over small integer weights */
static int pick(rng *r, const int *w, int n)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += w[i];
	int u = rng_range(r, 0, total - 1);
	for (int i = 0; i < n; i++) {
		if (u < w[i])
			return i;
		u -= w[i];
	}
	return n - 1;
}

size_t gen_driver_record(gen_driver *d, const char *ts, double garbage_ratio, char *buf, uint64_t *garbage)
{
	static const int sp_normal[] = { 30, 30, 10, 20, 5, 5 }, sp_wild[] = { 10, 10, 10, 30, 25, 15 };
	static const int add_normal[] = { 0, 5, 10, 15, 20, 25 }, add_wild[] = { 0, 5, 10, 20, 30, 40 };
	static const int bp_normal[] = { 30, 45, 20, 5 }, bp_wild[] = { 10, 10, 50, 30 };
	static const int rm_normal[] = { 0, 10, 20, 30 }, rm_wild[] = { 0, 5, 10, 20 };
	static const int st_normal[] = { 70, 5, 5, 5, 5, 5, 5 }, st_wild[] = { 40, 10, 10, 10, 10, 10, 10 };
	static const char *steers[] = { "F", "L1", "L2", "L3", "R1", "R2", "R3" };
	static const int dl_wild[] = { 60, 20, 20 };
	rng *r = &d->r;
	int sp = pick(r, d->wild ? sp_wild : sp_normal, 6), bp = 0;
	if (sp > 0) {
		d->speed += (d->wild ? add_wild : add_normal)[sp];
		if (d->speed > 250)
			d->speed = 250;
	} else {
		bp = pick(r, d->wild ? bp_wild : bp_normal, 4);
		d->speed -= (d->wild ? rm_wild : rm_normal)[bp];
		if (d->speed < 0)
			d->speed = 0;
	}
	int st = pick(r, d->wild ? st_wild : st_normal, 7);
	char light;
	if (d->wild)
		light = "NLR"[pick(r, dl_wild, 3)];
	else
		light = st == 0 ? 'N' : st <= 3 ? 'L' : 'R';
	int district = rng_range(r, 1, 10);
	static const char *congested[] = { "A10", "B02", "C04", "D05", "E10", "F06" };
	char area[4] = { d->area, (char)('0' + district / 10), (char)('0' + district % 10), 0 };
	int shown = d->speed;
	for (int i = 0; i < 6; i++)
		if (memcmp(area, congested[i], 3) == 0)
			shown = d->speed * 3 / 10;
	char *p = buf;
	memcpy(p, ts, 14);
	p[14] = ',';
	memcpy(p + 15, d->car_number, 5);
	p += 20;
	*p++ = ',';
	*p++ = (char)('0' + sp);
	*p++ = ',';
	*p++ = (char)('0' + bp);
	*p++ = ',';
	size_t sl = strlen(steers[st]);
	memcpy(p, steers[st], sl);
	p += sl;
	*p++ = ',';
	*p++ = light;
	*p++ = ',';
	p = put_uint(p, shown);
	*p++ = ',';
	memcpy(p, area, 3);
	p += 3;
	size_t len = (size_t)(p - buf);
	*p++ = '\n';
	if (garbage_ratio > 0 && rng_ppm(&d->g) < (uint32_t)(garbage_ratio * 1000000.0)) {
		p += garbage_line(&d->g, buf, len, p);
		(*garbage)++;
	}
	return (size_t)(p - buf);
}
