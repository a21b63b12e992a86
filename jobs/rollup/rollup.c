/* rollup.c: the partition aggregator (issue 6). status-day reads one
 * wrk_date= partition of the loaded status log in one pass (large reads, the
 * hand-written parser of agg.c, a thread per CPU: dayscan.h) and writes the
 * day's CSV beside the exact integer sums (_SUMS) from which status-week,
 * status-month and status-year are rebuilt without touching raw data.
 * drive-day and the drive periods live in drive_cmd.c; what every subcommand
 * does with its output (publish, the days of a period, _COVERAGE) in output.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/job.h"
#include "jobs/common/records.h"
#include "jobs/common/storage.h"
#include "jobs/rollup/agg.h"
#include "jobs/rollup/dayscan.h"
#include "jobs/rollup/period.h"
#include "jobs/rollup/rollup.h"
#include "jobs/rollup/rollup_opts.h"
#include "lib/options.h"


static int usage_error(job_err *e)
{
	job_error("usage", "error=%s", e->msg);
	job_result_print();
	return JOB_EXIT_USAGE;
}

/* The table as CSV and as _SUMS. */
static void render(agg_table *t, struct buf *csv, struct buf *sums)
{
	char line[256];
	agg_table_sort(t);
	buf_puts(sums, AGG_SUMS_HEADER "\n");
	for (size_t i = 0; i < t->n; i++) {
		buf_add(csv, line, agg_format_csv(&t->cars[i], line));
		buf_add(sums, line, agg_format_sums(&t->cars[i], line));
	}
}

static int add_day_sums(const char *text, size_t len, const char *path, void *table, job_err *e)
{
	return agg_parse_sums(text, len, path, table, e);
}

static int status_day(const struct rollup_opts *o)
{
	const char *src = o->src, *dest = o->dest, *date = o->date;
	int allow_incomplete = o->allow_incomplete;
	long long threads = o->threads;
	double max_reject = o->max_reject;
	job_err e;
	job_result_set_str("date", date);
	storage *in = storage_open(src, &e);
	if (!in) {
		job_err_prefix(&e, "--src");
		return usage_error(&e);
	}
	storage *out = storage_open(dest, &e);
	if (!out) {
		storage_free(in);
		job_err_prefix(&e, "--dest");
		return usage_error(&e);
	}
	int rc = JOB_EXIT_FAILED;
	char pname[32];
	snprintf(pname, sizeof pname, "wrk_date=%s", date);
	char *dir = storage_join(storage_root(in), pname), *succ = storage_join(dir, "_SUCCESS");
	char *dayparent = storage_join(storage_root(out), "day");
	storage_entry *l = NULL;
	size_t nl = 0;
	agg_table t;
	struct buf csv = BUF_INIT, sums = BUF_INIT;
	if (agg_table_init(&t, &e) < 0)
		goto done;
	storage_stat st;
	if (storage_stat_path(in, dir, &st, &e) < 0)
		goto done;
	if (!st.exists || !st.is_dir) {
		job_err_set(&e, "partition %s of %s does not exist (not loaded yet?)", pname, storage_describe(in));
		goto done;
	}
	if (!allow_incomplete) {
		if (storage_stat_path(in, succ, &st, &e) < 0)
			goto done;
		if (!st.exists) {
			job_err_set(&e, "partition %s of %s has no _SUCCESS (load not finished; --allow-incomplete reads it anyway)",
				    pname, storage_describe(in));
			goto done;
		}
	}
	if (storage_list(in, dir, &l, &nl, &e) < 0)
		goto done;
	uint64_t total = 0;
	for (size_t i = 0; i < nl; i++)
		if (dayscan_is_data(&l[i]))
			total += l[i].length;
	dayscan_stats d;
	job_result_set_int("files_read", 0);
	job_result_set_int("bytes_read", 0);
	job_progress_start("reading", total, "bytes");
	int rerr = dayscan_run(in, src, dir, l, nl, (int)threads, &t, &d, &e);
	job_progress_finish();
	job_result_set_int("records", d.records);
	job_result_set_int("records_unparseable", d.bad);
	job_result_set_int("cars", (int64_t)t.n);
	job_result_set_int("threads", d.threads);
	if (rerr)
		goto done;
	if (d.bad > DAYSCAN_MAX_LOGGED)
		job_warn("unparseable lines skipped", "count=%lld logged=%d", (long long)d.bad, DAYSCAN_MAX_LOGGED);
	/* a day of garbage must not publish an empty day that the week and
	 * month rollups then take for a day without cars */
	int64_t lines = d.records + d.bad;
	double ratio = lines ? (double)d.bad / (double)lines : 0;
	if (ratio > max_reject) {
		job_err_set(&e, "too many unparseable lines; nothing written (rejected=%lld lines=%lld ratio=%.4f max=%g)",
			    (long long)d.bad, (long long)lines, ratio, max_reject);
		rc = JOB_EXIT_REJECTED;
		goto done;
	}
	render(&t, &csv, &sums);
	rollup_file files[] = { { "part-00000.csv", &csv }, { "_SUMS", &sums } };
	if (rollup_publish(out, dayparent, pname, files, 2, &e) < 0)
		goto done;
	char *outdir = storage_join(dayparent, pname);
	job_result_set_str("output", outdir);
	job_info("day rolled up", "partition=%s records=%lld unparseable=%lld cars=%zu output=%s", pname,
		 (long long)d.records, (long long)d.bad, t.n, outdir);
	free(outdir);
	rc = JOB_EXIT_OK;
done:
	if (rc != JOB_EXIT_OK)
		job_error("failed", "error=%s", e.msg);
	job_result_print();
	buf_free(&csv);
	buf_free(&sums);
	agg_table_free(&t);
	storage_list_free(l, nl);
	free(dir);
	free(succ);
	free(dayparent);
	storage_free(in);
	storage_free(out);
	return rc;
}

enum period_kind { PK_WEEK, PK_MONTH, PK_YEAR };

static int status_period(enum period_kind kind, const struct rollup_opts *o)
{
	static const char *dirname[] = { "week", "month", "year" };
	static const char *keyname[] = { "wrk_week", "wrk_month", "wrk_year" };
	const char *dest = o->dest, *spec = o->spec;
	int require_complete = o->require_complete;
	job_err e;
	period p = o->p;
	job_result_set_str(dirname[kind], spec);
	storage *out = storage_open(dest, &e);
	if (!out) {
		job_err_prefix(&e, "--dest");
		return usage_error(&e);
	}
	int rc = JOB_EXIT_FAILED;
	char pname[64];
	snprintf(pname, sizeof pname, "%s=%s", keyname[kind], spec);
	char *dayroot = storage_join(storage_root(out), "day");
	char *parent = storage_join(storage_root(out), dirname[kind]);
	agg_table t;
	struct buf csv = BUF_INIT, sums = BUF_INIT, cov = BUF_INIT;
	rollup_days days = { 0, 0, BUF_INIT, BUF_INIT };
	if (agg_table_init(&t, &e) < 0 || rollup_read_days(out, dayroot, &p, add_day_sums, &t, &days, &e) < 0)
		goto done;
	int npresent = days.npresent, nmissing = days.nmissing;
	job_result_set_int("days_present", npresent);
	job_result_set_int("days_missing", nmissing);
	if (nmissing && require_complete) {
		job_err_set(&e, "%d of the %d days have no day rollup (--require-complete)%s", nmissing, p.ndays,
			    buf_str(&days.missing));
		goto done;
	}
	rollup_coverage(&cov, pname, p.ndays, &days);
	render(&t, &csv, &sums);
	int64_t records = 0;
	for (size_t i = 0; i < t.n; i++)
		records += t.cars[i].records;
	job_result_set_int("records", records);
	job_result_set_int("cars", (int64_t)t.n);
	rollup_file files[] = { { "part-00000.csv", &csv }, { "_SUMS", &sums }, { "_COVERAGE", &cov } };
	if (rollup_publish(out, parent, pname, files, 3, &e) < 0)
		goto done;
	if (nmissing)
		job_warn("days missing from the period", "period=%s present=%d missing=%d", pname, npresent, nmissing);
	job_info("period rolled up", "period=%s days_present=%d days_missing=%d cars=%zu", pname, npresent, nmissing,
		 t.n);
	rc = JOB_EXIT_OK;
done:
	if (rc != JOB_EXIT_OK)
		job_error("failed", "error=%s", e.msg);
	job_result_print();
	buf_free(&csv);
	buf_free(&sums);
	buf_free(&cov);
	rollup_days_free(&days);
	agg_table_free(&t);
	free(dayroot);
	free(parent);
	storage_free(out);
	return rc;
}

int main(int argc, char **argv)
{
	job_init("rollup", argc, argv);
	struct rollup_opts o;
	job_err e;
	int orc = rollup_opts_parse(argc, argv, &o, &e);
	if (orc == OPTS_HELP) {
		rollup_opts_help(stdout, o.name);
		return JOB_EXIT_OK;
	}
	if (o.name)
		job_result_set_str("command", o.name);
	if (orc != OPTS_OK)
		return usage_error(&e);
	switch (o.sub) {
	case ROLLUP_STATUS_DAY: return status_day(&o);
	case ROLLUP_STATUS_WEEK: return status_period(PK_WEEK, &o);
	case ROLLUP_STATUS_MONTH: return status_period(PK_MONTH, &o);
	case ROLLUP_STATUS_YEAR: return status_period(PK_YEAR, &o);
	case ROLLUP_DRIVE_DAY: return rollup_drive_day(&o);
	case ROLLUP_DRIVE_WEEK: return rollup_drive_period(0, &o);
	case ROLLUP_DRIVE_MONTH: return rollup_drive_period(1, &o);
	}
	return JOB_EXIT_USAGE;
}
