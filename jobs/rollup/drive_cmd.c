/* drive_cmd.c: `rollup drive-day`: one day of driver records from the row
 * store (the table kafka2hbase writes) into
 * <dest>/drive/day/wrk_date=D/{cars.csv,areas.csv}.
 *
 * Row keys are the reversed 14-digit timestamp, "-", the car, so one day's
 * rows share no key prefix and no row range: the day is selected with a row
 * regex on the reversed date (^[0-9]{6}<reverse(YYYYMMDD)>-), which HBase
 * evaluates server-side (RowFilter) and the sqlite backend while scanning the
 * whole table. Each row's cells are put back into a driver line and checked
 * by rec_driver_parse; rows that do not parse, or whose cf1:date is not the
 * day, are counted and skipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/job.h"
#include "jobs/common/records.h"
#include "jobs/common/rowstore.h"
#include "jobs/common/storage.h"
#include "jobs/rollup/drive.h"
#include "jobs/rollup/rollup.h"

static const char *const quals[] = { "date",	     "car_number",   "speed_pedal", "break_pedal",
				     "steer_angle", "direct_light", "speed",	   "area_number" };

struct scan_ctx {
	drive_day *d;
	const char *date;
	int64_t rows, bad, other_date, nomem;
};

static int on_row(const struct rowstore_row *row, void *arg)
{
	struct scan_ctx *s = arg;
	char line[512];
	size_t n = 0;
	s->rows++;
	job_progress_add(1);
	for (int q = 0; q < 8; q++) {
		const struct rowstore_cell *c = NULL;
		for (size_t i = 0; i < row->ncells; i++)
			if (strcmp(row->cells[i].family, "cf1") == 0 && strcmp(row->cells[i].qualifier, quals[q]) == 0)
				c = &row->cells[i];
		if (!c || c->value_len > 32 || memchr(c->value, ',', c->value_len)) {
			if (++s->bad <= 5)
				job_warn("row skipped", "row=%s error=%s%s", row->key,
					 !c ? "no cell cf1:" : "bad cell cf1:", quals[q]);
			return 0;
		}
		if (q)
			line[n++] = ',';
		memcpy(line + n, c->value, c->value_len);
		n += c->value_len;
	}
	rec_driver r;
	job_err e;
	if (rec_driver_parse(line, n, &r, &e) < 0) {
		if (++s->bad <= 5)
			job_warn("row skipped", "row=%s error=%s", row->key, e.msg);
		return 0;
	}
	if (memcmp(r.date, s->date, 8) != 0) {
		s->other_date++;
		return 0;
	}
	if (drive_day_add(s->d, &r) < 0) {
		s->nomem = 1;
		return 1;
	}
	return job_stopping() ? 1 : 0;
}

int rollup_drive_day(int argc, char **argv)
{
	const char *store = NULL, *table = NULL, *date_s = NULL, *dest = NULL;
	job_err e;
	for (int i = 0; i < argc; i++) {
		const char **v = strcmp(argv[i], "--store") == 0 ? &store
			: strcmp(argv[i], "--table") == 0	 ? &table
			: strcmp(argv[i], "--date") == 0	 ? &date_s
			: strcmp(argv[i], "--dest") == 0	 ? &dest
								 : NULL;
		if (!v) {
			job_err_set(&e, "unknown option '%s'", argv[i]);
			goto usage;
		}
		if (i + 1 >= argc) {
			job_err_set(&e, "%s needs a value", argv[i]);
			goto usage;
		}
		*v = argv[++i];
	}
	if (!store || !date_s || !dest) {
		job_err_set(&e, "%s is required", !store ? "--store" : !date_s ? "--date" : "--dest");
		goto usage;
	}
	if (!table)
		table = "DriverCarInfo";
	char date[9];
	if (job_parse_date("--date", date_s, date, &e) < 0)
		goto usage;
	job_result_set_str("date", date);

	storage *out = storage_open(dest, &e);
	if (!out) {
		job_err_prefix(&e, "--dest");
		goto usage;
	}
	struct rowstore_err rerr = { 0 };
	struct rowstore *rs = rowstore_open(store, NULL, &rerr);
	if (!rs) {
		storage_free(out);
		job_err_set(&e, "--store: %s", rerr.msg);
		if (rowstore_retryable(rerr.code)) {
			job_error("failed", "error=%s", e.msg);
			job_result_print();
			return JOB_EXIT_FAILED;
		}
		goto usage;
	}
	int rc = JOB_EXIT_FAILED;
	drive_day d;
	char *parent = NULL, *text = NULL;
	unsigned char *sp = NULL, *bp = NULL;
	rollup_buf cars = { 0 }, areas = { 0 };
	if (drive_day_init(&d) < 0) {
		job_err_set(&e, "out of memory");
		goto done;
	}
	char regex[64];
	snprintf(regex, sizeof regex, "^[0-9]{6}%c%c%c%c%c%c%c%c-", date[7], date[6], date[5], date[4], date[3],
		 date[2], date[1], date[0]);
	struct rowstore_scan_opts so = { .row_regex = regex };
	struct scan_ctx s = { .d = &d, .date = date };
	job_progress_start("scanning", 0, "rows");
	int code = rowstore_scan(rs, table, &so, on_row, &s, &rerr);
	job_progress_finish();
	job_result_set_int("rows_read", s.rows);
	job_result_set_int("rows_unparseable", s.bad);
	job_result_set_int("rows_other_date", s.other_date);
	job_result_set_int("cars", (int64_t)d.n);
	if (code != ROWSTORE_OK) {
		job_err_set(&e, "scan of %s: %s", table, rerr.msg);
		if (!rowstore_retryable(code) && code != ROWSTORE_ENOTFOUND)
			rc = JOB_EXIT_USAGE;
		goto done;
	}
	if (s.nomem) {
		job_err_set(&e, "out of memory");
		goto done;
	}
	if (job_stopping()) {
		job_err_set(&e, "stopped by signal %d", job_stop_signal());
		goto done;
	}
	drive_day_sort(&d);
	sp = calloc(d.n + 1, 1);
	bp = calloc(d.n + 1, 1);
	text = malloc(DRIVE_AREAS * 64 + 1);
	if (!sp || !bp || !text) {
		job_err_set(&e, "out of memory");
		goto done;
	}
	drive_pedal_symptoms(&d, 0, sp);
	drive_pedal_symptoms(&d, 1, bp);
	char line[256];
	for (size_t i = 0; i < d.n; i++)
		if (rollup_buf_add(&cars, line, drive_format_car(&d.cars[i], sp[i], bp[i], line)) < 0) {
			job_err_set(&e, "out of memory");
			goto done;
		}
	if (rollup_buf_add(&areas, text, drive_format_areas(&d, text)) < 0) {
		job_err_set(&e, "out of memory");
		goto done;
	}
	int64_t recs = 0;
	for (size_t i = 0; i < d.n; i++)
		recs += d.cars[i].records;
	job_result_set_int("records", recs);
	char pname[32];
	snprintf(pname, sizeof pname, "wrk_date=%s", date);
	char *drive = storage_join(storage_root(out), "drive");
	parent = storage_join(drive, "day");
	free(drive);
	rollup_file files[] = { { "cars.csv", &cars }, { "areas.csv", &areas } };
	if (rollup_publish(out, parent, pname, files, 2, &e) < 0)
		goto done;
	job_info("drive day rolled up", "date=%s rows=%lld records=%lld cars=%zu", date, (long long)s.rows,
		 (long long)recs, d.n);
	rc = JOB_EXIT_OK;
done:
	if (rc != JOB_EXIT_OK)
		job_error("failed", "error=%s", e.msg);
	job_result_print();
	rollup_buf_free(&cars);
	rollup_buf_free(&areas);
	free(sp);
	free(bp);
	free(text);
	free(parent);
	drive_day_free(&d);
	rowstore_close(rs);
	storage_free(out);
	return rc;
usage:
	job_error("usage", "error=%s", e.msg);
	fputs("usage: rollup drive-day --store URI [--table DriverCarInfo] --date YYYYMMDD --dest URI\n", stderr);
	job_result_print();
	return JOB_EXIT_USAGE;
}
