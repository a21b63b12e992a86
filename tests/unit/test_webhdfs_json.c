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
 * json_key took a string value equal to a key's name for the key, so in a
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
	assert_int_equal(json_string(one, one + strlen(one), "type", type, sizeof type), 0);
	assert_string_equal(type, "FILE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_named_like_a_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
