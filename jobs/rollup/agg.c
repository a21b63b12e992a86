/* agg.c: integer sums per car, the fast line parser, the rounding and the
 * CSV/_SUMS formats (see agg.h). The table is a direct index by car number
 * because the day rollup looks a car up once per line, millions of times. */
#include "jobs/rollup/agg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AGG_SLOTS (26 * 10000)

static int car_index(const char *car)
{
	if (car[0] < 'A' || car[0] > 'Z')
		return -1;
	int v = 0;
	for (int i = 1; i < 5; i++) {
		if ((unsigned)(car[i] - '0') > 9)
			return -1;
		v = v * 10 + (car[i] - '0');
	}
	return (car[0] - 'A') * 10000 + v;
}

int agg_table_init(agg_table *t, job_err *e)
{
	memset(t, 0, sizeof *t);
	t->slot = calloc(AGG_SLOTS, sizeof *t->slot);
	if (!t->slot) {
		job_err_set(e, "out of memory");
		return -1;
	}
	return 0;
}

void agg_table_free(agg_table *t)
{
	free(t->slot);
	free(t->cars);
	memset(t, 0, sizeof *t);
}

agg_car *agg_table_car(agg_table *t, const char car[5])
{
	int i = car_index(car);
	if (i < 0)
		return NULL;
	if (t->slot[i])
		return &t->cars[t->slot[i] - 1];
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 128;
		agg_car *c = realloc(t->cars, cap * sizeof *c);
		if (!c)
			return NULL;
		t->cars = c;
		t->cap = cap;
	}
	agg_car *c = &t->cars[t->n++];
	memset(c, 0, sizeof *c);
	memcpy(c->car, car, 5);
	c->tire_min = 101;
	c->battery_min = 101;
	t->slot[i] = (int32_t)t->n;
	return c;
}

void agg_add_record(agg_car *c, const rec_status *r)
{
	c->records++;
	for (int i = 0; i < 4; i++) {
		c->tire_sum[i] += r->tire[i];
		if (r->tire[i] < c->tire_min)
			c->tire_min = r->tire[i];
	}
	c->light_fault += (r->light[0] == 2 || r->light[1] == 2 || r->light[2] == 2 || r->light[3] == 2);
	c->engine_c += r->engine == 'C';
	c->brake_c += r->brake == 'C';
	c->battery_sum += r->battery;
	if (r->battery < c->battery_min)
		c->battery_min = r->battery;
}

void agg_merge(agg_car *into, const agg_car *from)
{
	into->records += from->records;
	for (int i = 0; i < 4; i++)
		into->tire_sum[i] += from->tire_sum[i];
	if (from->tire_min < into->tire_min)
		into->tire_min = from->tire_min;
	into->light_fault += from->light_fault;
	into->engine_c += from->engine_c;
	into->brake_c += from->brake_c;
	into->battery_sum += from->battery_sum;
	if (from->battery_min < into->battery_min)
		into->battery_min = from->battery_min;
}

static int car_cmp(const void *a, const void *b)
{
	return memcmp(((const agg_car *)a)->car, ((const agg_car *)b)->car, 5);
}

void agg_table_sort(agg_table *t)
{
	if (t->n > 1)
		qsort(t->cars, t->n, sizeof *t->cars, car_cmp);
	for (size_t i = 0; i < t->n; i++)
		t->slot[car_index(t->cars[i].car)] = (int32_t)(i + 1);
}

/* An unsigned field of 1-6 digits in [lo, hi] ending at term; advances *pp
 * past the terminator. */
static inline int uint_field(const char **pp, const char *end, int lo, int hi, char term, int *out)
{
	const char *p = *pp;
	int v = 0, n = 0;
	while (p < end && (unsigned)(*p - '0') <= 9) {
		if (++n > 6)
			return -1;
		v = v * 10 + (*p - '0');
		p++;
	}
	if (n == 0 || v < lo || v > hi)
		return -1;
	if (term) {
		if (p >= end || *p != term)
			return -1;
		p++;
	} else if (p != end && *p != ',') {
		return -1;
	}
	*out = v;
	*pp = p;
	return 0;
}

int agg_parse_fast(const char *line, size_t len, rec_status *r)
{
	const char *p = line, *end = line + len;
	if (len < 14 + 1 + 5 + 1 + 8 + 8 + 4 + 1)
		return -1;
	for (int i = 0; i < 14; i++)
		if ((unsigned)(p[i] - '0') > 9)
			return -1;
	if (p[14] != ',')
		return -1;
	p += 15;
	if (p[0] < 'A' || p[0] > 'Z')
		return -1;
	for (int i = 1; i < 5; i++)
		if ((unsigned)(p[i] - '0') > 9)
			return -1;
	if (p[5] != ',')
		return -1;
	memcpy(r->car_number, p, 5);
	r->car_number[5] = 0;
	p += 6;
	for (int i = 0; i < 4; i++)
		if (uint_field(&p, end, 0, 100, ',', &r->tire[i]) < 0)
			return -1;
	for (int i = 0; i < 4; i++)
		if (uint_field(&p, end, 1, 2, ',', &r->light[i]) < 0)
			return -1;
	if (end - p < 4 || p[0] < 'A' || p[0] > 'C' || p[1] != ',' || p[2] < 'A' || p[2] > 'C' || p[3] != ',')
		return -1;
	r->engine = p[0];
	r->brake = p[2];
	p += 4;
	if (uint_field(&p, end, 0, 100, 0, &r->battery) < 0)
		return -1;
	if (p == end)
		return 0;
	/* ",YYYYMMDD" */
	if (end - p != 9)
		return -1;
	for (int i = 1; i < 9; i++)
		if ((unsigned)(p[i] - '0') > 9)
			return -1;
	return 0;
}

size_t agg_format_avg(int64_t sum, int64_t n, char *buf)
{
	/* floor((200 sum + n) / 2n) = round(100 sum / n), halves up; sums are
	 * never negative, so up is away from zero. */
	int64_t q = (sum * 200 + n) / (2 * n);
	return (size_t)sprintf(buf, "%lld.%02lld", (long long)(q / 100), (long long)(q % 100));
}

size_t agg_format_checks(const agg_car *c, char *buf)
{
	size_t n = 0;
	buf[0] = 0;
#define ADD(s)                                          \
	do {                                            \
		if (n)                                  \
			buf[n++] = '|';                 \
		memcpy(buf + n, s, sizeof s);           \
		n += sizeof s - 1;                      \
	} while (0)
	int tire = 0;
	for (int i = 0; i < 4; i++)
		if (c->records && c->tire_sum[i] < 80 * c->records)	/* average < 80, exactly */
			tire = 1;
	if (tire)
		ADD("Tire Check");
	if (c->light_fault)
		ADD("Light Check");
	if (c->engine_c)
		ADD("Engine Check");
	if (c->brake_c)
		ADD("Brake Check");
	if (c->records && c->battery_sum < 30 * c->records)
		ADD("Battery Check");
#undef ADD
	return n;
}

size_t agg_format_csv(const agg_car *c, char *buf)
{
	char *p = buf;
	p += sprintf(p, "%.5s,%lld,", c->car, (long long)c->records);
	for (int i = 0; i < 4; i++) {
		p += agg_format_avg(c->tire_sum[i], c->records, p);
		*p++ = ',';
	}
	p += sprintf(p, "%d,%lld,%lld,%lld,", c->tire_min, (long long)c->light_fault, (long long)c->engine_c,
		     (long long)c->brake_c);
	p += agg_format_avg(c->battery_sum, c->records, p);
	p += sprintf(p, ",%d,", c->battery_min);
	p += agg_format_checks(c, p);
	*p++ = '\n';
	*p = 0;
	return (size_t)(p - buf);
}

size_t agg_format_sums(const agg_car *c, char *buf)
{
	return (size_t)sprintf(buf, "%.5s,%lld,%lld,%lld,%lld,%lld,%d,%lld,%lld,%lld,%lld,%d\n", c->car,
			       (long long)c->records, (long long)c->tire_sum[0], (long long)c->tire_sum[1],
			       (long long)c->tire_sum[2], (long long)c->tire_sum[3], c->tire_min,
			       (long long)c->light_fault, (long long)c->engine_c, (long long)c->brake_c,
			       (long long)c->battery_sum, c->battery_min);
}

static const char *sums_names[] = { "car",	 "records",   "tire_fl_sum", "tire_fr_sum",
				     "tire_bl_sum", "tire_br_sum", "tire_min",  "light_fault_records",
				     "engine_c_records", "brake_c_records", "battery_sum", "battery_min" };

static int sums_int(const char *p, size_t n, int64_t max, int64_t *out)
{
	if (n == 0 || n > 18)
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned)(p[i] - '0') > 9)
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

int agg_parse_sums(const char *text, size_t len, const char *name, agg_table *t, job_err *e)
{
	const char *p = text, *end = text + len;
	long lineno = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		lineno++;
		size_t ll = (size_t)(le - p);
		if (lineno == 1) {
			if (ll != strlen(AGG_SUMS_HEADER) || memcmp(p, AGG_SUMS_HEADER, ll) != 0) {
				job_err_set(e, "%s:1: not a sums file (expected '%s')", name, AGG_SUMS_HEADER);
				return -1;
			}
			p = nl ? nl + 1 : end;
			continue;
		}
		const char *f[12];
		size_t fl[12];
		int nf = 0;
		const char *q = p;
		for (;;) {
			const char *c = memchr(q, ',', (size_t)(le - q));
			if (nf < 12) {
				f[nf] = q;
				fl[nf] = c ? (size_t)(c - q) : (size_t)(le - q);
			}
			nf++;
			if (!c)
				break;
			q = c + 1;
		}
		if (nf != 12) {
			job_err_set(e, "%s:%ld: %d fields, expected 12", name, lineno, nf);
			return -1;
		}
		if (fl[0] != 5 || car_index(f[0]) < 0) {
			job_err_set(e, "%s:%ld: field car: '%.*s' is not a letter and 4 digits", name, lineno,
				    (int)(fl[0] > 40 ? 40 : fl[0]), f[0]);
			return -1;
		}
		int64_t v[12];
		for (int i = 1; i < 12; i++) {
			int64_t max = (i == 6 || i == 11) ? 100 : INT64_MAX / 256;
			if (sums_int(f[i], fl[i], max, &v[i]) < 0) {
				job_err_set(e, "%s:%ld: field %s: '%.*s' is not a count", name, lineno, sums_names[i],
					    (int)(fl[i] > 40 ? 40 : fl[i]), f[i]);
				return -1;
			}
		}
		if (v[1] == 0) {
			job_err_set(e, "%s:%ld: field records: a car with 0 records", name, lineno);
			return -1;
		}
		agg_car from = { .records = v[1],
				 .tire_sum = { v[2], v[3], v[4], v[5] },
				 .tire_min = (int)v[6],
				 .light_fault = v[7],
				 .engine_c = v[8],
				 .brake_c = v[9],
				 .battery_sum = v[10],
				 .battery_min = (int)v[11] };
		agg_car *c = agg_table_car(t, f[0]);
		if (!c) {
			job_err_set(e, "out of memory");
			return -1;
		}
		agg_merge(c, &from);
		p = nl ? nl + 1 : end;
	}
	if (lineno == 0) {
		job_err_set(e, "%s: empty (expected '%s')", name, AGG_SUMS_HEADER);
		return -1;
	}
	return 0;
}
