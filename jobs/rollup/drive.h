/* drive.h: the arithmetic of the driving-pattern day rollup (drive-day):
 * per-car and per-area integer sums of the driver records, the fleet's pedal
 * symptoms (a car's average more than 2 population standard deviations from
 * the mean of the car averages) and the hard-steer rule, and the CSV lines. */
#ifndef ROLLUP_DRIVE_H
#define ROLLUP_DRIVE_H

#include <stddef.h>
#include <stdint.h>

#include "jobs/common/job.h"
#include "jobs/common/records.h"

#define DRIVE_HARD_STEER_LIMIT 2000
#define DRIVE_AREAS (6 * 10)
#define DRIVE_SUMS_HEADER "rollup-drive-sums 1"

typedef struct drive_car {
	char car[6];
	int64_t records, speed_sum, speed_pedal_sum, break_pedal_sum, hard_steers;
	int speed_max;
} drive_car;

typedef struct drive_area {
	int64_t records, speed_sum;
} drive_area;

typedef struct drive_day {
	int32_t *slot;		/* car index -> position + 1 */
	drive_car *cars;
	size_t n, cap;
	drive_area areas[DRIVE_AREAS];	/* A01..A10, B01.. F10 */
} drive_day;

int drive_day_init(drive_day *d);	/* -1: no memory */
void drive_day_free(drive_day *d);
/* Adds one parsed record; -1 only when out of memory. */
int drive_day_add(drive_day *d, const rec_driver *r);
/* The car's sums, created empty when new; NULL when out of memory or the
 * number is not a letter and 4 digits. */
drive_car *drive_day_car(drive_day *d, const char *car);
/* Sorts the cars by number. */
void drive_day_sort(drive_day *d);

/* The fleet's symptoms: out[i] = 1 when car i's average of the pedal
 * (0 speed pedal, 1 break pedal) is more than 2 population standard
 * deviations from the mean of the car averages. */
void drive_pedal_symptoms(const drive_day *d, int which, unsigned char *out);

/* cars.csv line with newline (256 bytes). steer_limit: hard steers above it
 * are abnormal (DRIVE_HARD_STEER_LIMIT a day, times the days of a period). */
size_t drive_format_car(const drive_car *c, int speed_abnormal, int break_abnormal, int64_t steer_limit,
			char *buf);

/* The exact sums of a day or period (_SUMS beside cars.csv):
 *   rollup-drive-sums 1
 *   C,car,records,speed_sum,speed_max,speed_pedal_sum,break_pedal_sum,hard_steers
 *   A,area,records,speed_sum
 * drive_sums_text returns a malloc'd text (NULL: no memory). drive_parse_sums
 * adds a text's sums into d; errors name NAME:LINE and the field. */
char *drive_sums_text(const drive_day *d, size_t *len);
int drive_parse_sums(const char *text, size_t len, const char *name, drive_day *d, job_err *e);
/* areas.csv: every area with records, by rank (average speed, highest first;
 * equal averages share a rank, 1 2 2 4), then area number. Returns the text
 * length written into buf (DRIVE_AREAS * 64 bytes). */
size_t drive_format_areas(const drive_day *d, char *buf);

#endif
