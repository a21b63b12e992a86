/* test_hbase_json.c: the HBase REST encoding helpers: base64 both ways (RFC
 * 4648 vectors, bad input), the JSON reader on the shapes of docs/protocols.md §2 and on
 * escapes and errors, and the writer's escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "jobs/common/hbase_json.h"

static void test_b64_vectors(void **state)
{
	(void)state;
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar",
					    "row-0001", "d:msg", "00001030106102-Z0020"};
	static const char *const enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy",
					  "cm93LTAwMDE=", "ZDptc2c=", "MDAwMDEwMzAxMDYxMDItWjAwMjA="};
	char out[64];
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		assert_int_equal(hbj_b64_encode(plain[i], strlen(plain[i]), out), strlen(enc[i]));
		assert_string_equal(out, enc[i]);
		size_t n;
		char *d = hbj_b64_decode(enc[i], strlen(enc[i]), &n);
		assert_non_null(d);
		assert_int_equal(n, strlen(plain[i]));
		assert_memory_equal(d, plain[i], n);
		free(d);
	}
	/* binary bytes survive */
	unsigned char bin[256];
	for (int i = 0; i < 256; i++)
		bin[i] = (unsigned char)i;
	char big[400];
	size_t n = hbj_b64_encode(bin, sizeof bin, big);
	char *d = hbj_b64_decode(big, n, &n);
	assert_int_equal(n, 256);
	assert_memory_equal(d, bin, 256);
	free(d);
	assert_null(hbj_b64_decode("a", 1, &n));
	assert_null(hbj_b64_decode("ab!d", 4, &n));
}

static void test_parse_cellset(void **state)
{
	(void)state;
	const char *body =
		"{\"Row\":[\n"
		"  {\"key\":\"cm93LTAwMDE=\",\"Cell\":[{\"column\":\"ZDptc2c=\",\"$\":\"aGVsbG8=\",\"timestamp\":1704067200000},\n"
		"                                 {\"column\":\"ZDpsdmw=\",\"$\":\"SU5GTw==\"}]},\n"
		"  {\"key\":\"cm93LTAwMDI=\",\"Cell\":[{\"column\":\"ZDptc2c=\",\"$\":\"d29ybGQ=\"}]}]}";
	char err[100];
	struct hbj *v = hbj_parse(body, strlen(body), err, sizeof err);
	assert_non_null(v);
	const struct hbj *rows = hbj_get(v, "Row");
	assert_non_null(rows);
	assert_int_equal(rows->type, HBJ_ARR);
	assert_int_equal(rows->n, 2);
	assert_string_equal(hbj_str(&rows->items[0], "key"), "cm93LTAwMDE=");
	const struct hbj *cells = hbj_get(&rows->items[0], "Cell");
	assert_int_equal(cells->n, 2);
	assert_int_equal(hbj_int(&cells->items[0], "timestamp", -1), 1704067200000LL);
	assert_int_equal(hbj_int(&cells->items[1], "timestamp", -1), -1);
	assert_string_equal(hbj_str(&cells->items[1], "$"), "SU5GTw==");
	assert_null(hbj_get(v, "nope"));
	assert_null(hbj_str(v, "Row"));	/* not a string */
	hbj_free(v);
}

static void test_parse_scanner_filter(void **state)
{
	(void)state;
	/* the filter is a JSON string holding JSON, as docs/protocols.md §2.2 says */
	const char *body = "{\"startRow\":\"cm93LTAwMDA=\",\"batch\":500,\"column\":[\"ZDptc2c=\"],"
			   "\"filter\":\"{\\\"type\\\":\\\"RowFilter\\\",\\\"op\\\":\\\"EQUAL\\\"}\","
			   "\"ok\":true,\"no\":false,\"nil\":null,\"u\":\"\\u00e9\\ud83d\\ude00\\n\"}";
	char err[100];
	struct hbj *v = hbj_parse(body, strlen(body), err, sizeof err);
	assert_non_null(v);
	assert_string_equal(hbj_str(v, "filter"), "{\"type\":\"RowFilter\",\"op\":\"EQUAL\"}");
	assert_int_equal(hbj_int(v, "batch", 0), 500);
	assert_int_equal(hbj_get(v, "ok")->boolean, 1);
	assert_int_equal(hbj_get(v, "no")->type, HBJ_BOOL);
	assert_int_equal(hbj_get(v, "nil")->type, HBJ_NULL);
	assert_string_equal(hbj_str(v, "u"), "\xc3\xa9\xf0\x9f\x98\x80\n");
	struct hbj *inner = hbj_parse(hbj_str(v, "filter"), strlen(hbj_str(v, "filter")), err, sizeof err);
	assert_string_equal(hbj_str(inner, "type"), "RowFilter");
	hbj_free(inner);
	hbj_free(v);
}

static void test_parse_errors(void **state)
{
	(void)state;
	static const char *const bad[] = {"", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "\"abc",
					  "{\"a\":1} x", "\"\\q\"", "[\"\\u12\"]", "tru"};
	char err[100];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct hbj *v = hbj_parse(bad[i], strlen(bad[i]), err, sizeof err);
		assert_null(v);
		assert_non_null(strstr(err, "at byte"));
	}
	/* deep nesting is refused, not a stack overflow */
	char deep[300];
	memset(deep, '[', 200);
	deep[200] = '\0';
	assert_null(hbj_parse(deep, 200, err, sizeof err));
	assert_non_null(strstr(err, "deep"));
}

static void test_writer(void **state)
{
	(void)state;
	struct hbj_buf b = {0};
	hbj_buf_adds(&b, "{\"name\":");
	hbj_buf_str(&b, "a\"b\\c\n\x01", 7);
	hbj_buf_adds(&b, ",\"k\":");
	hbj_buf_b64(&b, "row-0001", 8);
	hbj_buf_printf(&b, ",\"ts\":%d}", 42);
	assert_string_equal(b.s, "{\"name\":\"a\\\"b\\\\c\\u000a\\u0001\",\"k\":\"cm93LTAwMDE=\",\"ts\":42}");
	/* what we write, we read back */
	char err[100];
	struct hbj *v = hbj_parse(b.s, b.len, err, sizeof err);
	assert_non_null(v);
	assert_string_equal(hbj_str(v, "name"), "a\"b\\c\n\x01");
	hbj_free(v);
	hbj_buf_free(&b);
	/* growth across many appends */
	for (int i = 0; i < 10000; i++)
		hbj_buf_adds(&b, "0123456789");
	assert_int_equal(b.len, 100000);
	assert_int_equal(b.oom, 0);
	hbj_buf_free(&b);
}

/* A multi-row PUT's worth of rows (the arena grows over many chunks; members of
 * nested containers land in the right parents), integers without printf, and
 * base64 decoded into a caller's buffer. */
static void test_big_document_and_helpers(void **state)
{
	(void)state;
	struct hbj_buf b = {0};
	hbj_buf_adds(&b, "{\"Row\":[");
	for (int i = 0; i < 20000; i++) {
		char key[32];
		int kl = snprintf(key, sizeof key, "row-%06d", i);
		hbj_buf_adds(&b, i ? ",{\"key\":" : "{\"key\":");
		hbj_buf_b64(&b, key, (size_t)kl);
		hbj_buf_adds(&b, ",\"Cell\":[{\"column\":\"Y2YxOmE=\",\"timestamp\":");
		hbj_buf_i64(&b, 1451782800000LL + i);
		hbj_buf_adds(&b, ",\"$\":\"eA==\"},{\"column\":\"Y2YxOmI=\",\"$\":\"eQ==\"}]}");
	}
	hbj_buf_adds(&b, "],\"after\":[1,[2,{\"x\":\"y\"}],3]}");
	char err[100];
	struct hbj *v = hbj_parse(b.s, b.len, err, sizeof err);
	assert_non_null(v);
	const struct hbj *rows = hbj_get(v, "Row");
	assert_int_equal(rows->n, 20000);
	const struct hbj *last = &rows->items[19999];
	assert_string_equal(hbj_str(last, "key"), "cm93LTAxOTk5OQ==");
	assert_int_equal(hbj_get(last, "Cell")->n, 2);
	assert_int_equal(hbj_int(&hbj_get(last, "Cell")->items[0], "timestamp", 0), 1451782819999LL);
	assert_int_equal(hbj_int(&hbj_get(last, "Cell")->items[1], "timestamp", -1), -1);
	const struct hbj *after = hbj_get(v, "after");
	assert_int_equal(after->n, 3);
	assert_int_equal(after->items[1].n, 2);
	assert_string_equal(hbj_str(&after->items[1].items[1], "x"), "y");
	hbj_free(v);
	hbj_buf_free(&b);

	hbj_buf_i64(&b, 0);
	hbj_buf_adds(&b, " ");
	hbj_buf_i64(&b, -42);
	hbj_buf_adds(&b, " ");
	hbj_buf_i64(&b, INT64_MIN);
	hbj_buf_adds(&b, " ");
	hbj_buf_i64(&b, INT64_MAX);
	assert_string_equal(b.s, "0 -42 -9223372036854775808 9223372036854775807");
	hbj_buf_free(&b);

	char out[16];
	size_t n;
	assert_int_equal(hbj_b64_decode_to("cm93LTAwMDE=", 12, out, &n), 0);
	assert_int_equal(n, 8);
	assert_string_equal(out, "row-0001");
	assert_int_equal(hbj_b64_decode_to("ab!d", 4, out, &n), -1);
}

/* A NUL byte inside a number: strchr(set, '\0') matches the terminator, so
 * "12<NUL>3" was read as one number literal and hbj_int gave 12 for a broken
 * answer. Found reading the code after tests/fuzz/fuzz_records.c found the
 * same strchr in records.c. */
static void test_parse_nul_in_number(void **state)
{
	(void)state;
	static const char t[] = "{\"timestamp\":12\0003}";
	char err[128] = "";
	struct hbj *v = hbj_parse(t, sizeof t - 1, err, sizeof err);
	assert_null(v);
	assert_true(err[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64_vectors),
		cmocka_unit_test(test_parse_cellset),
		cmocka_unit_test(test_parse_scanner_filter),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_big_document_and_helpers),
		cmocka_unit_test(test_parse_nul_in_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
