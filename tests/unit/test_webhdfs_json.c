/* test_webhdfs_json.c: the reader of WebHDFS's JSON answers in
 * jobs/common/storage_webhdfs.c. Its functions are static (reached only
 * through HTTP requests), so, like tests/fuzz/fuzz_webhdfs_json.c, this test
 * includes the .c file. */
#include "jobs/common/storage_webhdfs.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Found writing the fuzz harness (corpus: webhdfs_json/found-value-named-type):
 * the hand-written reader's json_key took a string value equal to a key's name for the key, so in a
 * LISTSTATUS answer "pathSuffix":"type" (before "type" in Hadoop's order),
 * or a group or owner named type, made a directory a file. */
static void test_value_named_like_a_key(void **state)
{
	(void)state;
	static const char body[] =
		"{\"FileStatuses\":{\"FileStatus\":["
		"{\"group\":\"type\",\"length\":0,\"owner\":\"type\",\"pathSuffix\":\"type\",\"type\":\"DIRECTORY\"},"
		"{\"group\":\"g\",\"length\":7,\"owner\":\"o\",\"pathSuffix\":\"f\",\"type\":\"FILE\"}]}}";
	storage_entry *v = NULL;
	size_t n = 0;
	job_err e;
	assert_int_equal(webhdfs_parse_list(body, sizeof body - 1, &v, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].name, "type");
	assert_true(v[0].is_dir);
	assert_string_equal(v[1].name, "f");
	assert_false(v[1].is_dir);
	assert_int_equal(v[1].length, 7);
	storage_list_free(v, n);

	char type[32] = "";
	const char *one = "{\"FileStatus\":{\"owner\":\"type\",\"type\":\"FILE\"}}";
	json_t *doc = wh_load(one, strlen(one));
	assert_non_null(doc);
	assert_int_equal(wh_string(doc, "type", type, sizeof type), 0);
	assert_string_equal(type, "FILE");
	json_decref(doc);
}

/* A listed name is joined under the listed directory: a server answering
 * "..", "a/b" or a control byte in pathSuffix gets an error, not a path. */
static void test_entry_names_are_components(void **state)
{
	(void)state;
	static const char *bad[] = { "..", "../etc", "a/b", "x\\u001b]0;T" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char body[256];
		snprintf(body, sizeof body,
			 "{\"FileStatuses\":{\"FileStatus\":[{\"pathSuffix\":\"%s\",\"type\":\"FILE\",\"length\":1}]}}",
			 bad[i]);
		storage_entry *v = NULL;
		size_t n = 0;
		job_err e;
		assert_int_equal(webhdfs_parse_list(body, strlen(body), &v, &n, &e), -1);
		assert_non_null(strstr(e.msg, "entry name"));
		storage_list_free(v, n);
	}
}

/* Found by a 10-minute fuzz run (corpus: webhdfs_json/crash-huge-modification-time):
 * a real too large for a long long (1.2e36 in a modificationTime) was
 * converted to long long (undefined behaviour). It is now refused. */
static void test_huge_number_refused(void **state)
{
	(void)state;
	const char *body = "{\"FileStatus\":{\"length\":1e300,\"modificationTime\":"
			   "1244444444444444444444444444444444033.72,\"type\":\"FILE\"}}";
	json_t *doc = wh_load(body, strlen(body));
	assert_non_null(doc);
	long long v = 7;
	assert_int_equal(wh_number(doc, "modificationTime", &v), -1);
	assert_int_equal(wh_number(doc, "length", &v), -1);
	assert_int_equal(v, 7);
	json_decref(doc);
	body = "{\"length\":12.0}";
	doc = wh_load(body, strlen(body));
	assert_int_equal(wh_number(doc, "length", &v), 0);
	assert_int_equal(v, 12);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_named_like_a_key),
		cmocka_unit_test(test_entry_names_are_components),
		cmocka_unit_test(test_huge_number_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
