/* records.h: the two record formats of the pipeline (docs/formats.md), shared by
 * the generator, the loaders, the rollup and the Kafka jobs: the status log
 * (13 fields, 14 once loaded with wrk_date) and the driver log (8 fields).
 * Parsers check every field and say which one is wrong. */
#ifndef JOB_RECORDS_H
#define JOB_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "jobs/common/job.h"

#define REC_STATUS_FIELDS 13
#define REC_DRIVER_FIELDS 8

typedef struct rec_status {
	char reg_date[15];	/* yyyyMMddHHmmss */
	char car_number[6];	/* letter + 4 digits */
	int tire[4];		/* fl fr bl br */
	int light[4];		/* fl fr bl br: 1 ok, 2 fault */
	char engine, brake;	/* A B C */
	int battery;
	char wrk_date[9];	/* "" when the line had 13 fields */
} rec_status;

typedef struct rec_driver {
	char date[15];
	char car_number[6];
	int speed_pedal;	/* 0-5 */
	int break_pedal;	/* 0-3 */
	char steer_angle[3];	/* F L1 L2 L3 R1 R2 R3 */
	char direct_light;	/* N L R */
	int speed;		/* km/h 0-250 */
	char area_number[4];	/* A01..F10 */
} rec_driver;

/* 1 when line starts with 14 ASCII digits (the original filter ^\d{14}).
 * Inline and branch-light: spool-loader asks it for every line of a day. */
static inline int rec_all_digits8(uint64_t w)
{
	/* every byte 0x30-0x39: high nibble 3, and adding 6 does not carry
	 * into it (a byte >= 0xFA carrying into the next fails the first test) */
	const uint64_t hi = 0xF0F0F0F0F0F0F0F0ull, three = 0x3030303030303030ull;
	return ((w & hi) == three) & (((w + 0x0606060606060606ull) & hi) == three);
}

static inline int rec_has_timestamp(const char *line, size_t len)
{
	if (len < 14)
		return 0;
	uint64_t a, b;	/* bytes 0-7 and 6-13 */
	memcpy(&a, line, 8);
	memcpy(&b, line + 6, 8);
	return rec_all_digits8(a) & rec_all_digits8(b);
}

/* Parse one line (without its newline). Status accepts 13 fields, or 14 with
 * a trailing wrk_date. Return 0, or -1 with e naming the field. */
int rec_status_parse(const char *line, size_t len, rec_status *out, job_err *e);
int rec_driver_parse(const char *line, size_t len, rec_driver *out, job_err *e);

/* Format back (no newline); return the length. buf needs 96 bytes. */
size_t rec_status_format(const rec_status *r, char *buf);
size_t rec_driver_format(const rec_driver *r, char *buf);

#endif
