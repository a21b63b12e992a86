/* k2h_record.h: a driver-log record (docs/formats.md, 8 comma-separated fields) as
 * kafka2hbase stores it: row key reverse(date) + "-" + car_number, eight cells
 * in cf1 named after the fields, every cell stamped with the record's own time
 * (ms since the epoch of its 14-digit date, read as UTC), so replaying a
 * record rewrites identical cells. */
#ifndef K2H_RECORD_H
#define K2H_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define K2H_FIELDS 8
#define K2H_FAMILY "cf1"

extern const char *const k2h_qualifiers[K2H_FIELDS];

struct k2h_record {
	char buf[1024];			/* the fields, NUL-separated */
	const char *field[K2H_FIELDS];
	char row[64];			/* reverse(date) + "-" + car_number */
	int64_t ts_ms;
};

/* Parses and validates one message payload. 0, or -1 with the reason
 * ("expected 8 fields, got 5", "date '2016013' is not 14 digits", ...). */
int k2h_record_parse(const void *payload, size_t len, struct k2h_record *r, char *reason, size_t rsz);
/* ms since the epoch for a valid yyyyMMddHHmmss (UTC); -1 if not a real time. */
int64_t k2h_date_ms(const char *d14);

#endif
