/* test_audit.c: redis-audit's policy: the day of a key, classification by
 * TTL and retention (edges included), severity order and the bounded list of
 * worst offenders; and redisconn's URI parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "jobs/common/evtime.h"
#include "jobs/common/redisconn.h"
#include "jobs/redis-audit/audit.h"

static int64_t D(const char *s)
{
	int64_t d;
	assert_int_equal(evtime_parse8(s, &d), 0);
	return d;
}

static void test_key_day(void **state)
{
	(void)state;
	int64_t d;
	const char *k = "overspeed:20160103:R0001-20160103000030";
	assert_int_equal(audit_key_day(k, strlen(k), &d), 0);
	assert_int_equal(d, D("20160103"));
	assert_int_equal(audit_key_day("20160103", 8, &d), 0);
	assert_int_equal(audit_key_day("x20161301y", 10, &d), -1);	/* month 13 */
	assert_int_equal(audit_key_day("201601030", 9, &d), -1);	/* 9 digits */
	assert_int_equal(audit_key_day("seen:abc", 8, &d), -1);
	assert_int_equal(audit_key_day("99999999:20160104", 17, &d), 0);	/* first valid one */
	assert_int_equal(d, D("20160104"));
}

static void test_classify(void **state)
{
	(void)state;
	struct audit_policy p = {604800, 7, D("20160110")};
	int64_t s1, s2, s3, s4;
	assert_int_equal(audit_classify(&p, "20160109", 8, 604800, &s1), AUDIT_OK);
	assert_int_equal(audit_classify(&p, "20160103", 8, 10, &s1), AUDIT_OK);	/* 7 days: kept */
	assert_int_equal(audit_classify(&p, "20160102", 8, 10, &s1), AUDIT_PAST_RETENTION);
	assert_int_equal(s1, 86400);
	assert_int_equal(audit_classify(&p, "20160101", 8, -1, &s2), AUDIT_PAST_RETENTION);
	assert_true(s2 > s1);
	assert_int_equal(audit_classify(&p, "20160109", 8, -1, &s3), AUDIT_NO_EXPIRY);
	assert_int_equal(audit_classify(&p, "20160109", 8, 604801, &s4), AUDIT_TTL_TOO_LONG);
	assert_int_equal(s4, 1);
	assert_int_equal(audit_classify(&p, "20160109", 8, -2, &s4), AUDIT_GONE);
	assert_int_equal(audit_classify(&p, "nodaykey", 8, -1, &s4), AUDIT_NO_EXPIRY);
	assert_string_equal(audit_issue_name(AUDIT_TTL_TOO_LONG), "ttl_too_long");
}

static void test_top(void **state)
{
	(void)state;
	struct audit_top t;
	audit_top_init(&t, 2);
	audit_top_add(&t, "a", 1, AUDIT_TTL_TOO_LONG, 10, 5);
	audit_top_add(&t, "b", 1, AUDIT_NO_EXPIRY, -1, 100);
	audit_top_add(&t, "c", 1, AUDIT_TTL_TOO_LONG, 10, 1);	/* milder than both: not kept */
	audit_top_add(&t, "d", 1, AUDIT_PAST_RETENTION, 10, 50);	/* replaces a */
	audit_top_sort(&t);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.v[0].key, "b");
	assert_string_equal(t.v[1].key, "d");
	audit_top_free(&t);
	audit_top_init(&t, 0);
	audit_top_add(&t, "x", 1, AUDIT_NO_EXPIRY, -1, 1);
	assert_int_equal(t.n, 0);
	audit_top_free(&t);
}

static void test_redis_uri(void **state)
{
	(void)state;
	struct redisconn rc;
	job_err e;
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://127.0.0.1:6380/3", &e), 0);
	assert_string_equal(rc.host, "127.0.0.1");
	assert_int_equal(rc.port, 6380);
	assert_int_equal(rc.db, 3);
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://cache", &e), 0);
	assert_int_equal(rc.port, 6379);
	assert_int_equal(rc.db, 0);
	assert_int_equal(redisconn_parse(&rc, "--redis", "http://x", &e), -1);
	assert_non_null(strstr(e.msg, "--redis"));
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://h:99999", &e), -1);
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://h:1/x", &e), -1);
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://:1", &e), -1);
}

/* A password in the URI is refused and never echoed; rediss:// and its files. */
static void test_redis_uri_secrets(void **state)
{
	(void)state;
	struct redisconn rc;
	job_err e;
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://:Hunter2pw@h:6379/0", &e), -1);
	assert_null(strstr(e.msg, "Hunter2pw"));
	assert_non_null(strstr(e.msg, "REDIS_PASSWORD"));
	assert_non_null(strstr(e.msg, "redis://***@h:6379/0"));
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://al:Hunter2pw@h", &e), -1);
	assert_null(strstr(e.msg, "Hunter2pw"));
	unsetenv("REDIS_TLS_CA_FILE");
	unsetenv("REDIS_TLS_KEY_FILE");
	unsetenv("REDIS_TLS_CERT_FILE");
	assert_int_equal(redisconn_parse(&rc, "--redis", "rediss://h:6380/2", &e), 0);
	assert_true(rc.tls);
	assert_string_equal(rc.host, "h");
	assert_int_equal(rc.port, 6380);
	assert_int_equal(rc.db, 2);
	redisconn_free(&rc);
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://h", &e), 0);
	assert_false(rc.tls);
	setenv("REDIS_TLS_CERT_FILE", "/dev/null", 1);
	assert_int_equal(redisconn_parse(&rc, "--redis", "rediss://h", &e), -1);
	assert_non_null(strstr(e.msg, "REDIS_TLS_KEY_FILE"));
	setenv("REDIS_TLS_KEY_FILE", "/nonexistent/key.pem", 1);
	assert_int_equal(redisconn_parse(&rc, "--redis", "rediss://h", &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent/key.pem"));
	unsetenv("REDIS_TLS_KEY_FILE");
	unsetenv("REDIS_TLS_CERT_FILE");
	assert_int_equal(redisconn_parse(&rc, "--redis", "rediss://:Hunter2pw@h", &e), -1);
	assert_null(strstr(e.msg, "Hunter2pw"));
	/* a bad URI after a password: still not echoed */
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://x:Hunter2pw@h:bad", &e), -1);
	assert_null(strstr(e.msg, "Hunter2pw"));
}

/* Credentials from the environment or a file, never from argv. */
static void test_redis_credentials(void **state)
{
	(void)state;
	struct redisconn rc;
	job_err e;
	unsetenv("REDIS_USERNAME");
	unsetenv("REDIS_PASSWORD");
	unsetenv("REDIS_PASSWORD_FILE");
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://h", &e), 0);
	assert_null(rc.password);
	assert_null(rc.user);

	setenv("REDIS_PASSWORD", "envpw", 1);
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://h", &e), 0);
	assert_string_equal(rc.password, "envpw");
	assert_null(rc.user);
	redisconn_free(&rc);
	assert_null(rc.password);

	setenv("REDIS_USERNAME", "alice", 1);
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://h", &e), 0);
	assert_string_equal(rc.user, "alice");
	redisconn_free(&rc);

	char path[] = "/tmp/test_audit_pwXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "filepw\n", 7), 7);
	close(fd);
	setenv("REDIS_PASSWORD_FILE", path, 1);
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://h", &e), -1);
	assert_non_null(strstr(e.msg, "both"));
	unsetenv("REDIS_PASSWORD");
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://h", &e), 0);
	assert_string_equal(rc.password, "filepw");
	redisconn_free(&rc);
	unlink(path);
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://h", &e), -1);
	assert_non_null(strstr(e.msg, path));
	unsetenv("REDIS_PASSWORD_FILE");
	assert_int_equal(redisconn_parse(&rc, "--redis", "redis://h", &e), -1);
	assert_non_null(strstr(e.msg, "REDIS_USERNAME"));
	unsetenv("REDIS_USERNAME");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_day),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_top),
		cmocka_unit_test(test_redis_uri),
		cmocka_unit_test(test_redis_uri_secrets),
		cmocka_unit_test(test_redis_credentials),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
