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
#include "jobs/rollup/period.h"
#include "jobs/rollup/rollup.h"
#include "jobs/rollup/rollup_opts.h"

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

/* cars.csv, areas.csv and _SUMS of a day or period. */
static int drive_render(drive_day *d, int64_t steer_limit, struct buf *cars, struct buf *areas, struct buf *sums)
{
	int rc = -1;
	drive_day_sort(d);
	unsigned char *sp = calloc(d->n + 1, 1), *bp = calloc(d->n + 1, 1);
	char *text = malloc(DRIVE_AREAS * 64 + 1), *st = NULL;
	size_t stlen = 0;
	if (!sp || !bp || !text)
		goto out;
	drive_pedal_symptoms(d, 0, sp);
	drive_pedal_symptoms(d, 1, bp);
	char line[256];
	for (size_t i = 0; i < d->n; i++)
		buf_add(cars, line, drive_format_car(&d->cars[i], sp[i], bp[i], steer_limit, line));
	st = drive_sums_text(d, &stlen);
	if (!st)
		goto out;
	buf_add(areas, text, drive_format_areas(d, text));
	buf_add(sums, st, stlen);
	rc = 0;
out:
	free(sp);
	free(bp);
	free(text);
	free(st);
	return rc;
}

int rollup_drive_day(const struct rollup_opts *o)
{
	const char *store = o->store, *table = o->table, *dest = o->dest, *date = o->date;
	job_err e;
	job_result_set_str("date", date);

	storage *out = storage_open(dest, &e);
	if (!out) {
		job_err_prefix(&e, "--dest");
		goto usage;
	}
	struct rowstore_err rerr = { 0 };
	/* only reads: a file that is not a row store is refused, not changed */
	struct rowstore_opts ro = { .retries = -1, .readonly = 1 };
	struct rowstore *rs = rowstore_open(store, &ro, &rerr);
	if (!rs) {
		storage_free(out);
		job_err_set(&e, "--store: %s", rerr.msg);
		if (rowstore_retryable(rerr.code) || rerr.code == ROWSTORE_ENOTFOUND) {
			job_error("failed", "error=%s", e.msg);
			job_result_print();
			return JOB_EXIT_FAILED;
		}
		goto usage;
	}
	int rc = JOB_EXIT_FAILED;
	drive_day d;
	char *parent = NULL;
	struct buf cars = BUF_INIT, areas = BUF_INIT, sums = BUF_INIT;
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
	if (drive_render(&d, DRIVE_HARD_STEER_LIMIT, &cars, &areas, &sums) < 0) {
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
	rollup_file files[] = { { "cars.csv", &cars }, { "areas.csv", &areas }, { "_SUMS", &sums } };
	if (rollup_publish(out, parent, pname, files, 3, &e) < 0)
		goto done;
	job_info("drive day rolled up", "date=%s rows=%lld records=%lld cars=%zu", date, (long long)s.rows,
		 (long long)recs, d.n);
	rc = JOB_EXIT_OK;
done:
	if (rc != JOB_EXIT_OK)
		job_error("failed", "error=%s", e.msg);
	job_result_print();
	buf_free(&cars);
	buf_free(&areas);
	buf_free(&sums);
	free(parent);
	drive_day_free(&d);
	rowstore_close(rs);
	storage_free(out);
	return rc;
usage:
	job_error("usage", "error=%s", e.msg);
	job_result_print();
	return JOB_EXIT_USAGE;
}

static int add_drive_sums(const char *text, size_t len, const char *path, void *day, job_err *e)
{
	return drive_parse_sums(text, len, path, day, e);
}

int rollup_drive_period(int month, const struct rollup_opts *o)
{
	const char *dest = o->dest, *spec = o->spec;
	int require_complete = o->require_complete;
	job_err e;
	period p = o->p;
	job_result_set_str(month ? "month" : "week", spec);
	storage *out = storage_open(dest, &e);
	if (!out) {
		job_err_prefix(&e, "--dest");
		goto usage;
	}
	int rc = JOB_EXIT_FAILED, npresent = 0, nmissing = 0;
	char pname[64];
	snprintf(pname, sizeof pname, "%s=%s", month ? "wrk_month" : "wrk_week", spec);
	char *drive = storage_join(storage_root(out), "drive");
	char *dayroot = storage_join(drive, "day"), *parent = storage_join(drive, month ? "month" : "week");
	struct buf cars = BUF_INIT, areas = BUF_INIT, sums = BUF_INIT, cov = BUF_INIT;
	rollup_days days = { 0, 0, BUF_INIT, BUF_INIT };
	drive_day d;
	if (drive_day_init(&d) < 0) {
		job_err_set(&e, "out of memory");
		goto done;
	}
	if (rollup_read_days(out, dayroot, &p, add_drive_sums, &d, &days, &e) < 0)
		goto done;
	npresent = days.npresent;
	nmissing = days.nmissing;
	job_result_set_int("days_present", npresent);
	job_result_set_int("days_missing", nmissing);
	job_result_set_int("cars", (int64_t)d.n);
	if (nmissing && require_complete) {
		job_err_set(&e, "%d of the %d days have no drive day rollup (--require-complete)%s", nmissing, p.ndays,
			    buf_str(&days.missing));
		goto done;
	}
	/* the steer rule is per day: above 2000 hard steers a day on average
	 * over the days present */
	if (drive_render(&d, (int64_t)DRIVE_HARD_STEER_LIMIT * npresent, &cars, &areas, &sums) < 0) {
		job_err_set(&e, "out of memory");
		goto done;
	}
	rollup_coverage(&cov, pname, p.ndays, &days);
	rollup_file files[] = { { "cars.csv", &cars }, { "areas.csv", &areas }, { "_SUMS", &sums }, { "_COVERAGE", &cov } };
	if (rollup_publish(out, parent, pname, files, 4, &e) < 0)
		goto done;
	if (nmissing)
		job_warn("days missing from the period", "period=%s present=%d missing=%d", pname, npresent, nmissing);
	job_info("drive period rolled up", "period=%s days_present=%d days_missing=%d cars=%zu", pname, npresent,
		 nmissing, d.n);
	rc = JOB_EXIT_OK;
done:
	if (rc != JOB_EXIT_OK)
		job_error("failed", "error=%s", e.msg);
	job_result_print();
	buf_free(&cars);
	buf_free(&areas);
	buf_free(&sums);
	buf_free(&cov);
	rollup_days_free(&days);
	drive_day_free(&d);
	free(drive);
	free(dayroot);
	free(parent);
	storage_free(out);
	return rc;
usage:
	job_error("usage", "error=%s", e.msg);
	job_result_print();
	return JOB_EXIT_USAGE;
}
