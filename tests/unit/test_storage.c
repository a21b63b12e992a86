/* test_storage.c: storage URIs (every accepted form and the errors) and the
 * local backend's operations (create/write/close, no-replace rename, list,
 * stat, append, read, recursive delete). The WebHDFS backend is exercised
 * against the test server by tests/integration/spool_loader_webhdfs.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobs/common/storage.h"

static void test_uri_forms(void **st)
{
	(void)st;
	storage_uri u;
	job_err e;
	assert_int_equal(storage_uri_parse("/data/x/", &u, &e), 0);
	assert_int_equal(u.kind, STORAGE_LOCAL);
	assert_string_equal(u.path, "/data/x");
	assert_int_equal(storage_uri_parse("file:///data/y", &u, &e), 0);
	assert_int_equal(u.kind, STORAGE_LOCAL);
	assert_string_equal(u.path, "/data/y");
	assert_int_equal(storage_uri_parse("rel/dir", &u, &e), 0);
	assert_true(u.path[0] == '/');
	assert_non_null(strstr(u.path, "/rel/dir"));
	assert_int_equal(storage_uri_parse("webhdfs://nn1:9870/pilot-pjt/collect?user=etl", &u, &e), 0);
	assert_int_equal(u.kind, STORAGE_WEBHDFS);
	assert_false(u.tls);
	assert_string_equal(u.host, "nn1");
	assert_int_equal(u.port, 9870);
	assert_string_equal(u.path, "/pilot-pjt/collect");
	assert_string_equal(u.user, "etl");
	assert_int_equal(storage_uri_parse("swebhdfs://nn1/p?user=a&doas=b&auth=kerberos&retries=2&timeout=9", &u, &e), 0);
	assert_true(u.tls);
	assert_int_equal(u.port, 9871);
	assert_string_equal(u.doas, "b");
	assert_true(u.kerberos);
	assert_int_equal(u.retries, 2);
	assert_int_equal(u.timeout_s, 9);
	assert_int_equal(storage_uri_parse("webhdfs://h:14000?user=x", &u, &e), 0);
	assert_string_equal(u.path, "/");
	assert_int_equal(u.port, 14000);
}

static void test_uri_errors(void **st)
{
	(void)st;
	storage_uri u;
	job_err e;
	const char *bad[][2] = {
		{ "", "empty" },
		{ "ftp://h/x", "unknown scheme" },
		{ "file://rel", "absolute" },
		{ "webhdfs:///p", "missing host" },
		{ "webhdfs://h:0/p", "bad port" },
		{ "webhdfs://h:99999/p", "bad port" },
		{ "webhdfs://h:1/p?color=red", "unknown or bad URI parameter 'color=red'" },
		/* secrets: refused, and the message shows no byte of them */
		{ "webhdfs://alice:Hunter2pw@h:1/p", "'webhdfs://alice:***@h:1/p': a user or password" },
		{ "swebhdfs://Hunter2pw@h/p", "'swebhdfs://***@h/p'" },
		{ "webhdfs://h:1/p?password=Hunter2pw", "'password=***'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(storage_uri_parse(bad[i][0], &u, &e), -1);
		if (!strstr(e.msg, bad[i][1]))
			fail_msg("'%s': error '%s' lacks '%s'", bad[i][0], e.msg, bad[i][1]);
		if (strstr(e.msg, "Hunter2pw"))
			fail_msg("'%s': error '%s' shows the password", bad[i][0], e.msg);
	}
}

/* A local storage rooted at a new directory made from the template dir. */
static storage *open_tmp(char *dir, job_err *e)
{
	assert_non_null(mkdtemp(dir));
	storage *s = storage_open(dir, e);
	assert_non_null(s);
	return s;
}

static void test_local_ops(void **st)
{
	(void)st;
	char dir[] = "/tmp/test_storage_XXXXXX";
	job_err e;
	storage *s = open_tmp(dir, &e);
	char *a = storage_join(storage_root(s), "a/b"), *f = storage_join(a, "f.txt"), *g = storage_join(a, "g.txt");
	assert_int_equal(storage_mkdirs(s, a, &e), 0);
	assert_int_equal(storage_mkdirs(s, a, &e), 0);	/* exists: fine */
	storage_writer *w = storage_create(s, f, 0, 16, &e);
	assert_non_null(w);
	assert_int_equal(storage_write(w, "hello ", 6, &e), 0);
	assert_int_equal(storage_write(w, "world, a longer piece\n", 22, &e), 0);
	assert_int_equal(storage_written(w), 28);
	assert_int_equal(storage_close(w, &e), 0);
	assert_null(storage_create(s, f, 0, 0, &e));	/* exists, no overwrite */
	assert_int_equal(storage_append(s, f, "more\n", 5, &e), 0);
	storage_stat ss;
	assert_int_equal(storage_stat_path(s, f, &ss, &e), 0);
	assert_true(ss.exists);
	assert_false(ss.is_dir);
	assert_int_equal(ss.length, 33);
	char *data;
	size_t len;
	assert_int_equal(storage_read_all(s, f, &data, &len, &e), 0);
	assert_string_equal(data, "hello world, a longer piece\nmore\n");
	free(data);
	assert_int_equal(storage_write_file(s, g, "x", 1, 0, &e), 0);
	assert_int_equal(storage_rename(s, f, g, &e), -1);	/* never replaces */
	assert_non_null(strstr(e.msg, "rename"));
	assert_int_equal(storage_delete(s, g, 0, &e), 0);
	assert_int_equal(storage_rename(s, f, g, &e), 0);
	storage_entry *ents;
	size_t n;
	assert_int_equal(storage_list(s, a, &ents, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ents[0].name, "g.txt");
	assert_int_equal(ents[0].length, 33);
	storage_list_free(ents, n);
	assert_int_equal(storage_list(s, f, &ents, &n, &e), -1);	/* f is gone */
	w = storage_create(s, f, 1, 0, &e);
	assert_int_equal(storage_write(w, "partial", 7, &e), 0);
	storage_abort(w);
	assert_int_equal(storage_stat_path(s, f, &ss, &e), 0);
	assert_false(ss.exists);
	char *top = storage_join(storage_root(s), "a");
	assert_int_equal(storage_delete(s, top, 1, &e), 0);
	assert_int_equal(storage_delete(s, top, 1, &e), 0);	/* missing: fine */
	assert_int_equal(storage_stat_path(s, a, &ss, &e), 0);
	assert_false(ss.exists);
	free(a);
	free(f);
	free(g);
	free(top);
	storage_free(s);
	rmdir(dir);
}

static void fill(char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (char)('a' + (seed + i * 7) % 26);
}

/* STORAGE_DIRECT: aligned pieces go O_DIRECT, an unaligned one switches the
 * file to the page cache; the bytes are the same either way, also through
 * the writer's own buffer. */
static void test_local_direct(void **st)
{
	(void)st;
	char dir[] = "/tmp/test_storage_XXXXXX";
	job_err e;
	storage *s = open_tmp(dir, &e);
	const size_t A = STORAGE_DIRECT_ALIGN;
	size_t sizes[] = { 2 * A, A + 100, A, 3 * A };	/* the second leaves the offset unaligned */
	char *want = malloc(16 * A), *blk = aligned_alloc(A, 4 * A);
	assert_non_null(want);
	assert_non_null(blk);
	size_t total = 0;
	char *f = storage_join(storage_root(s), "d.bin");
	storage_writer *w = storage_create_flags(s, f, 1, 1, STORAGE_DIRECT, &e);
	assert_non_null(w);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		fill(blk, sizes[i], (unsigned)i);
		memcpy(want + total, blk, sizes[i]);
		total += sizes[i];
		assert_int_equal(storage_write(w, blk, sizes[i], &e), 0);
	}
	assert_int_equal(storage_close(w, &e), 0);
	char *data;
	size_t len;
	assert_int_equal(storage_read_all(s, f, &data, &len, &e), 0);
	assert_int_equal(len, total);
	assert_memory_equal(data, want, total);
	free(data);
	/* small unaligned pieces through a buffer of an unaligned size */
	w = storage_create_flags(s, f, 1, A + 5, STORAGE_DIRECT, &e);
	assert_non_null(w);
	fill(want, 5 * A + 33, 3);
	for (size_t off = 0; off < 5 * A + 33; off += 77) {
		size_t n = 5 * A + 33 - off < 77 ? 5 * A + 33 - off : 77;
		assert_int_equal(storage_write(w, want + off, n, &e), 0);
	}
	assert_int_equal(storage_written(w), 5 * A + 33);
	assert_int_equal(storage_close(w, &e), 0);
	assert_int_equal(storage_read_all(s, f, &data, &len, &e), 0);
	assert_int_equal(len, 5 * A + 33);
	assert_memory_equal(data, want, len);
	free(data);
	/* abort deletes, as without the flag */
	w = storage_create_flags(s, f, 1, 1, STORAGE_DIRECT, &e);
	assert_non_null(w);
	assert_int_equal(storage_write(w, blk, A, &e), 0);
	storage_abort(w);
	storage_stat ss;
	assert_int_equal(storage_stat_path(s, f, &ss, &e), 0);
	assert_false(ss.exists);
	free(f);
	free(want);
	free(blk);
	storage_free(s);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_forms),
		cmocka_unit_test(test_uri_errors),
		cmocka_unit_test(test_local_ops),
		cmocka_unit_test(test_local_direct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
