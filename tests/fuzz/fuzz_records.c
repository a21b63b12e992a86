/* fuzz_records.c: the status and driver record parsers (jobs/common/records.c)
 * on one line.
 *
 * Status: the format parsed back gives the same record; the rollup's fast
 * status parser (jobs/rollup/agg.c agg_parse_fast) agrees with
 * rec_status_parse.
 *
 * Driver: one parser (rec_driver_scan) and one canonical form (records.h), so
 *  - it takes exactly the lines rules_ok (below: the rules of records.h written
 *    again, plainly) takes: its fast path and its general path included;
 *  - a record taken, formatted back from its values (rec_driver_format), is
 *    the same bytes as the line without its line ending, and parses again to
 *    the same record;
 *  - the timestamp cache gives the same answer as the calendar arithmetic;
 *  - kafka2hbase (k2h_record_parse, a Kafka message's payload) takes exactly
 *    the lines the parser takes, its cells joined are the canonical line (so
 *    the row rollup drive-day rebuilds from them parses) and its row key is
 *    reverse(date) "-" car, matched by the day's row regex;
 *  - overspeed (win_parse_driver) takes exactly the same lines, reading the
 *    same time, car, speed and area. */
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/evtime.h"
#include "jobs/common/records.h"
#include "jobs/kafka2hbase/k2h_record.h"
#include "jobs/overspeed/window.h"
#include "jobs/rollup/agg.h"

/* The driver rules of records.h, written again without the parser's tricks:
 * the oracle the parser is compared with. */
static int all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

static int canon_le(const char *p, size_t n, int hi)
{
	if (n < 1 || n > 3 || !all_digits(p, n) || (n > 1 && p[0] == '0'))
		return 0;
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v <= hi;
}

static int rules_ok(const char *line, size_t len)
{
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[len - 1] == '\r')
		len--;
	const char *f[9];
	size_t n[9], k = 0, start = 0;
	for (size_t i = 0; i <= len; i++)
		if (i == len || line[i] == ',') {
			if (k == 8)
				return 0;	/* a 9th field */
			f[k] = line + start;
			n[k++] = i - start;
			start = i + 1;
		}
	if (k != 8 || n[0] != 14 || !all_digits(f[0], 14))
		return 0;
	int y = (f[0][0] - '0') * 1000 + (f[0][1] - '0') * 100 + (f[0][2] - '0') * 10 + (f[0][3] - '0');
	int mo = (f[0][4] - '0') * 10 + (f[0][5] - '0'), d = (f[0][6] - '0') * 10 + (f[0][7] - '0');
	int hh = (f[0][8] - '0') * 10 + (f[0][9] - '0'), mi = (f[0][10] - '0') * 10 + (f[0][11] - '0');
	int ss = (f[0][12] - '0') * 10 + (f[0][13] - '0');
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap) || hh > 23 || mi > 59 ||
	    ss > 59)
		return 0;
	if (n[1] != 5 || f[1][0] < 'A' || f[1][0] > 'Z' || !all_digits(f[1] + 1, 4))
		return 0;
	if (!canon_le(f[2], n[2], 5) || !canon_le(f[3], n[3], 3) || !canon_le(f[6], n[6], 250))
		return 0;
	if (!((n[4] == 1 && f[4][0] == 'F') ||
	      (n[4] == 2 && (f[4][0] == 'L' || f[4][0] == 'R') && f[4][1] >= '1' && f[4][1] <= '3')))
		return 0;
	if (n[5] != 1 || !(f[5][0] == 'N' || f[5][0] == 'L' || f[5][0] == 'R'))
		return 0;
	if (n[7] != 3 || f[7][0] < 'A' || f[7][0] > 'F' || !all_digits(f[7] + 1, 2))
		return 0;
	int area = (f[7][1] - '0') * 10 + (f[7][2] - '0');
	return area >= 1 && area <= 10;
}

static void check_status(const char *line, size_t size)
{
	job_err e;
	char buf[128];
	rec_status st, st2, fast;
	memset(&st, 0, sizeof st);	/* padding too: records are compared with memcmp */
	memset(&st2, 0, sizeof st2);
	memset(&fast, 0, sizeof fast);
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
	(void)rec_has_timestamp(line, size);
}

static void check_driver(const char *line, size_t size)
{
	job_err e;
	char buf[128];
	rec_driver dr, dr2;
	rec_driver_view v, vc;
	memset(&dr, 0, sizeof dr);
	memset(&dr2, 0, sizeof dr2);
	size_t body = size;	/* the record without its line ending */
	if (body && line[body - 1] == '\n')
		body--;
	if (body && line[body - 1] == '\r')
		body--;

	int ok = rec_driver_parse(line, size, &dr, &e) == 0;
	if ((rec_driver_scan(line, size, &v, NULL, &e) == 0) != ok)
		abort();
	if (ok != rules_ok(line, size))
		abort();	/* the parser and the written rules disagree */
	if (ok) {
		/* one canonical form: the values written back are the line */
		size_t n = rec_driver_format(&dr, buf);
		if (n != body || memcmp(buf, line, n) != 0)
			abort();
		if (rec_driver_parse(buf, n, &dr2, &e) != 0 || memcmp(&dr, &dr2, sizeof dr) != 0)
			abort();
		int64_t ts;
		if (evtime_parse14(dr.date, &ts) != 0 || ts != v.ts || ts < 0 || v.speed != dr.speed)
			abort();
	}
	/* the cache, cold then warm, answers as without it */
	rec_tscache cache = { 0 };
	for (int i = 0; i < 2; i++) {
		int c_ok = rec_driver_scan(line, size, &vc, &cache, &e) == 0;
		if (c_ok != ok || (ok && vc.ts != v.ts))
			abort();
	}

	/* kafka2hbase stores exactly these records, as cells rollup reads back */
	struct k2h_record *k = malloc(sizeof *k);
	char reason[256] = "";
	int k2h_ok = k2h_record_parse(line, size, k, reason, sizeof reason) == 0;
	if (k2h_ok != ok || (!k2h_ok && reason[0] == '\0'))
		abort();
	if (k2h_ok) {
		size_t n = 0;
		for (int i = 0; i < REC_DRIVER_FIELDS; i++) {
			size_t l = strlen(k->field[i]);
			if (i)
				buf[n++] = ',';
			memcpy(buf + n, k->field[i], l);
			n += l;
		}
		if (n != body || memcmp(buf, line, n) != 0 || rec_driver_parse(buf, n, &dr2, &e) != 0)
			abort();	/* the row rollup drive-day rebuilds is not the record */
		if (k->ts_ms != v.ts * 1000 || strlen(k->row) != REC_DRIVER_ROW_KEY_LEN || k->row[14] != '-' ||
		    memcmp(k->row + 15, dr.car_number, 5) != 0)
			abort();
		for (int i = 0; i < 14; i++)
			if (k->row[i] != dr.date[13 - i])
				abort();
		static regex_t day_re;
		static char day_re_for[9];
		if (memcmp(day_re_for, dr.date, 8) != 0) {	/* compiled once per day seen */
			char re[32];
			if (day_re_for[0])
				regfree(&day_re);
			rec_driver_day_regex(dr.date, re);
			if (regcomp(&day_re, re, REG_EXTENDED | REG_NOSUB) != 0)
				abort();
			memcpy(day_re_for, dr.date, 8);
		}
		if (regexec(&day_re, k->row, 0, NULL, 0) != 0)
			abort();	/* rollup drive-day would not select the row */
	}
	free(k);

	/* overspeed counts exactly these records */
	struct win_record wr;
	int win_ok = win_parse_driver(line, size, &wr, NULL, &e) == 0;
	if (win_ok != ok)
		abort();
	if (win_ok && (wr.ts != v.ts || wr.speed != dr.speed || wr.car_len != 5 ||
		       memcmp(wr.car, dr.car_number, 5) != 0 || wr.area_len != 3 ||
		       memcmp(wr.area, dr.area_number, 3) != 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	check_status(line, size);
	check_driver(line, size);
	return 0;
}
