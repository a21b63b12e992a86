/* test_uri_redact.c: lib/uri_redact.c, secrets out of logged URIs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "lib/uri_redact.h"

static const char *R(const char *uri)
{
	static char b[URI_REDACT_MAX];
	return uri_redact(uri, b, sizeof b);
}

static void test_userinfo(void **state)
{
	(void)state;
	assert_string_equal(R("redis://:pw@host:6379/0"), "redis://***@host:6379/0");
	assert_string_equal(R("webhdfs://alice:s3cret@nn:9870/data?user=alice"),
			    "webhdfs://alice:***@nn:9870/data?user=alice");
	assert_string_equal(R("rediss://token@h"), "rediss://***@h");
	assert_string_equal(R("hbase://u:p@w@rest:8080/t"), "hbase://u:***@rest:8080/t");
	assert_string_equal(R("redis://a:b@"), "redis://a:***@");
	assert_true(uri_has_userinfo("redis://:pw@host"));
	assert_false(uri_has_userinfo("redis://host/0"));
	/* an '@' in the path is not a userinfo */
	assert_false(uri_has_userinfo("file:///tmp/a@b"));
	assert_string_equal(R("file:///tmp/a@b"), "file:///tmp/a@b");
}

static void test_kept(void **state)
{
	(void)state;
	assert_string_equal(R("redis://127.0.0.1:6379/2"), "redis://127.0.0.1:6379/2");
	assert_string_equal(R("/var/lib/x"), "/var/lib/x");
	assert_string_equal(R("sqlite:/tmp/r.db?table=t&sync=off"), "sqlite:/tmp/r.db?table=t&sync=off");
	assert_string_equal(R(""), "");
	assert_string_equal(R(NULL), "");
	/* "user:pw@" before a non-scheme is not an authority */
	assert_string_equal(R("not a uri"), "not a uri");
}

static void test_query(void **state)
{
	(void)state;
	assert_string_equal(R("webhdfs://nn/p?user=a&password=x&delegation=TOK&retries=3#frag"),
			    "webhdfs://nn/p?user=a&password=***&delegation=***&retries=3#frag");
	assert_string_equal(R("http://h/x?Access_Token=abc"), "http://h/x?Access_Token=***");
	assert_string_equal(R("sqlite:/x?pwd=1"), "sqlite:/x?pwd=***");
}

static void test_cut_never_leaks(void **state)
{
	(void)state;
	char small[16];
	/* whatever the size, no byte of the password shows */
	for (size_t n = 4; n <= sizeof small; n++) {
		uri_redact("redis://u:PASSWORD@h/0", small, n);
		assert_true(strlen(small) < n);
		assert_null(strstr(small, "PASS"));
		assert_null(strstr(small, "WORD"));
	}
	uri_redact("redis://host:6379/0123456789", small, sizeof small);
	assert_string_equal(small, "redis://host...");
	char big[URI_REDACT_MAX * 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	char out[URI_REDACT_MAX];
	uri_redact(big, out, sizeof out);
	assert_int_equal(strlen(out), sizeof out - 1);
	assert_string_equal(out + sizeof out - 4, "...");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_userinfo),
		cmocka_unit_test(test_kept),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_cut_never_leaks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
