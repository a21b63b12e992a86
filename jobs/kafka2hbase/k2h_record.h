/* k2h_record.h: a driver-log record (docs/formats.md) as kafka2hbase stores it. The record is
 * read by the pipeline's one driver parser (jobs/common/records.h: its rules,
 * its field names, its row key), so what is stored here is what overspeed
 * counts and rollup drive-day rolls up. Row key reverse(date) + "-" +
 * car_number, eight cells in cf1 named after the fields, every cell stamped
 * with the record's own time (ms since the epoch of its 14-digit date, read
 * as UTC), so replaying a record rewrites identical cells. */
#ifndef K2H_RECORD_H
#define K2H_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "jobs/common/records.h"

#define K2H_FAMILY "cf1"

struct k2h_record {
	char buf[64];			/* the fields, NUL-separated (a valid record is at most 37 bytes) */
	const char *field[REC_DRIVER_FIELDS];	/* cell values, qualifiers rec_driver_names[] */
	char row[REC_DRIVER_ROW_KEY_LEN + 1];
	int64_t ts_ms;
};

/* Parses and validates one message payload (a trailing line ending allowed).
 * 0, or -1 with the reason ("expected 8 fields, got 5", "field date:
 * '2016013' is not yyyyMMddHHmmss", ...). */
int k2h_record_parse(const void *payload, size_t len, struct k2h_record *r, char *reason, size_t rsz);

#endif
