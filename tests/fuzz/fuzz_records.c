/* fuzz_records.c: the status and driver record parsers (jobs/common/records.c)
 * on one line, with their formats parsed back to the same record; the
 * rollup's fast status parser (jobs/rollup/agg.c agg_parse_fast) must agree
 * with rec_status_parse, and overspeed's driver parser (jobs/overspeed/window.c
 * win_parse_driver) and kafka2hbase's (jobs/kafka2hbase/k2h_record.c, a
 * Kafka message's payload) run on the same line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/records.h"
#include "jobs/kafka2hbase/k2h_record.h"
#include "jobs/overspeed/window.h"
#include "jobs/rollup/agg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	job_err e;
	char buf[128];
	rec_status st, st2, fast;
	rec_driver dr, dr2;
	memset(&st, 0, sizeof st);	/* padding too: records are compared with memcmp */
	memset(&st2, 0, sizeof st2);
	memset(&fast, 0, sizeof fast);
	memset(&dr, 0, sizeof dr);
	memset(&dr2, 0, sizeof dr2);
	int ok = rec_status_parse(line, size, &st, &e) == 0;
	if (ok) {
		size_t n = rec_status_format(&st, buf);
		if (n >= 96 || rec_status_parse(buf, n, &st2, &e) != 0 || memcmp(&st, &st2, sizeof st) != 0)
			abort();
	}
	if (agg_parse_fast(line, size, &fast) == 0) {
		if (!ok)
			abort();	/* the fast path took a line the full parser rejects */
		if (memcmp(fast.car_number, st.car_number, sizeof st.car_number) != 0 ||
		    memcmp(fast.tire, st.tire, sizeof st.tire) != 0 || memcmp(fast.light, st.light, sizeof st.light) != 0 ||
		    fast.engine != st.engine || fast.brake != st.brake || fast.battery != st.battery)
			abort();	/* the two parsers read different values */
	}
	if (rec_driver_parse(line, size, &dr, &e) == 0) {
		size_t n = rec_driver_format(&dr, buf);
		if (n >= 96 || rec_driver_parse(buf, n, &dr2, &e) != 0 || memcmp(&dr, &dr2, sizeof dr) != 0)
			abort();
	}
	struct win_record wr;
	struct win_tscache cache = { 0 };
	const char *why = NULL;
	win_parse_driver(line, size, &wr, &cache, &why);
	(void)rec_has_timestamp(line, size);
	struct k2h_record *k = malloc(sizeof *k);
	char reason[256] = "";
	if (k2h_record_parse(data, size, k, reason, sizeof reason) == 0) {
		if (k->row[0] == '\0' || strlen(k->row) >= sizeof k->row)
			abort();
	} else if (reason[0] == '\0') {
		abort();
	}
	free(k);
	return 0;
}
