/* test_rowstore.c: the row store's sqlite backend through the public interface:
 * create, put, get (newest version), scans by range / regex / value / columns,
 * count, deletes, idempotent re-puts, the errors users see, read-only handles
 * and foreign SQLite files (refused, left as they were). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobs/common/rowstore.h"

#include <sqlite3.h>

struct fx {
	char dir[64];
	char uri[128];
	struct rowstore *rs;
};

/* collects "row|fam:qual=value@ts;..." lines */
struct seen {
	char text[8192];
	int rows;
	int stop_after;
};

static int collect(const struct rowstore_row *row, void *ctx)
{
	struct seen *s = ctx;
	size_t n = strlen(s->text);
	n += (size_t)snprintf(s->text + n, sizeof s->text - n, "%s|", row->key);
	for (size_t i = 0; i < row->ncells; i++)
		n += (size_t)snprintf(s->text + n, sizeof s->text - n, "%s:%s=%s;", row->cells[i].family,
				      row->cells[i].qualifier, row->cells[i].value);
	snprintf(s->text + n, sizeof s->text - n, "\n");
	s->rows++;
	return s->stop_after && s->rows >= s->stop_after;
}

static const char *fams[] = {"cf1", "cf2"};

static void put_record(struct rowstore *rs, const char *row, int64_t ts, const char *area,
		       const char *speed)
{
	struct rowstore_batch *b = rowstore_batch_new();
	struct rowstore_err err;
	assert_int_equal(rowstore_batch_add(b, row, "cf1", "area_number", ts, area, &err), 0);
	assert_int_equal(rowstore_batch_add(b, row, "cf1", "speed", ts, speed, &err), 0);
	assert_int_equal(rowstore_put(rs, "DriverCarInfo", b, &err), ROWSTORE_OK);
	rowstore_batch_free(b);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/test_rowstore.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->uri, sizeof f->uri, "sqlite:%s/rows.db?sync=off", f->dir);
	struct rowstore_err err;
	f->rs = rowstore_open(f->uri, NULL, &err);
	assert_non_null(f->rs);
	assert_int_equal(rowstore_create_table(f->rs, "DriverCarInfo", fams, 2, 0, &err), 0);
	put_record(f->rs, "00001030106102-Z0020", 1000, "F06", "80");
	put_record(f->rs, "00001030106102-Z0021", 1000, "A01", "120");
	put_record(f->rs, "10001030106102-A0001", 1000, "F06", "30");
	put_record(f->rs, "20001030106102-B0002", 1000, "B03", "55");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	rowstore_close(f->rs);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "%s/rows.db", f->dir);
	unlink(cmd);
	snprintf(cmd, sizeof cmd, "%s/rows.db-wal", f->dir);
	unlink(cmd);
	snprintf(cmd, sizeof cmd, "%s/rows.db-shm", f->dir);
	unlink(cmd);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void test_get_newest_version(void **state)
{
	struct fx *f = *state;
	struct rowstore_err err;
	put_record(f->rs, "00001030106102-Z0020", 2000, "F07", "81");
	put_record(f->rs, "00001030106102-Z0020", 1500, "F99", "99");	/* older: hidden */
	struct seen s = {0};
	assert_int_equal(rowstore_get(f->rs, NULL, "00001030106102-Z0020", NULL, 0, collect, &s, &err),
			 ROWSTORE_EUSAGE);	/* no default table */
	assert_non_null(strstr(err.msg, "no table"));
	assert_int_equal(rowstore_get(f->rs, "DriverCarInfo", "00001030106102-Z0020", NULL, 0, collect,
				      &s, &err), 0);
	assert_string_equal(s.text, "00001030106102-Z0020|cf1:area_number=F07;cf1:speed=81;\n");
	memset(&s, 0, sizeof s);
	assert_int_equal(rowstore_get(f->rs, "DriverCarInfo", "nope", NULL, 0, collect, &s, &err), 0);
	assert_int_equal(s.rows, 0);
	const char *cols[] = {"cf1:speed"};
	assert_int_equal(rowstore_get(f->rs, "DriverCarInfo", "00001030106102-Z0021", cols, 1, collect,
				      &s, &err), 0);
	assert_string_equal(s.text, "00001030106102-Z0021|cf1:speed=120;\n");
}

static void test_scan_ranges(void **state)
{
	struct fx *f = *state;
	struct rowstore_err err;
	struct seen s = {0};
	struct rowstore_scan_opts o = {.start_row = "00001030106102-Z0020", .limit = 2};
	assert_int_equal(rowstore_scan(f->rs, "DriverCarInfo", &o, collect, &s, &err), 0);
	assert_int_equal(s.rows, 2);
	assert_string_equal(s.text, "00001030106102-Z0020|cf1:area_number=F06;cf1:speed=80;\n"
				    "00001030106102-Z0021|cf1:area_number=A01;cf1:speed=120;\n");
	memset(&s, 0, sizeof s);
	struct rowstore_scan_opts o2 = {.start_row = "00001030106102-Z0021",
					.stop_row = "20001030106102-B0002"};
	assert_int_equal(rowstore_scan(f->rs, "DriverCarInfo", &o2, collect, &s, &err), 0);
	assert_int_equal(s.rows, 2);	/* stop row is exclusive */
	assert_non_null(strstr(s.text, "10001030106102-A0001"));
	assert_null(strstr(s.text, "B0002"));
	memset(&s, 0, sizeof s);
	s.stop_after = 1;	/* the callback can stop a scan */
	assert_int_equal(rowstore_scan(f->rs, "DriverCarInfo", NULL, collect, &s, &err), 0);
	assert_int_equal(s.rows, 1);
}

static void test_scan_filters(void **state)
{
	struct fx *f = *state;
	struct rowstore_err err;
	struct seen s = {0};
	struct rowstore_where w = {"cf1:area_number", ROWSTORE_WHERE_EQ, "F06"};
	struct rowstore_scan_opts o = {.row_regex = "^\\d{14}-[A-Z]00[0-9]+$", .where = &w, .nwhere = 1};
	assert_int_equal(rowstore_scan(f->rs, "DriverCarInfo", &o, collect, &s, &err), 0);
	assert_string_equal(s.text, "00001030106102-Z0020|cf1:area_number=F06;cf1:speed=80;\n"
				    "10001030106102-A0001|cf1:area_number=F06;cf1:speed=30;\n");
	memset(&s, 0, sizeof s);
	o.row_regex = "Z00";
	assert_int_equal(rowstore_scan(f->rs, "DriverCarInfo", &o, collect, &s, &err), 0);
	assert_int_equal(s.rows, 1);
	/* value regex and a column subset that leaves out the where column */
	memset(&s, 0, sizeof s);
	struct rowstore_where wr = {"cf1:speed", ROWSTORE_WHERE_REGEX, "^[0-9]{3}$"};
	const char *cols[] = {"cf1:area_number"};
	struct rowstore_scan_opts o3 = {.where = &wr, .nwhere = 1, .columns = cols, .ncolumns = 1};
	assert_int_equal(rowstore_scan(f->rs, "DriverCarInfo", &o3, collect, &s, &err), 0);
	assert_string_equal(s.text, "00001030106102-Z0021|cf1:area_number=A01;\n");
	/* a where on a column no row has leaves nothing */
	memset(&s, 0, sizeof s);
	struct rowstore_where wm = {"cf2:x", ROWSTORE_WHERE_EQ, ""};
	struct rowstore_scan_opts o4 = {.where = &wm, .nwhere = 1};
	assert_int_equal(rowstore_scan(f->rs, "DriverCarInfo", &o4, collect, &s, &err), 0);
	assert_int_equal(s.rows, 0);
	/* bad regexes are usage errors with the pattern in the message */
	struct rowstore_scan_opts bad = {.row_regex = "(["};
	assert_int_equal(rowstore_scan(f->rs, "DriverCarInfo", &bad, collect, &s, &err), ROWSTORE_EUSAGE);
	assert_non_null(strstr(err.msg, "(["));
	struct rowstore_where wb = {"cf1:speed", ROWSTORE_WHERE_REGEX, "a{"};
	struct rowstore_scan_opts bad2 = {.where = &wb, .nwhere = 1};
	assert_int_equal(rowstore_scan(f->rs, "DriverCarInfo", &bad2, collect, &s, &err), ROWSTORE_EUSAGE);
	struct rowstore_where wq = {"cf1", ROWSTORE_WHERE_EQ, "x"};
	struct rowstore_scan_opts bad3 = {.where = &wq, .nwhere = 1};
	assert_int_equal(rowstore_scan(f->rs, "DriverCarInfo", &bad3, collect, &s, &err), ROWSTORE_EUSAGE);
}

static void test_count(void **state)
{
	struct fx *f = *state;
	struct rowstore_err err;
	uint64_t n = 99;
	assert_int_equal(rowstore_count(f->rs, "DriverCarInfo", NULL, &n, &err), 0);
	assert_int_equal(n, 4);
	struct rowstore_scan_opts o = {.start_row = "1"};
	assert_int_equal(rowstore_count(f->rs, "DriverCarInfo", &o, &n, &err), 0);
	assert_int_equal(n, 2);
	o.limit = 1;
	assert_int_equal(rowstore_count(f->rs, "DriverCarInfo", &o, &n, &err), 0);
	assert_int_equal(n, 1);
	struct rowstore_where w = {"cf1:area_number", ROWSTORE_WHERE_EQ, "F06"};
	struct rowstore_scan_opts o2 = {.where = &w, .nwhere = 1};
	assert_int_equal(rowstore_count(f->rs, "DriverCarInfo", &o2, &n, &err), 0);
	assert_int_equal(n, 2);
}

static void test_delete(void **state)
{
	struct fx *f = *state;
	struct rowstore_err err;
	struct seen s = {0};
	assert_int_equal(rowstore_delete(f->rs, "DriverCarInfo", "00001030106102-Z0021", "cf1:speed", &err), 0);
	assert_int_equal(rowstore_get(f->rs, "DriverCarInfo", "00001030106102-Z0021", NULL, 0, collect, &s, &err), 0);
	assert_string_equal(s.text, "00001030106102-Z0021|cf1:area_number=A01;\n");
	assert_int_equal(rowstore_delete(f->rs, "DriverCarInfo", "00001030106102-Z0021", NULL, &err), 0);
	uint64_t n;
	assert_int_equal(rowstore_count(f->rs, "DriverCarInfo", NULL, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(rowstore_delete(f->rs, "DriverCarInfo", "10001030106102-A0001", "cf1", &err), 0);
	assert_int_equal(rowstore_count(f->rs, "DriverCarInfo", NULL, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rowstore_delete(f->rs, "DriverCarInfo", "not-there", NULL, &err), 0);
	assert_int_equal(rowstore_delete(f->rs, "NoSuch", "x", NULL, &err), ROWSTORE_ENOTFOUND);
	assert_non_null(strstr(err.msg, "NoSuch"));
}

static void test_idempotent_reput(void **state)
{
	struct fx *f = *state;
	struct rowstore_err err;
	for (int i = 0; i < 3; i++)
		put_record(f->rs, "30001030106102-C0003", 5000, "C04", "70");
	uint64_t n;
	assert_int_equal(rowstore_count(f->rs, "DriverCarInfo", NULL, &n, &err), 0);
	assert_int_equal(n, 5);
	/* one cell per version on disk: a replay adds none */
	struct seen s = {0};
	assert_int_equal(rowstore_get(f->rs, "DriverCarInfo", "30001030106102-C0003", NULL, 0, collect, &s, &err), 0);
	assert_string_equal(s.text, "30001030106102-C0003|cf1:area_number=C04;cf1:speed=70;\n");
	/* a reopened store sees the same */
	rowstore_close(f->rs);
	f->rs = rowstore_open(f->uri, NULL, &err);
	assert_non_null(f->rs);
	memset(&s, 0, sizeof s);
	assert_int_equal(rowstore_get(f->rs, "DriverCarInfo", "30001030106102-C0003", NULL, 0, collect, &s, &err), 0);
	assert_string_equal(s.text, "30001030106102-C0003|cf1:area_number=C04;cf1:speed=70;\n");
}

static void test_errors(void **state)
{
	struct fx *f = *state;
	struct rowstore_err err;
	assert_null(rowstore_open("mysql://x", NULL, &err));
	assert_int_equal(err.code, ROWSTORE_EUSAGE);
	assert_non_null(strstr(err.msg, "mysql://x"));
	assert_null(rowstore_open("sqlite:", NULL, &err));
	assert_null(rowstore_open("sqlite:/tmp/x.db?bogus=1", NULL, &err));
	assert_non_null(strstr(err.msg, "bogus"));
	assert_null(rowstore_open("sqlite:/tmp/x.db?table=bad/name", NULL, &err));
	/* a password in a row store URI is refused and never echoed */
	assert_null(rowstore_open("hbase://u:Hunter2pw@rest:8080/t", NULL, &err));
	assert_int_equal(err.code, ROWSTORE_EUSAGE);
	assert_non_null(strstr(err.msg, "hbase://u:***@rest:8080/t"));
	assert_null(strstr(err.msg, "Hunter2pw"));
	assert_null(rowstore_open("redis://:Hunter2pw@h", NULL, &err));
	assert_null(strstr(err.msg, "Hunter2pw"));
	assert_null(rowstore_open("sqlite:/tmp/x.db?password=Hunter2pw", NULL, &err));
	assert_null(strstr(err.msg, "Hunter2pw"));
	/* a directory that does not exist is a configuration error (kafka2hbase
	 * exits 2 at start), not a storage outage worth retrying forever */
	assert_null(rowstore_open("sqlite:/nonexistent-dir/x/y.db", NULL, &err));
	assert_int_equal(err.code, ROWSTORE_EUSAGE);
	assert_non_null(strstr(err.msg, "/nonexistent-dir/x/y.db"));
	assert_non_null(strstr(err.msg, "No such file or directory"));
	assert_null(rowstore_open("sqlite:/tmp", NULL, &err));
	assert_int_equal(err.code, ROWSTORE_EUSAGE);
	assert_int_equal(rowstore_create_table(f->rs, "DriverCarInfo", fams, 2, 0, &err), ROWSTORE_EEXISTS);
	assert_int_equal(rowstore_create_table(f->rs, "DriverCarInfo", fams, 2, 1, &err), ROWSTORE_OK);
	assert_int_equal(rowstore_create_table(f->rs, "T", fams, 0, 0, &err), ROWSTORE_EUSAGE);
	struct rowstore_batch *b = rowstore_batch_new();
	assert_int_equal(rowstore_batch_add(b, "", "cf1", "q", 1, "v", &err), ROWSTORE_EUSAGE);
	assert_int_equal(rowstore_batch_add(b, "r1", "cf1", "q", 1, "v", &err), 0);
	assert_int_equal(rowstore_batch_add(b, "r1", "nofam", "q", 1, "v", &err), 0);
	assert_int_equal(rowstore_put(f->rs, "DriverCarInfo", b, &err), ROWSTORE_ENOTFOUND);
	assert_non_null(strstr(err.msg, "nofam"));
	uint64_t n;
	assert_int_equal(rowstore_count(f->rs, "DriverCarInfo", NULL, &n, &err), 0);
	assert_int_equal(n, 4);	/* the bad batch wrote nothing */
	assert_int_equal(rowstore_put(f->rs, "Missing", b, &err), ROWSTORE_ENOTFOUND);
	assert_int_equal(rowstore_scan(f->rs, "Missing", NULL, collect, NULL, &err), ROWSTORE_ENOTFOUND);
	rowstore_batch_free(b);
	assert_true(rowstore_retryable(ROWSTORE_EIO));
	assert_false(rowstore_retryable(ROWSTORE_EUSAGE));
}

static void test_default_table_and_binary(void **state)
{
	struct fx *f = *state;
	struct rowstore_err err;
	char uri[200];
	snprintf(uri, sizeof uri, "sqlite:%s/rows.db?table=DriverCarInfo", f->dir);
	struct rowstore *rs = rowstore_open(uri, NULL, &err);
	assert_non_null(rs);
	assert_string_equal(rowstore_default_table(rs), "DriverCarInfo");
	assert_string_equal(rowstore_backend(rs), "sqlite");
	struct rowstore_batch *b = rowstore_batch_new();
	assert_int_equal(rowstore_batch_add_len(b, "bin", "cf2", "", 7, "a\0b", 3, &err), 0);
	assert_int_equal(rowstore_batch_add(b, "now", "cf2", "q", ROWSTORE_TS_NOW, "x", &err), 0);
	assert_int_equal(rowstore_batch_cells(b), 2);
	assert_int_equal(rowstore_put(rs, NULL, b, &err), 0);
	rowstore_batch_clear(b);
	assert_int_equal(rowstore_batch_cells(b), 0);
	rowstore_batch_free(b);
	struct seen s = {0};
	assert_int_equal(rowstore_get(rs, NULL, "bin", NULL, 0, collect, &s, &err), 0);
	assert_int_equal(s.rows, 1);
	rowstore_close(rs);
}

struct got {
	size_t len;
	char v[256];
	char q[8];
};

static int grab(const struct rowstore_row *row, void *ctx)
{
	struct got *g = ctx;
	assert_int_equal(row->ncells, 1);
	g->len = row->cells[0].value_len;
	memcpy(g->v, row->cells[0].value, g->len < 256 ? g->len : 256);
	snprintf(g->q, sizeof g->q, "%s", row->cells[0].qualifier);
	return 0;
}

/* A put at an existing row, family and timestamp overwrites the cells it names
 * and keeps the others (HBase); values are bytes, NUL and non-UTF-8 included. */
static void test_same_ts_merge_and_bytes(void **state)
{
	struct fx *f = *state;
	struct rowstore_err err;
	struct rowstore_batch *b = rowstore_batch_new();
	assert_int_equal(rowstore_batch_add(b, "00001030106102-Z0020", "cf1", "speed", 1000, "90", &err), 0);
	assert_int_equal(rowstore_batch_add(b, "00001030106102-Z0020", "cf1", "extra", 1000, "e\"\\", &err), 0);
	assert_int_equal(rowstore_batch_add(b, "00001030106102-Z0020", "cf1", "speed", 1000, "91", &err), 0);
	assert_int_equal(rowstore_put(f->rs, "DriverCarInfo", b, &err), 0);
	struct seen s = {0};
	assert_int_equal(rowstore_get(f->rs, "DriverCarInfo", "00001030106102-Z0020", NULL, 0, collect, &s, &err), 0);
	assert_string_equal(s.text, "00001030106102-Z0020|cf1:area_number=F06;cf1:extra=e\"\\;cf1:speed=91;\n");
	/* bytes of every value through a put and a get */
	rowstore_batch_clear(b);
	char bytes[256];
	for (int i = 0; i < 256; i++)
		bytes[i] = (char)i;
	assert_int_equal(rowstore_batch_add_len(b, "bin", "cf2", "q\x01\xff", 5, bytes, sizeof bytes, &err), 0);
	assert_int_equal(rowstore_put(f->rs, "DriverCarInfo", b, &err), 0);
	rowstore_batch_free(b);
	struct rowstore_scan_opts o = {.start_row = "bin", .stop_row = "bio"};
	struct got g = {0};
	assert_int_equal(rowstore_scan(f->rs, "DriverCarInfo", &o, grab, &g, &err), 0);
	assert_int_equal(g.len, 256);
	assert_memory_equal(g.v, bytes, 256);
	assert_string_equal(g.q, "q\x01\xff");
}


/* Deleting a cell removes every version of it and nothing else; the view
 * shows one SQL row per cell to the sqlite3 shell. */
static void test_delete_versions_and_view(void **state)
{
	struct fx *f = *state;
	struct rowstore_err err;
	put_record(f->rs, "00001030106102-Z0020", 2000, "F07", "81");
	assert_int_equal(rowstore_delete(f->rs, "DriverCarInfo", "00001030106102-Z0020", "cf1:speed", &err), 0);
	struct seen s = {0};
	assert_int_equal(rowstore_get(f->rs, "DriverCarInfo", "00001030106102-Z0020", NULL, 0, collect, &s, &err), 0);
	assert_string_equal(s.text, "00001030106102-Z0020|cf1:area_number=F07;\n");
	assert_int_equal(rowstore_delete(f->rs, "DriverCarInfo", "00001030106102-Z0020", "cf1:area_number", &err), 0);
	uint64_t n;
	assert_int_equal(rowstore_count(f->rs, "DriverCarInfo", NULL, &n, &err), 0);
	assert_int_equal(n, 3);	/* no cell left: no row */
	sqlite3 *db;
	char path[128];
	snprintf(path, sizeof path, "%s/rows.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(qualifier||'='||value||'@'||ts, ' ') FROM"
				" (SELECT * FROM rs_DriverCarInfo WHERE row='00001030106102-Z0021' ORDER BY qualifier)",
				-1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "area_number=A01@1000 speed=120@1000");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* A file of the first layout (one SQL row per cell) is migrated on open; a
 * file of a later layout is refused. */
static void test_layout_migration(void **state)
{
	struct fx *f = *state;
	struct rowstore_err err;
	char path[128], uri[160];
	snprintf(path, sizeof path, "%s/old.db", f->dir);
	snprintf(uri, sizeof uri, "sqlite:%s", path);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"CREATE TABLE rowstore_tables(name TEXT PRIMARY KEY, created_ms INTEGER);"
		"CREATE TABLE rowstore_families(tbl TEXT NOT NULL, family TEXT NOT NULL, PRIMARY KEY(tbl, family)) WITHOUT ROWID;"
		"INSERT INTO rowstore_tables VALUES('T', 1);"
		"INSERT INTO rowstore_families VALUES('T', 'cf1');"
		"CREATE TABLE \"rs_T\"(row TEXT NOT NULL, family TEXT NOT NULL, qualifier TEXT NOT NULL,"
		" ts INTEGER NOT NULL, value BLOB NOT NULL, PRIMARY KEY(row, family, qualifier, ts DESC)) WITHOUT ROWID;"
		"INSERT INTO \"rs_T\" VALUES('r1','cf1','a',10,'old'),('r1','cf1','a',20,'new'),"
		"('r1','cf1','b',10,x'00ff'),('r2','cf1','a',5,'x');", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct rowstore *rs = rowstore_open(uri, NULL, &err);
	assert_non_null(rs);
	struct seen s = {0};
	assert_int_equal(rowstore_scan(rs, "T", NULL, collect, &s, &err), 0);
	assert_string_equal(s.text, "r1|cf1:a=new;cf1:b=;\nr2|cf1:a=x;\n");
	/* both versions of cf1:a were migrated: a cell delete removes them all */
	assert_int_equal(rowstore_delete(rs, "T", "r1", "cf1:a", &err), 0);
	memset(&s, 0, sizeof s);
	assert_int_equal(rowstore_get(rs, "T", "r1", NULL, 0, collect, &s, &err), 0);
	assert_string_equal(s.text, "r1|cf1:b=;\n");
	rowstore_close(rs);
	/* reopened: already at the new layout, nothing migrated twice */
	rs = rowstore_open(uri, NULL, &err);
	assert_non_null(rs);
	uint64_t n;
	assert_int_equal(rowstore_count(rs, "T", NULL, &n, &err), 0);
	assert_int_equal(n, 2);
	rowstore_close(rs);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(rowstore_open(uri, NULL, &err));
	assert_int_equal(err.code, ROWSTORE_EUSAGE);
	assert_non_null(strstr(err.msg, "newer"));
	for (const char *suf = ""; suf; suf = !*suf ? "-wal" : !strcmp(suf, "-wal") ? "-shm" : NULL) {
		char p2[160];
		snprintf(p2, sizeof p2, "%s%s", path, suf);
		unlink(p2);
	}
}

/* A reader (opts.readonly) reads and cannot write; it creates no file; a
 * foreign SQLite file is refused by readers and writers and left as it was. */
static void test_readonly_and_foreign(void **state)
{
	struct fx *f = *state;
	struct rowstore_err err;
	struct rowstore_opts ro = { .retries = -1, .readonly = 1 };
	struct rowstore *rs = rowstore_open(f->uri, &ro, &err);
	assert_non_null(rs);
	uint64_t n;
	assert_int_equal(rowstore_count(rs, "DriverCarInfo", NULL, &n, &err), 0);
	assert_int_equal(n, 4);
	struct rowstore_batch *b = rowstore_batch_new();
	assert_int_equal(rowstore_batch_add(b, "r9", "cf1", "q", 1, "v", &err), 0);
	assert_int_not_equal(rowstore_put(rs, "DriverCarInfo", b, &err), ROWSTORE_OK);
	rowstore_batch_free(b);
	rowstore_close(rs);

	char path[160], uri[200];
	snprintf(path, sizeof path, "%s/none.db", f->dir);
	snprintf(uri, sizeof uri, "sqlite:%s", path);
	assert_null(rowstore_open(uri, &ro, &err));
	assert_int_not_equal(access(path, F_OK), 0);	/* not created */

	snprintf(path, sizeof path, "%s/foreign.db", f->dir);
	snprintf(uri, sizeof uri, "sqlite:%s", path);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE runs(id INTEGER PRIMARY KEY)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(rowstore_open(uri, &ro, &err));
	assert_int_equal(err.code, ROWSTORE_EUSAGE);
	assert_non_null(strstr(err.msg, "not a row store"));
	assert_null(rowstore_open(uri, NULL, &err));	/* a writer too */
	assert_int_equal(err.code, ROWSTORE_EUSAGE);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM sqlite_master), journal_mode"
					    " FROM pragma_journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);	/* no catalog added */
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "delete");	/* not switched to WAL */
	sqlite3_finalize(st);
	sqlite3_close(db);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_get_newest_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idempotent_reput, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_table_and_binary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_ts_merge_and_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_versions_and_view, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layout_migration, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_and_foreign, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
