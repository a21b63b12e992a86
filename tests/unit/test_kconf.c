/* test_kconf.c: librdkafka properties from a properties file and from -X
 * (jobs/common/kconf.h): comments, blank lines and spaces; a bad line named
 * by file:line; key=@FILE with its trailing newline stripped; a missing file;
 * later values overriding earlier ones; and no error message holding a value
 * (they may be secrets). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobs/common/kconf.h"

static char dir[] = "/tmp/test_kconf.XXXXXX";

static const char *write_file(const char *name, const char *content)
{
	static char path[4][256];
	static int next;
	char *p = path[next++ % 4];
	snprintf(p, sizeof path[0], "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	return p;
}

static const char *get(const struct kconf *k, const char *key)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->keys[i], key) == 0)
			return k->vals[i];
	return NULL;
}

static void test_file(void **state)
{
	(void)state;
	struct kconf k = { 0 };
	job_err e;
	const char *p = write_file("ok.properties", "# client settings\n"
						"\n"
						"security.protocol=SASL_PLAINTEXT\n"
						"  sasl.mechanisms = PLAIN  \r\n"
						"sasl.username=car\n"
						"sasl.password=s3cr=t with space\n"
						"   # indented comment\n"
						"client.id=");
	assert_int_equal(kconf_load_file(&k, p, &e), 0);
	assert_int_equal(k.n, 5);
	assert_string_equal(k.keys[0], "security.protocol");
	assert_string_equal(get(&k, "sasl.mechanisms"), "PLAIN");
	assert_string_equal(get(&k, "sasl.password"), "s3cr=t with space");
	assert_string_equal(get(&k, "client.id"), "");
	/* -X after the file wins, in place. */
	assert_int_equal(kconf_add_arg(&k, "-X", "sasl.username=truck", &e), 0);
	assert_int_equal(k.n, 5);
	assert_string_equal(get(&k, "sasl.username"), "truck");
	kconf_free(&k);
	assert_int_equal(k.n, 0);
}

static void test_bad_lines(void **state)
{
	(void)state;
	const char *bad[] = { "a=1\nno equals sign\n", "a=1\n\n=value\n", "a=1\nb c=2\n", "a=1\nsasl.password\n" };
	const int line[] = { 2, 3, 2, 2 };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct kconf k = { 0 };
		job_err e;
		const char *p = write_file("bad.properties", bad[i]);
		assert_int_equal(kconf_load_file(&k, p, &e), -1);
		char want[300];
		snprintf(want, sizeof want, "%s:%d:", p, line[i]);
		if (!strstr(e.msg, want))
			fail_msg("case %zu: '%s' does not name %s", i, e.msg, want);
		kconf_free(&k);
	}
}

static void test_missing(void **state)
{
	(void)state;
	struct kconf k = { 0 };
	job_err e;
	assert_int_equal(kconf_load_file(&k, "/nonexistent/kafka.properties", &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent/kafka.properties"));
	assert_int_equal(kconf_add_arg(&k, "-X", "sasl.password=@/nonexistent/secret", &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent/secret"));
	assert_non_null(strstr(e.msg, "sasl.password"));
	assert_int_equal(k.n, 0);
}

static void test_at_file(void **state)
{
	(void)state;
	struct kconf k = { 0 };
	job_err e;
	char arg[300];
	snprintf(arg, sizeof arg, "sasl.password=@%s", write_file("secret", "hunter2\n"));
	assert_int_equal(kconf_add_arg(&k, "-X", arg, &e), 0);
	assert_string_equal(get(&k, "sasl.password"), "hunter2");
	snprintf(arg, sizeof arg, "sasl.username=@%s", write_file("user", "car\r\n"));
	assert_int_equal(kconf_add_arg(&k, "-X", arg, &e), 0);
	assert_string_equal(get(&k, "sasl.username"), "car");
	snprintf(arg, sizeof arg, "a.b=@%s", write_file("two", "x\n\n"));	/* one newline only */
	assert_int_equal(kconf_add_arg(&k, "-X", arg, &e), 0);
	assert_string_equal(get(&k, "a.b"), "x\n");
	assert_int_equal(kconf_add_arg(&k, "-X", "plain=value", &e), 0);
	assert_string_equal(get(&k, "plain"), "value");
	kconf_free(&k);
}

static void test_bad_arg_hides_value(void **state)
{
	(void)state;
	struct kconf k = { 0 };
	job_err e;
	assert_int_equal(kconf_add_arg(&k, "--kafka-opt", "hunter2", &e), -1);
	assert_null(strstr(e.msg, "hunter2"));
	assert_non_null(strstr(e.msg, "--kafka-opt"));
	assert_int_equal(kconf_add_arg(&k, "-X", "=hunter2", &e), -1);
	assert_null(strstr(e.msg, "hunter2"));
	/* librdkafka quotes a bad value in its message: not in ours. */
	assert_int_equal(kconf_add_arg(&k, "-X", "linger.ms=hunter2", &e), 0);
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	assert_int_equal(kconf_apply(&k, conf, &e), -1);
	assert_non_null(strstr(e.msg, "linger.ms"));
	assert_null(strstr(e.msg, "hunter2"));
	rd_kafka_conf_destroy(conf);
	kconf_free(&k);
	/* A good set is applied. */
	assert_int_equal(kconf_add_arg(&k, "-X", "client.id=unit", &e), 0);
	conf = rd_kafka_conf_new();
	assert_int_equal(kconf_apply(&k, conf, &e), 0);
	char v[64];
	size_t vlen = sizeof v;
	assert_int_equal(rd_kafka_conf_get(conf, "client.id", v, &vlen), RD_KAFKA_CONF_OK);
	assert_string_equal(v, "unit");
	rd_kafka_conf_destroy(conf);
	kconf_free(&k);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	const char *names[] = { "ok.properties", "bad.properties", "secret", "user", "two" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char p[300];
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_at_file),
		cmocka_unit_test(test_bad_arg_hides_value),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
