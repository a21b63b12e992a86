/* sqlite_fault.c: an LD_PRELOAD shim that makes one SQLite call of a program
 * fail, for the fault-injection tests (tests/integration/scheduler_faults.sh).
 * The program under test is unchanged and does not know: the shim interposes
 * sqlite3_step and sqlite3_exec, the two calls through which the daemon does
 * all its work, and forwards them to the real library except for the ones it
 * was told to fail.
 *
 * Environment:
 *   SQLFAULT_AT=N      fail the Nth call (counted over sqlite3_step and
 *                      sqlite3_exec together, from 1); 0 or unset fails none
 *   SQLFAULT_COUNT=K   fail K calls from the Nth on (default 1), as a disk that
 *                      stays full for a while
 *   SQLFAULT_CODE=C    the result code to return (default SQLITE_IOERR, 10;
 *                      SQLITE_FULL is 13)
 *   SQLFAULT_LOG=FILE  appends "fail <n>: <sql>" for each failed call, and
 *                      "calls=<total> failed=<n>" at exit, so a test can
 *                      learn how many calls a clean run makes
 *
 * A failed call does not reach SQLite at all, so the statement stays as it
 * was: this is the fault as the caller sees it (SQLite's own recovery from a
 * real I/O error is SQLite's business and tested by SQLite). Calls of other
 * threads than the main one pass through uncounted. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <sqlite3.h>

static long fault_at, fault_count = 1, calls, failed;
static _Thread_local int in_exec;	/* sqlite3_exec's own steps are part of the exec call */
static int fault_code = SQLITE_IOERR;
static int (*real_step)(sqlite3_stmt *);
static int (*real_exec)(sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *, char **);

__attribute__((constructor)) static void fault_init(void)
{
	const char *v;
	if ((v = getenv("SQLFAULT_AT")))
		fault_at = atol(v);
	if ((v = getenv("SQLFAULT_COUNT")))
		fault_count = atol(v);
	if ((v = getenv("SQLFAULT_CODE")))
		fault_code = atoi(v);
	real_step = (int (*)(sqlite3_stmt *))dlsym(RTLD_NEXT, "sqlite3_step");
	real_exec = (int (*)(sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *,
			     char **))dlsym(RTLD_NEXT, "sqlite3_exec");
}

__attribute__((destructor)) static void fault_report(void)
{
	const char *path = getenv("SQLFAULT_LOG");
	FILE *f = path ? fopen(path, "a") : NULL;
	if (f) {
		fprintf(f, "calls=%ld failed=%ld\n", calls, failed);
		fclose(f);
	}
}

/* Whether this call is one of the failed ones (its SQL logged if so). Only
 * the main thread's calls count: the daemon's checkpoint thread has its own
 * connection, and its timing would make the count differ from run to run. */
static int fault_now(const char *sql)
{
	if (syscall(SYS_gettid) != getpid())
		return 0;
	long n = ++calls;
	if (fault_at > 0 && n >= fault_at && n < fault_at + fault_count) {
		failed++;
		const char *path = getenv("SQLFAULT_LOG");
		FILE *f = path ? fopen(path, "a") : NULL;
		if (f) {
			fprintf(f, "fail %ld: %.200s\n", n, sql ? sql : "?");
			fclose(f);
		}
		return 1;
	}
	return 0;
}

int sqlite3_step(sqlite3_stmt *st)
{
	/* The steps sqlite3_exec makes reach us too (through the library's PLT),
	 * but a step failed here would be swallowed: exec finalizes the statement,
	 * which never ran and so reports no error. The exec call is the unit. */
	if (!in_exec && fault_now(sqlite3_sql(st)))
		return fault_code;
	return real_step(st);
}

int sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg, char **errmsg)
{
	if (fault_now(sql)) {
		if (errmsg)
			*errmsg = sqlite3_mprintf("%s", "injected fault (sqlite_fault.so)");
		return fault_code;
	}
	in_exec++;
	int rc = real_exec(db, sql, cb, arg, errmsg);
	in_exec--;
	return rc;
}
