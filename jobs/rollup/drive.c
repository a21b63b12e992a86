/* drive.c: per-car and per-area sums of the driver records and the
 * symptom rules (see drive.h). Sums are integers; only the fleet statistics
 * of the symptoms need floating point (a square root), computed from the
 * exact car averages. Averages are printed with agg_format_avg (exact, half
 * away from zero) like the status rollups. */
#include "jobs/rollup/drive.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/rollup/agg.h"

#define SLOTS (26 * 10000)

int drive_day_init(drive_day *d)
{
	memset(d, 0, sizeof *d);
	d->slot = calloc(SLOTS, sizeof *d->slot);
	return d->slot ? 0 : -1;
}

void drive_day_free(drive_day *d)
{
	free(d->slot);
	free(d->cars);
	memset(d, 0, sizeof *d);
}

static int car_index(const char *c)
{
	return (c[0] - 'A') * 10000 + (c[1] - '0') * 1000 + (c[2] - '0') * 100 + (c[3] - '0') * 10 + (c[4] - '0');
}

drive_car *drive_day_car(drive_day *d, const char *car)
{
	if (car[0] < 'A' || car[0] > 'Z')
		return NULL;
	for (int k = 1; k < 5; k++)
		if ((unsigned)(car[k] - '0') > 9)
			return NULL;
	int i = car_index(car);
	if (!d->slot[i]) {
		if (d->n == d->cap) {
			size_t cap = d->cap ? d->cap * 2 : 128;
			drive_car *c = realloc(d->cars, cap * sizeof *c);
			if (!c)
				return NULL;
			d->cars = c;
			d->cap = cap;
		}
		memset(&d->cars[d->n], 0, sizeof d->cars[d->n]);
		memcpy(d->cars[d->n].car, car, 5);
		d->cars[d->n].speed_max = -1;
		d->slot[i] = (int32_t)++d->n;
	}
	return &d->cars[d->slot[i] - 1];
}

int drive_day_add(drive_day *d, const rec_driver *r)
{
	drive_car *c = drive_day_car(d, r->car_number);
	if (!c)
		return -1;
	c->records++;
	c->speed_sum += r->speed;
	if (r->speed > c->speed_max)
		c->speed_max = r->speed;
	c->speed_pedal_sum += r->speed_pedal;
	c->break_pedal_sum += r->break_pedal;
	c->hard_steers += r->steer_angle[0] != 'F' && r->steer_angle[1] >= '2';
	drive_area *a = &d->areas[(r->area_number[0] - 'A') * 10 + (r->area_number[1] - '0') * 10 +
				  (r->area_number[2] - '0') - 1];
	a->records++;
	a->speed_sum += r->speed;
	return 0;
}

static int car_cmp(const void *a, const void *b)
{
	return memcmp(((const drive_car *)a)->car, ((const drive_car *)b)->car, 5);
}

void drive_day_sort(drive_day *d)
{
	if (d->n > 1)
		qsort(d->cars, d->n, sizeof *d->cars, car_cmp);
	for (size_t i = 0; i < d->n; i++)
		d->slot[car_index(d->cars[i].car)] = (int32_t)(i + 1);
}

void drive_pedal_symptoms(const drive_day *d, int which, unsigned char *out)
{
	if (d->n == 0)
		return;
	double mean = 0, var = 0;
	for (size_t i = 0; i < d->n; i++) {
		const drive_car *c = &d->cars[i];
		mean += (double)(which ? c->break_pedal_sum : c->speed_pedal_sum) / (double)c->records;
	}
	mean /= (double)d->n;
	for (size_t i = 0; i < d->n; i++) {
		const drive_car *c = &d->cars[i];
		double a = (double)(which ? c->break_pedal_sum : c->speed_pedal_sum) / (double)c->records - mean;
		var += a * a;
	}
	double sd = sqrt(var / (double)d->n);
	for (size_t i = 0; i < d->n; i++) {
		const drive_car *c = &d->cars[i];
		double a = (double)(which ? c->break_pedal_sum : c->speed_pedal_sum) / (double)c->records;
		out[i] = fabs(a - mean) > 2 * sd;
	}
}

size_t drive_format_car(const drive_car *c, int speed_abnormal, int break_abnormal, int64_t steer_limit,
			char *buf)
{
	char *p = buf;
	p += sprintf(p, "%.5s,%lld,", c->car, (long long)c->records);
	p += agg_format_avg(c->speed_sum, c->records, p);
	p += sprintf(p, ",%d,", c->speed_max);
	p += agg_format_avg(c->speed_pedal_sum, c->records, p);
	*p++ = ',';
	p += agg_format_avg(c->break_pedal_sum, c->records, p);
	p += sprintf(p, ",%lld,%s,%s,%s\n", (long long)c->hard_steers, speed_abnormal ? "abnormal" : "normal",
		     break_abnormal ? "abnormal" : "normal",
		     c->hard_steers > steer_limit ? "abnormal" : "normal");
	return (size_t)(p - buf);
}

/* a's average speed above b's, exactly: sa/na > sb/nb. */
static int faster(const drive_area *a, const drive_area *b)
{
	return a->speed_sum * b->records > b->speed_sum * a->records;
}

size_t drive_format_areas(const drive_day *d, char *buf)
{
	int idx[DRIVE_AREAS], n = 0;
	for (int i = 0; i < DRIVE_AREAS; i++)
		if (d->areas[i].records)
			idx[n++] = i;
	/* insertion sort: 60 at most; faster first, then by area number */
	for (int i = 1; i < n; i++) {
		int v = idx[i], j = i;
		while (j > 0 && faster(&d->areas[v], &d->areas[idx[j - 1]])) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = v;
	}
	char *p = buf;
	int rank = 0;
	for (int k = 0; k < n; k++) {
		const drive_area *a = &d->areas[idx[k]];
		if (k == 0 || faster(&d->areas[idx[k - 1]], a))
			rank = k + 1;
		p += sprintf(p, "%c%02d,%lld,", 'A' + idx[k] / 10, idx[k] % 10 + 1, (long long)a->records);
		p += agg_format_avg(a->speed_sum, a->records, p);
		p += sprintf(p, ",%d\n", rank);
	}
	return (size_t)(p - buf);
}

char *drive_sums_text(const drive_day *d, size_t *len)
{
	size_t cap = 64 + d->n * 128 + DRIVE_AREAS * 64;
	char *buf = malloc(cap), *p = buf;
	if (!buf)
		return NULL;
	p += sprintf(p, "%s\n", DRIVE_SUMS_HEADER);
	for (size_t i = 0; i < d->n; i++) {
		const drive_car *c = &d->cars[i];
		p += sprintf(p, "C,%.5s,%lld,%lld,%d,%lld,%lld,%lld\n", c->car, (long long)c->records,
			     (long long)c->speed_sum, c->speed_max, (long long)c->speed_pedal_sum,
			     (long long)c->break_pedal_sum, (long long)c->hard_steers);
	}
	for (int i = 0; i < DRIVE_AREAS; i++)
		if (d->areas[i].records)
			p += sprintf(p, "A,%c%02d,%lld,%lld\n", 'A' + i / 10, i % 10 + 1, (long long)d->areas[i].records,
				     (long long)d->areas[i].speed_sum);
	*len = (size_t)(p - buf);
	return buf;
}

static int sums_count(const char *p, size_t n, int64_t *out)
{
	if (n == 0 || n > 18)
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned)(p[i] - '0') > 9)
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

int drive_parse_sums(const char *text, size_t len, const char *name, drive_day *d, job_err *e)
{
	static const char *cnames[] = { "kind", "car", "records", "speed_sum", "speed_max",
					"speed_pedal_sum", "break_pedal_sum", "hard_steers" };
	static const char *anames[] = { "kind", "area", "records", "speed_sum" };
	const char *p = text, *end = text + len;
	long lineno = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t ll = (size_t)(le - p);
		lineno++;
		if (lineno == 1) {
			if (ll != strlen(DRIVE_SUMS_HEADER) || memcmp(p, DRIVE_SUMS_HEADER, ll) != 0) {
				job_err_set(e, "%s:1: not a drive sums file (expected '%s')", name, DRIVE_SUMS_HEADER);
				return -1;
			}
			p = nl ? nl + 1 : end;
			continue;
		}
		const char *f[8];
		size_t fl[8];
		int nf = 0;
		for (const char *q = p;;) {
			const char *c = memchr(q, ',', (size_t)(le - q));
			if (nf < 8) {
				f[nf] = q;
				fl[nf] = c ? (size_t)(c - q) : (size_t)(le - q);
			}
			nf++;
			if (!c)
				break;
			q = c + 1;
		}
		int car = fl[0] == 1 && f[0][0] == 'C';
		if (!car && !(fl[0] == 1 && f[0][0] == 'A')) {
			job_err_set(e, "%s:%ld: field kind: '%.*s' is not C or A", name, lineno, (int)(fl[0] > 40 ? 40 : fl[0]),
				    f[0]);
			return -1;
		}
		if (nf != (car ? 8 : 4)) {
			job_err_set(e, "%s:%ld: %d fields, expected %d", name, lineno, nf, car ? 8 : 4);
			return -1;
		}
		int64_t v[8];
		for (int i = 2; i < nf; i++)
			if (sums_count(f[i], fl[i], &v[i]) < 0 || (car && i == 4 && v[i] > 250)) {
				job_err_set(e, "%s:%ld: field %s: '%.*s' is not a count", name, lineno,
					    car ? cnames[i] : anames[i], (int)(fl[i] > 40 ? 40 : fl[i]), f[i]);
				return -1;
			}
		if (car) {
			drive_car *c = fl[1] == 5 ? drive_day_car(d, f[1]) : NULL;
			if (!c) {
				job_err_set(e, "%s:%ld: field car: '%.*s' is not a letter and 4 digits", name, lineno,
					    (int)(fl[1] > 40 ? 40 : fl[1]), f[1]);
				return -1;
			}
			c->records += v[2];
			c->speed_sum += v[3];
			if (v[4] > c->speed_max)
				c->speed_max = (int)v[4];
			c->speed_pedal_sum += v[5];
			c->break_pedal_sum += v[6];
			c->hard_steers += v[7];
		} else {
			const char *a = f[1];
			int ok = fl[1] == 3 && a[0] >= 'A' && a[0] <= 'F' && (unsigned)(a[1] - '0') <= 9 &&
				 (unsigned)(a[2] - '0') <= 9;
			int dn = ok ? (a[1] - '0') * 10 + (a[2] - '0') : 0;
			if (dn < 1 || dn > 10) {
				job_err_set(e, "%s:%ld: field area: '%.*s' is not an area A01-F10", name, lineno,
					    (int)(fl[1] > 40 ? 40 : fl[1]), f[1]);
				return -1;
			}
			drive_area *ar = &d->areas[(a[0] - 'A') * 10 + dn - 1];
			ar->records += v[2];
			ar->speed_sum += v[3];
		}
		p = nl ? nl + 1 : end;
	}
	if (lineno == 0) {
		job_err_set(e, "%s: empty (expected '%s')", name, DRIVE_SUMS_HEADER);
		return -1;
	}
	return 0;
}
