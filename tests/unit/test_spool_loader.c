/* test_spool_loader.c: the spool-loader's filter (fast path, regex, reasons,
 * lines split across blocks, CRLF, a last line without newline) and its
 * manifest (round trip, strict parsing, next part number, checksum
 * independent of block boundaries), the writer queue and the source mapping
 * (a file truncated under it is an error, not a crash). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/spool-loader/filter.h"
#include "jobs/spool-loader/manifest.h"
#include "jobs/spool-loader/partq.h"
#include "jobs/spool-loader/srcmap.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

struct out {
	char kept[4096];
	size_t klen;
	char rej[4096];
	size_t rlen;
};

static int keep(const char *line, size_t len, void *ud)
{
	struct out *o = ud;
	memcpy(o->kept + o->klen, line, len);
	o->klen += len;
	memcpy(o->kept + o->klen, "|", 1);
	o->klen++;
	o->kept[o->klen] = 0;
	return 0;
}

static int reject(enum filter_reason why, uint64_t lineno, const char *line, size_t len, void *ud)
{
	struct out *o = ud;
	o->rlen += (size_t)snprintf(o->rej + o->rlen, sizeof o->rej - o->rlen, "%llu:%s:%.*s|",
				    (unsigned long long)lineno, filter_reason_names[why], (int)len, line);
	return 0;
}

static void run_filter(filter *f, const char *data, size_t len, size_t block, struct out *o)
{
	memset(o, 0, sizeof *o);
	for (size_t off = 0; off < len; off += block)
		assert_int_equal(filter_block(f, data + off, len - off < block ? len - off : block, keep, reject, o), 0);
	assert_int_equal(filter_finish(f, keep, reject, o), 0);
}

static const char input[] = "SmartCar Status Information,CarNum\n"
			    "20160101000000,A0001,90\n"
			    "\n"
			    "2016010100000,short\n"
			    "20160101000004,A0001,91\r\n"
			    "\0\0binary\n"
			    "20160101000008,A\0001\n"
			    "20160101000010,\0x\0y\n"
			    "20160101000012,A0001,92";

static void test_filter_default(void **st)
{
	(void)st;
	/* every block size gives the same answer: lines cut across blocks */
	for (size_t block = 1; block <= sizeof input; block++) {
		filter f;
		job_err e;
		assert_int_equal(filter_init(&f, NULL, "20160102", &e), 0);
		struct out o;
		run_filter(&f, input, sizeof input - 1, block, &o);
		assert_string_equal(o.kept, "20160101000000,A0001,90|20160101000004,A0001,91|20160101000012,A0001,92|");
		assert_int_equal(f.kept, 3);
		assert_int_equal(f.lines, 9);
		assert_int_equal(f.rejected[FILTER_PATTERN], 3);
		assert_int_equal(f.rejected[FILTER_EMPTY], 1);
		assert_int_equal(f.rejected[FILTER_NUL], 2);
		assert_non_null(strstr(o.rej, "1:pattern:SmartCar"));
		assert_non_null(strstr(o.rej, "3:empty:|"));
		assert_non_null(strstr(o.rej, "4:pattern:2016010100000,short|"));
		assert_non_null(strstr(o.rej, "6:pattern:"));
		assert_non_null(strstr(o.rej, "7:nul_byte:"));
		assert_non_null(strstr(o.rej, "8:nul_byte:"));
		assert_string_equal(f.suffix, ",20160102");
		filter_free(&f);
	}
}

static void test_filter_regex(void **st)
{
	(void)st;
	filter f;
	job_err e;
	assert_int_equal(filter_init(&f, "^[0-9]{14},A0001,9[01]$", "20160102", &e), 0);
	struct out o;
	run_filter(&f, input, sizeof input - 1, 7, &o);
	assert_string_equal(o.kept, "20160101000000,A0001,90|20160101000004,A0001,91|");
	filter_free(&f);
	assert_int_equal(filter_init(&f, "^[0-9", "20160102", &e), -1);
	assert_non_null(strstr(e.msg, "--pattern"));
	/* the original's spelling selects the fast path */
	assert_int_equal(filter_init(&f, "^\\d{14}", "20160102", &e), 0);
	assert_int_equal(f.use_regex, 0);
	filter_free(&f);
}

static void test_filter_too_long(void **st)
{
	(void)st;
	size_t n = FILTER_MAX_LINE + 100;
	char *big = malloc(n + 40);
	memset(big, '1', n);
	memcpy(big + n, "\n20160101000000,A0001,90\n", 25);
	filter f;
	job_err e;
	assert_int_equal(filter_init(&f, NULL, "20160102", &e), 0);
	struct out o;
	run_filter(&f, big, n + 25, 65536, &o);
	assert_int_equal(f.rejected[FILTER_TOO_LONG], 1);
	assert_string_equal(o.kept, "20160101000000,A0001,90|");
	filter_free(&f);
	free(big);
}

static void test_manifest_round_trip(void **st)
{
	(void)st;
	manifest m;
	manifest_init(&m, "20160101");
	manifest_add_source(&m, "SmartCarStatusInfo_20160101.txt", 104088208, 0x0123456789abcdefULL, 2160000, 100);
	manifest_add_part(&m, "car-batch-log.0.log", 67108800);
	manifest_add_part(&m, "car-batch-log.11.log", 1234);
	m.staging = strdup("_tmp.1-2");
	size_t len;
	char *text = manifest_format(&m, &len);
	manifest m2;
	manifest_init(&m2, NULL);
	job_err e;
	assert_int_equal(manifest_parse(&m2, text, len, "_MANIFEST.1", &e), 0);
	assert_string_equal(m2.wrk_date, "20160101");
	assert_int_equal(m2.nsources, 1);
	const manifest_source *s = manifest_find_source(&m2, "SmartCarStatusInfo_20160101.txt");
	assert_non_null(s);
	assert_int_equal(s->size, 104088208);
	assert_true(s->checksum == 0x0123456789abcdefULL);
	assert_int_equal(s->kept, 2160000);
	assert_int_equal(s->rejected, 100);
	assert_null(manifest_find_source(&m2, "other"));
	assert_true(manifest_has_part(&m2, "car-batch-log.11.log"));
	assert_int_equal(manifest_next_part(&m2), 12);
	assert_string_equal(m2.staging, "_tmp.1-2");
	size_t len2;
	char *text2 = manifest_format(&m2, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(text, text2, len);
	free(text);
	free(text2);
	manifest_free(&m);
	manifest_free(&m2);
}

static void test_manifest_errors(void **st)
{
	(void)st;
	const char *bad[][2] = {
		{ "not a manifest\n", "not a spool-loader manifest" },
		{ "spool-loader-manifest 1\nsource\ta\t12\n", ":2: bad manifest line" },
		{ "spool-loader-manifest 1\nsource\ta\tx\t0\t1\t2\n", ":2:" },
		{ "spool-loader-manifest 1\nwrk_date\t20160101\npart\tp\n", ":3:" },
		/* names joined under the partition stay one path component */
		{ "spool-loader-manifest 1\npart\t../../etc/x\t1\n", ":2: part name '../../etc/x' contains '/'" },
		{ "spool-loader-manifest 1\nstaging\t..\n", ":2: staging name '..'" },
		{ "", "empty" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		manifest m;
		manifest_init(&m, NULL);
		job_err e;
		assert_int_equal(manifest_parse(&m, bad[i][0], strlen(bad[i][0]), "M", &e), -1);
		if (!strstr(e.msg, bad[i][1]))
			fail_msg("error '%s' lacks '%s'", e.msg, bad[i][1]);
		manifest_free(&m);
	}
	manifest m;
	manifest_init(&m, NULL);
	assert_int_equal(manifest_next_part(&m), 0);
	manifest_free(&m);
}

static void test_checksum(void **st)
{
	(void)st;
	char data[1000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)(i * 7 + 3);
	manifest_hash h;
	manifest_hash_init(&h);
	manifest_hash_update(&h, data, sizeof data);
	uint64_t whole = manifest_hash_final(&h);
	for (size_t step = 1; step < 20; step++) {
		manifest_hash_init(&h);
		for (size_t off = 0; off < sizeof data; off += step)
			manifest_hash_update(&h, data + off, sizeof data - off < step ? sizeof data - off : step);
		assert_true(manifest_hash_final(&h) == whole);
	}
	data[500] ^= 1;
	manifest_hash_init(&h);
	manifest_hash_update(&h, data, sizeof data);
	assert_true(manifest_hash_final(&h) != whole);
	manifest_hash_init(&h);
	manifest_hash_update(&h, data, sizeof data - 1);
	assert_true(manifest_hash_final(&h) != whole);
}

static void test_partq(void **st)
{
	(void)st;
	char dir[] = "/tmp/test_partq_XXXXXX";
	assert_non_null(mkdtemp(dir));
	job_err e;
	storage *s = storage_open(dir, &e);
	partq *q = partq_new(2, 8, &e);
	assert_non_null(q);
	char *path = storage_join(dir, "out");
	storage_writer *w = storage_create(s, path, 1, 1, &e);
	for (int i = 0; i < 5; i++) {
		char *b = partq_buffer(q);
		memcpy(b, "abcdefgh", 8);
		b[0] = (char)('0' + i);
		partq_write(q, w, b, 8);
	}
	partq_close(q, w);
	assert_int_equal(partq_drain(q, &e), 0);
	char *data;
	size_t len;
	assert_int_equal(storage_read_all(s, path, &data, &len, &e), 0);
	assert_string_equal(data, "0bcdefgh1bcdefgh2bcdefgh3bcdefgh4bcdefgh");
	free(data);
	/* a failing write (the file size limit: EFBIG) is reported by drain;
	 * later closes become aborts, which delete the partial file */
	char *capped = storage_join(dir, "capped");
	storage_writer *cw = storage_create(s, capped, 1, 1, &e);
	assert_non_null(cw);
	struct rlimit old, lim = { 4, 4 };
	getrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, SIG_IGN);
	lim.rlim_max = old.rlim_max;
	setrlimit(RLIMIT_FSIZE, &lim);
	char *b = partq_buffer(q);
	memset(b, 'x', 8);
	partq_write(q, cw, b, 8);
	partq_close(q, cw);
	int rc = partq_drain(q, &e);
	setrlimit(RLIMIT_FSIZE, &old);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(e.msg, "capped"));
	assert_true(partq_failed(q));
	storage_stat ss;
	assert_int_equal(storage_stat_path(s, capped, &ss, &e), 0);
	assert_false(ss.exists);
	free(capped);
	partq_free(q);
	unlink(path);
	rmdir(dir);
	free(path);
	storage_free(s);
}

static int read_last(void *arg)
{
	const srcmap *m = arg;
	volatile char c = m->data[m->size - 1];
	return c == 'z' ? 7 : 8;
}

/* srcmap: a mapped file reads as its bytes; one truncated under the mapping
 * makes srcmap_run return SRCMAP_FAULT instead of dying of SIGBUS; an empty
 * file maps to nothing. */
static void test_srcmap(void **st)
{
	(void)st;
	char path[] = "/tmp/test_srcmap_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	char buf[3 * 4096];
	memset(buf, 'z', sizeof buf);
	assert_int_equal(write(fd, buf, sizeof buf), sizeof buf);
	srcmap m;
	job_err e;
	assert_int_equal(srcmap_open(&m, path, &e), 0);
	assert_int_equal(m.size, sizeof buf);
	assert_memory_equal(m.data, buf, sizeof buf);
	assert_int_equal(srcmap_run(read_last, &m), 7);
	assert_int_equal(ftruncate(fd, 10), 0);
	assert_int_equal(srcmap_run(read_last, &m), SRCMAP_FAULT);
	assert_int_equal(srcmap_run(read_last, &m), SRCMAP_FAULT);	/* SIGBUS is unblocked again */
	srcmap_close(&m);
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(srcmap_open(&m, path, &e), 0);
	assert_int_equal(m.size, 0);
	srcmap_close(&m);
	close(fd);
	unlink(path);
	assert_int_equal(srcmap_open(&m, path, &e), -1);
	assert_non_null(strstr(e.msg, path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_default),	 cmocka_unit_test(test_filter_regex),
		cmocka_unit_test(test_filter_too_long),	 cmocka_unit_test(test_manifest_round_trip),
		cmocka_unit_test(test_manifest_errors), cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_partq),		 cmocka_unit_test(test_srcmap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
