/* records.h: the two record formats of the pipeline (docs/formats.md), shared by the generator,
 * the loaders, the rollup and the Kafka jobs: the status log (13 fields, 14
 * once loaded with wrk_date) and the driver log (8 fields). Parsers check
 * every field and say which one is wrong.
 *
 * The driver record has ONE parser, rec_driver_scan, and one set of rules,
 * used by kafka2hbase (what it stores), overspeed (what it counts) and rollup
 * drive-day (what it rolls up), so a record one of them takes the others take
 * too. The rules are the form loggen writes (jobs/loggen/gen.c), as docs/
 * jobs-stream.md, jobs-realtime-analysis.md and jobs-rollup.md state them:
 *
 *   date,car_number,speed_pedal,break_pedal,steer_angle,direct_light,speed,area_number
 *   20160103010000,Z0020,5,0,L2,N,110,B09
 *
 *   - exactly 8 comma-separated fields; one line ending (LF, CRLF or CR) at
 *     the end is not part of the record, any other byte is;
 *   - date: 14 digits yyyyMMddHHmmss forming a real time (month 01-12, a day
 *     of that month, 00-23, 00-59, 00-59) from 1970 on (kafka2hbase stamps
 *     cells with it in ms since the epoch);
 *   - car_number: an upper-case letter A-Z and exactly 4 digits;
 *   - speed_pedal 0-5, break_pedal 0-3, speed 0-250 (km/h): decimal, no sign,
 *     no leading zero ("0", "7", "110"; not "07");
 *   - steer_angle: F, L1, L2, L3, R1, R2 or R3; direct_light: N, L or R;
 *   - area_number: A-F and a district 01-10 (A01 .. F10).
 * So a record has one canonical form: rec_driver_format of what
 * rec_driver_parse read gives back the same bytes (the fuzz harness checks
 * it), and kafka2hbase's cells put back together are a line rollup takes.
 *
 * Row key (kafka2hbase's DriverCarInfo table, read back by rollup drive-day):
 * reverse(date) "-" car_number, 20 bytes ("00001030106102-Z0020"), built by
 * rec_driver_row_key; one day's rows are the keys rec_driver_day_regex
 * matches. */
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

/* The driver record, copied out (rollup's aggregates keep these). */
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

/* The driver record's fields in order; their names (kafka2hbase's cf1
 * qualifiers, the words of error messages) are rec_driver_names[]. */
enum rec_driver_field {
	REC_D_DATE,
	REC_D_CAR_NUMBER,
	REC_D_SPEED_PEDAL,
	REC_D_BREAK_PEDAL,
	REC_D_STEER_ANGLE,
	REC_D_DIRECT_LIGHT,
	REC_D_SPEED,
	REC_D_AREA_NUMBER,
};
extern const char *const rec_driver_names[REC_DRIVER_FIELDS];

/* A field of the caller's line: not NUL-terminated. */
typedef struct rec_field {
	const char *p;
	size_t n;
} rec_field;

/* A driver record as a zero-copy view of the caller's line (valid while the
 * line is), with the numbers already read. */
typedef struct rec_driver_view {
	rec_field f[REC_DRIVER_FIELDS];
	int64_t ts;		/* date as seconds since 1970 (evtime.h) */
	int speed_pedal, break_pedal, speed;
} rec_driver_view;

/* The last date read and its seconds: records come in bursts of one second,
 * so a stream reader passes one to skip the calendar arithmetic. */
typedef struct rec_tscache {
	char last[14];
	int64_t secs;
	int valid;
} rec_tscache;

/* Checks line against the rules above. 0, or -1 with e naming the field and
 * its value ("field speed: '251' is not a speed 0-250"). cache may be NULL. */
int rec_driver_scan(const char *line, size_t len, rec_driver_view *v, rec_tscache *cache, job_err *e);

#define REC_DRIVER_ROW_KEY_LEN 20	/* reverse(date) "-" car_number */
/* Writes the row key of v and a NUL into key (REC_DRIVER_ROW_KEY_LEN + 1
 * bytes); returns REC_DRIVER_ROW_KEY_LEN. */
size_t rec_driver_row_key(const rec_driver_view *v, char *key);
/* The row regex (POSIX extended) matching the keys of the records of one day
 * yyyyMMdd: "^[0-9]{6}<reverse(day)>-". out needs 32 bytes. */
void rec_driver_day_regex(const char *yyyymmdd, char *out);

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
/* rec_driver_scan, then the fields copied out. */
int rec_driver_parse(const char *line, size_t len, rec_driver *out, job_err *e);

/* Format back (no newline); return the length. buf needs 96 bytes. */
size_t rec_status_format(const rec_status *r, char *buf);
size_t rec_driver_format(const rec_driver *r, char *buf);

#endif
