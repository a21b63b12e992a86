/* fuzz_records.c: the status and driver record parsers (jobs/common/records.c)
 * on one line, with their formats parsed back to the same record; the
 * rollup's fast status parser (jobs/rollup/agg.c agg_parse_fast) must agree
 * with rec_status_parse, and overspeed's driver parser (jobs/overspeed/window.c
 * win_parse_driver) must read every valid driver record to the same time, car
 * and speed; kafka2hbase's (jobs/kafka2hbase/k2h_record.c, a Kafka message's
 * payload) runs on the same line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/evtime.h"
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
	int driver_ok = rec_driver_parse(line, size, &dr, &e) == 0;
	if (driver_ok) {
		size_t n = rec_driver_format(&dr, buf);
		if (n >= 96 || rec_driver_parse(buf, n, &dr2, &e) != 0 || memcmp(&dr, &dr2, sizeof dr) != 0)
			abort();
	}
	struct win_record wr;
	struct win_tscache cache = { 0 };
	const char *why = NULL;
	int win_ok = win_parse_driver(line, size, &wr, &cache, &why) == 0;
	int64_t ts;
	/* rec_driver_parse (like rec_status_parse and agg_parse_fast) takes any 14
	 * digits as the date, "20160101240000" too; overspeed (evtime_parse14) and
	 * kafka2hbase (k2h_date_ms) reject such a time: compared on real times only. */
	if (driver_ok && evtime_parse14(dr.date, &ts) == 0) {
		if (!win_ok || wr.ts != ts || wr.speed != dr.speed ||
		    wr.car_len != strlen(dr.car_number) || memcmp(wr.car, dr.car_number, wr.car_len) != 0)
			abort();	/* overspeed reads a valid driver record otherwise */
	}
	(void)rec_has_timestamp(line, size);
	struct k2h_record *k = malloc(sizeof *k);
	char reason[256] = "";
	int k2h_ok = k2h_record_parse(data, size, k, reason, sizeof reason) == 0;
	if (driver_ok && evtime_parse14(dr.date, &ts) == 0 && ts >= 0 && !k2h_ok)
		abort();	/* kafka2hbase drops a valid driver record (from 1970: its cells are stamped in ms since the epoch) */
	if (k2h_ok) {
		if (k->row[0] == '\0' || strlen(k->row) >= sizeof k->row)
			abort();
	} else if (reason[0] == '\0') {
		abort();
	}
	free(k);
	return 0;
}
