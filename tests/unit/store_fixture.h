/* store_fixture.h: the cmocka fixture of the unit tests that need a state
 * file: a fresh one per test (STORE_CREATE) at /tmp/<STORE_FIXTURE_NAME>.<pid>.db,
 * removed with its -wal and -shm after; q1() reads one number with SQL.
 * Define STORE_FIXTURE_NAME before including it. Header-only: each test is
 * one program. */
#ifndef TEST_STORE_FIXTURE_H
#define TEST_STORE_FIXTURE_H

#include <stdio.h>
#include <unistd.h>

#include "scheduler/store.h"

static char path[64];

static int setup(void **state)
{
	snprintf(path, sizeof path, "/tmp/%s.%d.db", STORE_FIXTURE_NAME, (int)getpid());
	unlink(path);
	char err[256];
	struct store *s = store_open(path, STORE_CREATE, err, sizeof err);
	assert_non_null(s);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	char p[96];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	return 0;
}

static long long q1(struct store *s, const char *sql)
{
	sqlite3_stmt *st = store_prepare(s, sql);
	assert_non_null(st);
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return v;
}

#endif
