/* publish.h: the one way a job publishes a whole partition directory
 * PARENT/NAME on a storage (local or WebHDFS): spool-loader --replace and
 * every rollup output. The new partition is built aside, sealed, and swapped
 * in with two renames; a run that finds the traces of a killed one completes
 * or undoes that swap before anything else. The states, the transitions and
 * why a reader never sees a half partition are written at the top of
 * publish.c.
 *
 * Use:
 *   publish_recover(st, parent, name, &e);        always first
 *   publish_begin(&p, st, parent, name, run, &e); creates the build directory
 *   ... write files under publish_build_dir(&p) ...
 *   publish_commit(&p, &e);                       seal, park, swap, drop
 *   publish_free(&p);                             (after publish_abort when giving up)
 * One writer per partition at a time: two runs publishing the same partition
 * at once take each other's build for a killed run's leftovers. */
#ifndef JOBS_PUBLISH_H
#define JOBS_PUBLISH_H

#include "jobs/common/job.h"
#include "jobs/common/storage.h"

typedef struct publish {
	storage *st;
	char *final;		/* PARENT/NAME */
	char *build;		/* PARENT/_tmp_NAME.RUN: the new partition, being built */
	char *old;		/* PARENT/_old_NAME.RUN: the replaced partition, parked */
	int parked;		/* final was moved to old by this run */
} publish;

/* Completes or undoes every interrupted swap of PARENT/NAME and deletes the
 * builds that were never swapped in. Nothing to do is not an error; a
 * missing PARENT is created. */
int publish_recover(storage *st, const char *parent, const char *name, job_err *e);

/* Creates the build directory PARENT/_tmp_NAME.RUN (RUN NULL: "<pid>-<time>").
 * Call publish_recover before. */
int publish_begin(publish *p, storage *st, const char *parent, const char *name, const char *run, job_err *e);
const char *publish_build_dir(const publish *p);

/* The transitions, in order (publish_commit runs them all). */
int publish_seal(publish *p, job_err *e);	/* _SUCCESS into the build */
int publish_park(publish *p, job_err *e);	/* final -> old, when final exists */
int publish_swap(publish *p, job_err *e);	/* build -> final */
int publish_drop(publish *p, job_err *e);	/* deletes old */
/* seal, park, swap, drop. A failed swap puts the parked partition back. */
int publish_commit(publish *p, job_err *e);

/* Gives up before the park: deletes the build. Errors are ignored (the next
 * run's publish_recover deletes what is left). */
void publish_abort(publish *p);
void publish_free(publish *p);

#endif
