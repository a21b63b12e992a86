/* agg.h: the exact arithmetic of the status rollups. A car's period is kept
 * as integer sums (records, the sum of each tyre, minima, fault counts,
 * battery sum), so merging days into weeks, months and years is plain
 * addition and gives exactly what aggregating the raw lines would; averages
 * are derived only when a CSV line is written, rounded half away from zero
 * with integer arithmetic (no floating point). */
#ifndef ROLLUP_AGG_H
#define ROLLUP_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "jobs/common/job.h"
#include "jobs/common/records.h"

typedef struct agg_car {
	char car[6];		/* letter + 4 digits */
	int64_t records;
	int64_t tire_sum[4];	/* fl fr bl br */
	int tire_min;		/* over the four tyres and every record */
	int64_t light_fault;	/* records with any light 2 */
	int64_t engine_c, brake_c;
	int64_t battery_sum;
	int battery_min;
} agg_car;

/* Cars of one period, indexed directly by car number (26 x 10000 slots). */
typedef struct agg_table {
	int32_t *slot;		/* car index -> position in cars + 1, 0: none */
	agg_car *cars;
	size_t n, cap;
} agg_table;

int agg_table_init(agg_table *t, job_err *e);
void agg_table_free(agg_table *t);
/* The car's accumulator, created empty when new; NULL on a bad number or no memory. */
agg_car *agg_table_car(agg_table *t, const char car[5]);
/* Adds one parsed record. */
void agg_add_record(agg_car *c, const rec_status *r);
/* Adds another period's sums of the same car. */
void agg_merge(agg_car *into, const agg_car *from);
/* Sorts the cars by car number (letter, then number). */
void agg_table_sort(agg_table *t);

/* Fast path of one status line (13 or 14 fields, no newline): fills r with the
 * fields the rollup needs (not the dates). 0 when it parses as
 * rec_status_parse would accept it; -1 otherwise (the caller then asks
 * rec_status_parse, which decides and names the field). */
int agg_parse_fast(const char *line, size_t len, rec_status *r);

/* round(sum / n) to two decimals, half away from zero, as "I.FF" (sum >= 0,
 * n > 0). Returns the length written into buf (needs 32 bytes). */
size_t agg_format_avg(int64_t sum, int64_t n, char *buf);
/* The checks of a car, '|'-separated in the fixed order, "" when none. */
size_t agg_format_checks(const agg_car *c, char *buf);
/* One CSV line with its newline; buf needs 256 bytes. */
size_t agg_format_csv(const agg_car *c, char *buf);

/* The sidecar of exact sums (_SUMS): a header line "rollup-sums 1", then one
 * line per car: car,records,tfl,tfr,tbl,tbr,tire_min,light_fault,engine_c,
 * brake_c,battery_sum,battery_min. */
#define AGG_SUMS_HEADER "rollup-sums 1"
size_t agg_format_sums(const agg_car *c, char *buf);	/* with newline; 256 bytes */
/* Parses a whole _SUMS text into t (merging into cars already there).
 * name is used in errors ("NAME:LINE: field ..."). */
int agg_parse_sums(const char *text, size_t len, const char *name, agg_table *t, job_err *e);

#endif
