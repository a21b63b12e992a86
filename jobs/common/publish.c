/* publish.c: publishing a partition directory F = PARENT/NAME (publish.h).
 *
 * Names, for a run R: the build B = PARENT/_tmp_NAME.R and the parked old
 * partition O = PARENT/_old_NAME.R. Readers (Hive, the week and month
 * rollups) skip names that start with '_' and trust a partition only when it
 * holds _SUCCESS.
 *
 * States of one run, and the transition (one function each) that leaves it:
 *   building  B exists, no B/_SUCCESS         publish_seal  -> sealed
 *   sealed    B/_SUCCESS exists                publish_park  -> parked
 *   parked    O exists, F does not             publish_swap  -> swapped
 *             (skipped when there was no F: sealed -> swapped directly)
 *   swapped   F is the new partition, O left   publish_drop  -> done
 *   done      F only
 *
 * Invariants:
 *  1. F, whenever it exists, is a complete partition with _SUCCESS: the old
 *     one up to the swap, the new one after; each rename is atomic (local
 *     rename(2), WebHDFS RENAME) and never replaces a target (storage.h).
 *  2. _SUCCESS is written into B before B can become F (seal before swap), so
 *     "B holds _SUCCESS" means "B is complete": that is what recovery reads.
 *  3. O exists only between park and drop. A run killed there left F either
 *     missing (parked) or new (swapped); nothing else can have moved it.
 *
 * Recovery (publish_recover, before anything else), for every O = _old_NAME.R:
 *   F exists                       -> swapped: drop O                 (drop)
 *   F missing, B/_SUCCESS exists   -> parked, complete build: B -> F  (roll_forward), drop O
 *   F missing, B incomplete/absent -> parked too early: O -> F        (roll_back)
 * then every _tmp_NAME.* left is a build that was never swapped in (killed
 * while building or sealed) and is deleted (discard). A run killed during
 * recovery leaves one of the same states, so recovery is itself rerunnable.
 * After recovery F is the last partition that was complete, or none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jobs/common/publish.h"
#include "lib/path.h"
#include "lib/buf.h"
#include "lib/xalloc.h"

static char *join(const char *a, const char *b)
{
	char *p = storage_join(a, b);
	if (!p)
		xalloc_die(strlen(a) + strlen(b) + 2);
	return p;
}

/* PARENT/<pfx>NAME.<run> */
static char *run_path(const char *parent, const char *pfx, const char *name, const char *run)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s%s.%s", pfx, name, run);
	char *p = join(parent, buf_str(&b));
	buf_free(&b);
	return p;
}

static int exists(storage *st, const char *path, int *yes, job_err *e)
{
	storage_stat s;
	if (storage_stat_path(st, path, &s, e) < 0)
		return -1;
	*yes = s.exists;
	return 0;
}

/* ---- recovery transitions ---- */

static int roll_forward(storage *st, const char *build, const char *final, job_err *e)
{
	if (storage_rename(st, build, final, e) < 0)
		return -1;
	job_info("completed an interrupted partition swap", "partition=%s", final);
	return 0;
}

static int roll_back(storage *st, const char *old, const char *final, job_err *e)
{
	if (storage_rename(st, old, final, e) < 0)
		return -1;
	job_info("undid an interrupted partition swap", "partition=%s", final);
	return 0;
}

static int discard(storage *st, const char *build, job_err *e)
{
	job_info("deleting an unfinished partition build", "dir=%s", build);
	return storage_delete(st, build, 1, e);
}

/* One parked partition O of run `run`. */
static int recover_parked(storage *st, const char *parent, const char *name, const char *run, const char *final,
			  job_err *e)
{
	char *old = run_path(parent, "_old_", name, run), *build = run_path(parent, "_tmp_", name, run);
	char *succ = join(build, "_SUCCESS");
	int have_final, sealed, rc = exists(st, final, &have_final, e);
	if (rc == 0 && !have_final) {
		rc = exists(st, succ, &sealed, e);
		if (rc == 0)
			rc = sealed ? roll_forward(st, build, final, e) : roll_back(st, old, final, e);
	}
	if (rc == 0)
		rc = storage_delete(st, old, 1, e);	/* drop; gone already after a roll_back */
	free(old);
	free(build);
	free(succ);
	return rc;
}

/* The run of a child named <pfx>NAME.<run>, or NULL. */
static const char *run_of(const char *child, const char *pfx, const char *name)
{
	size_t pl = strlen(pfx), nl = strlen(name);
	if (strncmp(child, pfx, pl) != 0 || strncmp(child + pl, name, nl) != 0 || child[pl + nl] != '.' ||
	    !child[pl + nl + 1])
		return NULL;
	return child + pl + nl + 1;
}

/* NAME and RUN become one path component each under PARENT. */
static int check_name(const char *what, const char *name, job_err *e)
{
	const char *why = path_name_problem(name);
	if (why)
		job_err_set(e, "publish: %s '%.64s' %s", what, name, why);
	return why ? -1 : 0;
}

int publish_recover(storage *st, const char *parent, const char *name, job_err *e)
{
	if (check_name("partition name", name, e) < 0)
		return -1;
	char *final = join(parent, name);
	storage_entry *l = NULL;
	size_t n = 0;
	/* one listing serves both passes: a build rolled forward in the first is
	 * gone by the second, and deleting a missing path is not an error */
	int rc = storage_mkdirs(st, parent, e);
	if (rc == 0)
		rc = storage_list(st, parent, &l, &n, e);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *run = run_of(l[i].name, "_old_", name);
		if (run)
			rc = recover_parked(st, parent, name, run, final, e);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!run_of(l[i].name, "_tmp_", name))
			continue;
		char *build = join(parent, l[i].name);
		storage_stat bs;
		rc = storage_stat_path(st, build, &bs, e);
		if (rc == 0 && bs.exists)
			rc = discard(st, build, e);
		free(build);
	}
	storage_list_free(l, n);
	free(final);
	return rc;
}

/* ---- a run ---- */

int publish_begin(publish *p, storage *st, const char *parent, const char *name, const char *run, job_err *e)
{
	char own[48];
	if (!run) {
		snprintf(own, sizeof own, "%ld-%ld", (long)getpid(), (long)time(NULL));
		run = own;
	}
	memset(p, 0, sizeof *p);
	if (check_name("partition name", name, e) < 0 || check_name("run id", run, e) < 0)
		return -1;
	p->st = st;
	p->final = join(parent, name);
	p->build = run_path(parent, "_tmp_", name, run);
	p->old = run_path(parent, "_old_", name, run);
	return storage_mkdirs(st, p->build, e);
}

const char *publish_build_dir(const publish *p) { return p->build; }

int publish_seal(publish *p, job_err *e)
{
	char *succ = join(p->build, "_SUCCESS");
	int rc = storage_write_file(p->st, succ, "", 0, 1, e);
	free(succ);
	return rc;
}

int publish_park(publish *p, job_err *e)
{
	int have;
	if (exists(p->st, p->final, &have, e) < 0)
		return -1;
	if (!have)
		return 0;
	if (storage_rename(p->st, p->final, p->old, e) < 0)
		return -1;
	p->parked = 1;
	return 0;
}

int publish_swap(publish *p, job_err *e)
{
	if (storage_rename(p->st, p->build, p->final, e) == 0)
		return 0;
	if (p->parked) {	/* put the old partition back; recovery would too */
		job_err ignore;
		if (storage_rename(p->st, p->old, p->final, &ignore) == 0)
			p->parked = 0;
	}
	return -1;
}

int publish_drop(publish *p, job_err *e)
{
	if (!p->parked)
		return 0;
	if (storage_delete(p->st, p->old, 1, e) < 0)
		return -1;
	p->parked = 0;
	return 0;
}

int publish_commit(publish *p, job_err *e)
{
	if (publish_seal(p, e) < 0 || publish_park(p, e) < 0 || publish_swap(p, e) < 0 || publish_drop(p, e) < 0)
		return -1;
	return 0;
}

void publish_abort(publish *p)
{
	job_err ignore;
	if (p->build && !p->parked)
		storage_delete(p->st, p->build, 1, &ignore);
}

void publish_free(publish *p)
{
	free(p->final);
	free(p->build);
	free(p->old);
	memset(p, 0, sizeof *p);
}
