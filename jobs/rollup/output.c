/* output.c: what every rollup subcommand does with its output (rollup.h):
 * publish a partition, read the day rollups of a period, write _COVERAGE. */
#include <stdio.h>
#include <stdlib.h>

#include "jobs/common/publish.h"
#include "jobs/rollup/rollup.h"

int rollup_publish(storage *s, const char *parent, const char *name, const rollup_file *files, size_t nfiles,
		   job_err *e)
{
	publish p;
	if (publish_recover(s, parent, name, e) < 0)
		return -1;
	if (publish_begin(&p, s, parent, name, NULL, e) < 0) {
		publish_free(&p);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < nfiles; i++) {
		char *path = storage_join(publish_build_dir(&p), files[i].name);
		rc = path ? storage_write_file(s, path, buf_str(files[i].data), files[i].data->len, 1, e) : -1;
		if (!path)
			job_err_set(e, "out of memory");
		free(path);
	}
	if (rc == 0)
		rc = publish_commit(&p, e);
	if (rc < 0)
		publish_abort(&p);
	publish_free(&p);
	return rc;
}

int rollup_read_days(storage *s, const char *dayroot, const period *p, rollup_sums_fn add_sums, void *acc,
		     rollup_days *d, job_err *e)
{
	int r = 0;
	for (int i = 0; r == 0 && i < p->ndays; i++) {
		char date[9], dname[32];
		period_format_date(p->first + i, date);
		snprintf(dname, sizeof dname, "wrk_date=%s", date);
		char *ddir = storage_join(dayroot, dname);
		char *dsucc = ddir ? storage_join(ddir, "_SUCCESS") : NULL, *dsums = ddir ? storage_join(ddir, "_SUMS") : NULL;
		storage_stat st;
		if (!dsucc || !dsums) {
			job_err_set(e, "out of memory");
			r = -1;
		} else {
			r = storage_stat_path(s, dsucc, &st, e);
		}
		if (r == 0 && st.exists) {
			char *text = NULL;
			size_t len = 0;
			r = storage_read_all(s, dsums, &text, &len, e);
			if (r == 0)
				r = add_sums(text, len, dsums, acc, e);
			free(text);
			if (r == 0) {
				d->npresent++;
				buf_printf(&d->present, "\t%s", date);
			}
		} else if (r == 0) {
			d->nmissing++;
			buf_printf(&d->missing, "\t%s", date);
		}
		free(ddir);
		free(dsucc);
		free(dsums);
	}
	return r;
}

void rollup_days_free(rollup_days *d)
{
	buf_free(&d->present);
	buf_free(&d->missing);
}

void rollup_coverage(struct buf *cov, const char *pname, int ndays, const rollup_days *d)
{
	buf_printf(cov, "rollup-coverage 1\nperiod\t%s\ndays\t%d\npresent%s\nmissing%s\n", pname, ndays,
		   buf_str(&d->present), buf_str(&d->missing));
}
