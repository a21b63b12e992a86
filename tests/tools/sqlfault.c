/* sqlfault.c: an LD_PRELOAD shim for tests that fails one sqlite3_step of a
 * process, so a test can attack every statement of the daemon's passes
 * without the daemon knowing it is under test (no hook in product code).
 * Built by the test that uses it (tests/integration/scheduler_faults.sh):
 *   cc -shared -fPIC -o sqlfault.so tests/tools/sqlfault.c -ldl
 *
 *   SQLFAULT_ARM=path   counting starts once this file exists
 *   SQLFAULT_N=n        the n-th sqlite3_step after that (main thread only,
 *                       not the checkpoint thread) returns SQLFAULT_RC
 *                       without running the statement (the transaction is
 *                       left open, as SQLite leaves it after an I/O error)
 *   SQLFAULT_RC=rc      default 10 (SQLITE_IOERR); 13 is SQLITE_FULL
 *   SQLFAULT_LOG=path   the failed statement's SQL is appended there
 * Processes that never call sqlite3_step (the launcher, the tasks) are not
 * affected. Why a shim rather than PRAGMA max_page_count or a VFS: it reaches
 * every step, reads and COMMIT included, one at a time, with a deterministic
 * count; the real full disk is tested with a tmpfs (scheduler_diskfull.sh). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef struct sqlite3_stmt sqlite3_stmt;
typedef int (*step_fn)(sqlite3_stmt *);
extern const char *sqlite3_sql(sqlite3_stmt *);

static long counted;
static int fired;

int sqlite3_step(sqlite3_stmt *st)
{
	static step_fn real;
	if (!real)
		real = (step_fn)dlsym(RTLD_NEXT, "sqlite3_step");
	const char *arm = getenv("SQLFAULT_ARM"), *n = getenv("SQLFAULT_N");
	if (!fired && arm && n && syscall(SYS_gettid) == getpid() && access(arm, F_OK) == 0 &&
	    ++counted == atol(n)) {
		fired = 1;
		const char *log = getenv("SQLFAULT_LOG"), *rc = getenv("SQLFAULT_RC");
		if (log) {
			FILE *f = fopen(log, "a");
			if (f) {
				const char *sql = sqlite3_sql(st);
				fprintf(f, "%ld %s\n", counted, sql ? sql : "?");
				fclose(f);
			}
		}
		return rc ? atoi(rc) : 10;
	}
	return real(st);
}
