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

int drive_day_add(drive_day *d, const rec_driver *r)
{
	int i = car_index(r->car_number);	/* checked by rec_driver_parse */
	if (!d->slot[i]) {
		if (d->n == d->cap) {
			size_t cap = d->cap ? d->cap * 2 : 128;
			drive_car *c = realloc(d->cars, cap * sizeof *c);
			if (!c)
				return -1;
			d->cars = c;
			d->cap = cap;
		}
		memset(&d->cars[d->n], 0, sizeof d->cars[d->n]);
		memcpy(d->cars[d->n].car, r->car_number, 5);
		d->cars[d->n].speed_max = -1;
		d->slot[i] = (int32_t)++d->n;
	}
	drive_car *c = &d->cars[d->slot[i] - 1];
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

size_t drive_format_car(const drive_car *c, int speed_abnormal, int break_abnormal, char *buf)
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
		     c->hard_steers > DRIVE_HARD_STEER_LIMIT ? "abnormal" : "normal");
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
