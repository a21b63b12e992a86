/* rollup.h: what the subcommands of the rollup program share: the
 * "write a partition under a temporary name and swap it in" step and a
 * growable text buffer. */
#ifndef ROLLUP_ROLLUP_H
#define ROLLUP_ROLLUP_H

#include <stddef.h>

#include "jobs/common/job.h"
#include "jobs/common/storage.h"

typedef struct rollup_buf {
	char *p;
	size_t n, cap;
} rollup_buf;
int rollup_buf_add(rollup_buf *b, const char *s, size_t n);
void rollup_buf_free(rollup_buf *b);

typedef struct rollup_file {
	const char *name;
	const rollup_buf *data;
} rollup_file;

/* Publishes PARENT/NAME holding files: built in PARENT/_tmp_NAME.<pid>, the
 * old partition parked as PARENT/_old_NAME.<pid>, the new one renamed in, the
 * old one deleted, and _SUCCESS written last. Leftovers of killed runs are
 * removed first. */
int rollup_publish(storage *s, const char *parent, const char *name, const rollup_file *files, size_t nfiles,
		   job_err *e);

/* _COVERAGE text: present and missing hold "\tYYYYMMDD" items. */
int rollup_coverage(rollup_buf *cov, const char *pname, int ndays, const rollup_buf *present,
		    const rollup_buf *missing);

/* drive-day and drive-week (0) / drive-month (1) (drive_cmd.c), with the
 * checked options (rollup_opts.h). Return an exit code. */
struct rollup_opts;
int rollup_drive_day(const struct rollup_opts *o);
int rollup_drive_period(int month, const struct rollup_opts *o);

#endif
