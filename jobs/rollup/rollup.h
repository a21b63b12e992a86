/* rollup.h: what the subcommands of the rollup program share (output.c, in
 * the rollupagg library, so the arrows go from the commands down to it and
 * never back into the file with main): publishing an output partition,
 * reading the day rollups of a period, and the _COVERAGE text. */
#ifndef ROLLUP_ROLLUP_H
#define ROLLUP_ROLLUP_H

#include <stddef.h>

#include "jobs/common/job.h"
#include "jobs/common/storage.h"
#include "jobs/rollup/period.h"
#include "lib/buf.h"

typedef struct rollup_file {
	const char *name;
	const struct buf *data;
} rollup_file;

/* Publishes PARENT/NAME holding files, through jobs/common/publish.h: an
 * interrupted earlier publish is completed or undone first, the files are
 * written into the build directory, which is sealed (_SUCCESS) and swapped
 * in. */
int rollup_publish(storage *s, const char *parent, const char *name, const rollup_file *files, size_t nfiles,
		   job_err *e);

/* The day rollups of a period: for each day D of p whose DAYROOT/wrk_date=D
 * is complete (_SUCCESS), add_sums gets the text of its _SUMS (path names it
 * in errors) and acc; present and missing collect "\tYYYYMMDD" items. One loop
 * for the status and the drive periods. */
typedef int (*rollup_sums_fn)(const char *text, size_t len, const char *path, void *acc, job_err *e);
typedef struct rollup_days {
	int npresent, nmissing;
	struct buf present, missing;
} rollup_days;
int rollup_read_days(storage *s, const char *dayroot, const period *p, rollup_sums_fn add_sums, void *acc,
		     rollup_days *d, job_err *e);
void rollup_days_free(rollup_days *d);

/* _COVERAGE text of period pname into cov. */
void rollup_coverage(struct buf *cov, const char *pname, int ndays, const rollup_days *d);

/* drive-day and drive-week (0) / drive-month (1) (drive_cmd.c), with the
 * checked options (rollup_opts.h). Return an exit code. */
struct rollup_opts;
int rollup_drive_day(const struct rollup_opts *o);
int rollup_drive_period(int month, const struct rollup_opts *o);

#endif
