/* test_t2k_position.c: tail2kafka's position file: format/parse round trip,
 * rejection of damaged files, atomic save and load, the identifying prefix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobs/tail2kafka/t2k_position.h"

static void test_round_trip(void **state)
{
	(void)state;
	struct t2k_position p = {.dev = 64769, .ino = 123456789, .offset = 1234567, .prefix_len = 256,
				 .prefix_hash = 0xdeadbeef01234567ULL}, q;
	char buf[256], err[256];
	t2k_position_format(&p, buf, sizeof buf);
	assert_string_equal(buf, "tail2kafka-position v1 dev=64769 ino=123456789 offset=1234567 prefix_len=256 "
				 "prefix_fnv=deadbeef01234567\n");
	assert_int_equal(t2k_position_parse(buf, &q, err, sizeof err), 0);
	assert_true(p.dev == q.dev && p.ino == q.ino && p.offset == q.offset && p.prefix_len == q.prefix_len &&
		    p.prefix_hash == q.prefix_hash);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	struct t2k_position q;
	char err[256];
	assert_int_equal(t2k_position_parse("", &q, err, sizeof err), -1);
	assert_int_equal(t2k_position_parse("tail2kafka-position v1 dev=1 ino=2 offset=3", &q, err, sizeof err), -1);
	assert_int_equal(t2k_position_parse("tail2kafka-position v1 dev=1 ino=2 offset=-3 prefix_len=0 prefix_fnv=0\n",
					    &q, err, sizeof err), -1);
	assert_non_null(strstr(err, "out of range"));
	/* prefix longer than the offset cannot be */
	assert_int_equal(t2k_position_parse("tail2kafka-position v1 dev=1 ino=2 offset=3 prefix_len=10 prefix_fnv=0\n",
					    &q, err, sizeof err), -1);
	assert_int_equal(t2k_position_parse("tail2kafka-position v1 dev=1 ino=2 offset=3 prefix_len=3 prefix_fnv=0 x\n",
					    &q, err, sizeof err), -1);
	assert_non_null(strstr(err, "trailing"));
}

static void test_save_load(void **state)
{
	(void)state;
	char dir[] = "/tmp/t2kposXXXXXX", path[256], tmp[300], err[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/pos", dir);
	struct t2k_position p = {.dev = 1, .ino = 2, .offset = 300, .prefix_len = 256, .prefix_hash = 42}, q;
	assert_int_equal(t2k_position_load(path, &q, err, sizeof err), 0);	/* no file yet */
	assert_int_equal(t2k_position_save(path, &p, err, sizeof err), 0);
	assert_int_equal(t2k_position_load(path, &q, err, sizeof err), 1);
	assert_true(p.dev == q.dev && p.ino == q.ino && p.offset == q.offset && p.prefix_len == q.prefix_len &&
		    p.prefix_hash == q.prefix_hash);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	assert_int_equal(access(tmp, F_OK), -1);	/* renamed away */
	FILE *f = fopen(path, "w");
	fputs("garbage\n", f);
	fclose(f);
	assert_int_equal(t2k_position_load(path, &q, err, sizeof err), -1);
	assert_non_null(strstr(err, ":1: "));
	unlink(path);
	rmdir(dir);
}

static void test_prefix(void **state)
{
	(void)state;
	char path[] = "/tmp/t2kprefXXXXXX";
	int fd = mkstemp(path);
	char data[400];
	for (int i = 0; i < 400; i++)
		data[i] = (char)('a' + i % 26);
	assert_int_equal(write(fd, data, 400), 400);
	int len;
	uint64_t h;
	assert_int_equal(t2k_position_prefix(fd, 10, &len, &h), 0);
	assert_int_equal(len, 10);
	assert_true(h == t2k_fnv1a(data, 10));
	assert_int_equal(t2k_position_prefix(fd, 1000000, &len, &h), 0);	/* at most 256 bytes are read */
	assert_int_equal(ftruncate(fd, 100), 0);
	assert_int_equal(t2k_position_prefix(fd, 200, &len, &h), -1);	/* file shorter than asked */
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(pwrite(fd, data, 400, 0), 400);
	assert_int_equal(t2k_position_prefix(fd, 400, &len, &h), 0);
	assert_int_equal(len, T2K_PREFIX_MAX);
	assert_true(h == t2k_fnv1a(data, T2K_PREFIX_MAX));
	assert_true(t2k_fnv1a("", 0) == 1469598103934665603ULL);
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
