/* records.c: parsers and formatters of the status and driver records (see
 * records.h for the rules). Fields are split by hand (no strtok, no
 * allocation) because the loaders, the rollup and overspeed's windowing call
 * these millions of times: a driver record costs one memchr per field, a few
 * byte compares and, when the second changed, the calendar arithmetic. */
#include "jobs/common/records.h"
#include "jobs/common/evtime.h"

#include <stdio.h>
#include <string.h>

static const char *status_names[] = { "reg_date", "car_number", "tire_fl", "tire_fr", "tire_bl",
				       "tire_br",  "light_fl",   "light_fr", "light_bl", "light_br",
				       "engine",   "break",      "battery",  "wrk_date" };
const char *const rec_driver_names[REC_DRIVER_FIELDS] = {
	"date", "car_number", "speed_pedal", "break_pedal", "steer_angle", "direct_light", "speed", "area_number",
};

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

/* A canonical decimal 0..hi: digits, no leading zero, at most 3 digits. */
static int canon_uint(rec_field f, int hi, int *out)
{
	if (f.n == 0 || f.n > 3 || (f.n > 1 && f.p[0] == '0'))
		return -1;
	int v = 0;
	for (size_t i = 0; i < f.n; i++) {
		unsigned d = (unsigned)(unsigned char)f.p[i] - '0';
		if (d > 9)
			return -1;
		v = v * 10 + (int)d;
	}
	if (v > hi)
		return -1;
	*out = v;
	return 0;
}

static int bad_driver(job_err *e, enum rec_driver_field i, rec_field f, const char *why)
{
	return bad(e, rec_driver_names[i], (struct field){ f.p, f.n }, why);
}

static int read_date(const char *d, int64_t *ts, rec_tscache *cache)
{
	if (cache && cache->valid && memcmp(cache->last, d, 14) == 0) {
		*ts = cache->secs;
		return 0;
	}
	if (evtime_parse14(d, ts) < 0 || *ts < 0)
		return -1;
	if (cache) {
		memcpy(cache->last, d, 14);
		cache->secs = *ts;
		cache->valid = 1;
	}
	return 0;
}

static inline int is_digit(char c)
{
	return (unsigned)(c - '0') <= 9;
}

/* The rules fix every field's width but steer_angle's (1-2) and speed's
 * (1-3), so a valid record is checked at known offsets, without splitting:
 * overspeed reads millions a second. 1 when the record is valid (v filled),
 * 0 when it is not or when in doubt: the general path then decides and names
 * the field. It must never take what the general path refuses (the fuzz
 * harness checks both against a plain rewrite of the rules). */
static int scan_fast(const char *p, size_t len, rec_driver_view *v, rec_tscache *cache)
{
	/* date(14) , car(5) , sp(1) , bp(1) , steer(1-2) , light(1) , speed(1-3) , area(3) */
	if (len < 34 || len > 37 || p[14] != ',' || p[20] != ',' || p[22] != ',' || p[24] != ',')
		return 0;
	if (p[15] < 'A' || p[15] > 'Z' || !is_digit(p[16]) || !is_digit(p[17]) || !is_digit(p[18]) || !is_digit(p[19]))
		return 0;
	if (p[21] < '0' || p[21] > '5' || p[23] < '0' || p[23] > '3')
		return 0;
	size_t q = 25, sn;	/* steer_angle */
	if (p[q] == 'F' && p[q + 1] == ',')
		sn = 1;
	else if ((p[q] == 'L' || p[q] == 'R') && p[q + 1] >= '1' && p[q + 1] <= '3' && p[q + 2] == ',')
		sn = 2;
	else
		return 0;
	size_t l = q + sn + 1;	/* direct_light */
	if (!(p[l] == 'N' || p[l] == 'L' || p[l] == 'R') || p[l + 1] != ',')
		return 0;
	size_t s = l + 2, a = len - 3;	/* speed: s .. a-2, then ',' and the area */
	if (a < s + 2 || a > s + 4 || p[a - 1] != ',')
		return 0;
	size_t spn = a - 1 - s;
	int speed = 0;
	for (size_t i = 0; i < spn; i++) {
		if (!is_digit(p[s + i]))
			return 0;
		speed = speed * 10 + (p[s + i] - '0');
	}
	if ((spn > 1 && p[s] == '0') || speed > 250)
		return 0;
	if (p[a] < 'A' || p[a] > 'F' || !is_digit(p[a + 1]) || !is_digit(p[a + 2]))
		return 0;
	int d = (p[a + 1] - '0') * 10 + (p[a + 2] - '0');
	if (d < 1 || d > 10)
		return 0;
	if (read_date(p, &v->ts, cache) < 0)
		return 0;
	v->f[REC_D_DATE] = (rec_field){ p, 14 };
	v->f[REC_D_CAR_NUMBER] = (rec_field){ p + 15, 5 };
	v->f[REC_D_SPEED_PEDAL] = (rec_field){ p + 21, 1 };
	v->f[REC_D_BREAK_PEDAL] = (rec_field){ p + 23, 1 };
	v->f[REC_D_STEER_ANGLE] = (rec_field){ p + q, sn };
	v->f[REC_D_DIRECT_LIGHT] = (rec_field){ p + l, 1 };
	v->f[REC_D_SPEED] = (rec_field){ p + s, spn };
	v->f[REC_D_AREA_NUMBER] = (rec_field){ p + a, 3 };
	v->speed_pedal = p[21] - '0';
	v->break_pedal = p[23] - '0';
	v->speed = speed;
	return 1;
}

int rec_driver_scan(const char *line, size_t len, rec_driver_view *v, rec_tscache *cache, job_err *e)
{
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[len - 1] == '\r')
		len--;
	if (scan_fast(line, len, v, cache))
		return 0;
	/* the general path: split, then each field in order, naming the first bad one */
	const char *p = line, *end = line + len;
	int n = 0;
	for (;;) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		if (n < REC_DRIVER_FIELDS) {
			v->f[n].p = p;
			v->f[n].n = (size_t)((c ? c : end) - p);
		}
		n++;
		if (!c)
			break;
		p = c + 1;
	}
	if (n != REC_DRIVER_FIELDS) {
		job_err_set(e, "expected 8 fields, got %d", n);
		return -1;
	}
	rec_field f = v->f[REC_D_DATE];
	if (f.n != 14)
		return bad_driver(e, REC_D_DATE, f, "is not yyyyMMddHHmmss");
	if (read_date(f.p, &v->ts, cache) < 0)
		return bad_driver(e, REC_D_DATE, f, "is not a yyyyMMddHHmmss time from 1970 on");
	f = v->f[REC_D_CAR_NUMBER];
	if (!car_number_ok((struct field){ f.p, f.n }))
		return bad_driver(e, REC_D_CAR_NUMBER, f, "is not a letter and 4 digits");
	if (canon_uint(v->f[REC_D_SPEED_PEDAL], 5, &v->speed_pedal) < 0)
		return bad_driver(e, REC_D_SPEED_PEDAL, v->f[REC_D_SPEED_PEDAL], "is not 0-5");
	if (canon_uint(v->f[REC_D_BREAK_PEDAL], 3, &v->break_pedal) < 0)
		return bad_driver(e, REC_D_BREAK_PEDAL, v->f[REC_D_BREAK_PEDAL], "is not 0-3");
	f = v->f[REC_D_STEER_ANGLE];
	if (!((f.n == 1 && f.p[0] == 'F') ||
	      (f.n == 2 && (f.p[0] == 'L' || f.p[0] == 'R') && f.p[1] >= '1' && f.p[1] <= '3')))
		return bad_driver(e, REC_D_STEER_ANGLE, f, "is not F, L1-L3 or R1-R3");
	f = v->f[REC_D_DIRECT_LIGHT];
	if (f.n != 1 || !(f.p[0] == 'N' || f.p[0] == 'L' || f.p[0] == 'R'))
		return bad_driver(e, REC_D_DIRECT_LIGHT, f, "is not N, L or R");
	if (canon_uint(v->f[REC_D_SPEED], 250, &v->speed) < 0)
		return bad_driver(e, REC_D_SPEED, v->f[REC_D_SPEED], "is not a speed 0-250");
	f = v->f[REC_D_AREA_NUMBER];
	int d = f.n == 3 ? (f.p[1] - '0') * 10 + (f.p[2] - '0') : 0;
	if (f.n != 3 || f.p[0] < 'A' || f.p[0] > 'F' || (unsigned)(f.p[1] - '0') > 9 || (unsigned)(f.p[2] - '0') > 9 ||
	    d < 1 || d > 10)
		return bad_driver(e, REC_D_AREA_NUMBER, f, "is not an area A01-F10");
	return 0;
}

int rec_driver_parse(const char *line, size_t len, rec_driver *out, job_err *e)
{
	rec_driver_view v;
	if (rec_driver_scan(line, len, &v, NULL, e) < 0)
		return -1;
	memcpy(out->date, v.f[REC_D_DATE].p, 14);
	out->date[14] = 0;
	memcpy(out->car_number, v.f[REC_D_CAR_NUMBER].p, 5);
	out->car_number[5] = 0;
	out->speed_pedal = v.speed_pedal;
	out->break_pedal = v.break_pedal;
	rec_field s = v.f[REC_D_STEER_ANGLE];
	memcpy(out->steer_angle, s.p, s.n);
	out->steer_angle[s.n] = 0;
	out->direct_light = v.f[REC_D_DIRECT_LIGHT].p[0];
	out->speed = v.speed;
	memcpy(out->area_number, v.f[REC_D_AREA_NUMBER].p, 3);
	out->area_number[3] = 0;
	return 0;
}

size_t rec_driver_row_key(const rec_driver_view *v, char *key)
{
	const char *d = v->f[REC_D_DATE].p;
	for (int i = 0; i < 14; i++)
		key[i] = d[13 - i];
	key[14] = '-';
	memcpy(key + 15, v->f[REC_D_CAR_NUMBER].p, 5);
	key[REC_DRIVER_ROW_KEY_LEN] = 0;
	return REC_DRIVER_ROW_KEY_LEN;
}

void rec_driver_day_regex(const char *d, char *out)
{
	snprintf(out, 32, "^[0-9]{6}%c%c%c%c%c%c%c%c-", d[7], d[6], d[5], d[4], d[3], d[2], d[1], d[0]);
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
