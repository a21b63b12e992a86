/* test_hbase_rest_json.c: the JSON the hbase:// row store reads and writes
 * (jobs/common/rowstore_hbase.c, included so its static functions are tested
 * as they are; the archive's copy is then not linked): the CellSet of a
 * scanner batch on the protocol's example, bad answers, and the scanner body
 * with its filter (a JSON text inside a JSON string), byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "jobs/common/rowstore_hbase.c"

struct seen {
	int rows, cells;
	char keys[4][32];
	int64_t ts[8];
	char vals[8][16];
};

static int on_row(const struct rowstore_row *row, void *ctx)
{
	struct seen *s = ctx;
	if (s->rows < 4)
		snprintf(s->keys[s->rows], sizeof s->keys[0], "%s", row->key);
	for (size_t i = 0; i < row->ncells && s->cells < 8; i++, s->cells++) {
		s->ts[s->cells] = row->cells[i].ts;
		snprintf(s->vals[s->cells], sizeof s->vals[0], "%.*s", (int)row->cells[i].value_len,
			 row->cells[i].value);
	}
	s->rows++;
	return 0;
}

static int feed(const char *body, struct seen *s, struct rowstore_err *err)
{
	struct rowstore_filter f;
	struct rowstore_scan_opts none = {0};
	assert_int_equal(rowstore_filter_init(&f, &none, err), 0);
	struct rowstore_rowbuf rb = {0};
	long emitted = 0;
	int stop = 0;
	http_response r = {.status = 200, .body = (char *)body, .body_len = strlen(body)};
	int rc = feed_cellset("test", &r, &rb, &f, 0, &emitted, on_row, s, &stop, err);
	if (rc == 0)
		rowstore_rowbuf_emit(&rb, &f, on_row, s, &stop);
	rowstore_rowbuf_free(&rb);
	rowstore_filter_free(&f);
	return rc;
}

static void test_cellset(void **state)
{
	(void)state;
	const char *body =
		"{\"Row\":[\n"
		"  {\"key\":\"cm93LTAwMDE=\",\"Cell\":[{\"column\":\"ZDptc2c=\",\"$\":\"aGVsbG8=\",\"timestamp\":1704067200000},\n"
		"                                 {\"column\":\"ZDpsdmw=\",\"$\":\"SU5GTw==\"}]},\n"
		"  {\"key\":\"cm93LTAwMDI=\",\"Cell\":[{\"column\":\"ZDptc2c=\",\"$\":\"d29ybGQ=\"}]}]}";
	struct seen s = {0};
	struct rowstore_err err;
	assert_int_equal(feed(body, &s, &err), 0);
	assert_int_equal(s.rows, 2);
	assert_string_equal(s.keys[0], "row-0001");
	assert_string_equal(s.keys[1], "row-0002");
	assert_int_equal(s.cells, 3);
	/* in the answer's order; a cell without a timestamp gets 0 */
	assert_string_equal(s.vals[0], "hello");
	assert_int_equal(s.ts[0], 1704067200000LL);
	assert_string_equal(s.vals[1], "INFO");
	assert_int_equal(s.ts[1], 0);
	assert_string_equal(s.vals[2], "world");
}

static void test_cellset_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"{\"Row\":[{\"key\":\"cm93\"",				/* cut short */
		"{\"Row\":[{\"Cell\":[]}]}",				/* no key */
		"{\"Row\":[{\"key\":7,\"Cell\":[]}]}",			/* key not a string */
		"{\"Row\":[{\"key\":\"cm93\",\"Cell\":[{\"column\":\"!!\",\"$\":\"\"}]}]}",	/* not base64 */
		"{\"timestamp\":12\0003}",				/* NUL inside a number: cut there */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct seen s = {0};
		struct rowstore_err err = {0};
		assert_int_not_equal(feed(bad[i], &s, &err), 0);
		assert_true(err.msg[0] != '\0');
	}
}

static void test_scanner_body(void **state)
{
	(void)state;
	const char *cols[] = {"d:msg"};
	struct rowstore_where w[] = {{"d:lvl", ROWSTORE_WHERE_EQ, "WARN"},
				     {"d:msg", ROWSTORE_WHERE_REGEX, "a\"b\\c"}};
	struct rowstore_scan_opts o = {.start_row = "a", .stop_row = "b", .limit = 5, .columns = cols,
				       .ncolumns = 1, .row_regex = "^r", .where = w, .nwhere = 2, .batch = 50};
	char *body = scanner_json(&o, 0);
	assert_non_null(body);
	assert_string_equal(body,
		"{\"batch\":50,\"startRow\":\"YQ==\",\"endRow\":\"Yg==\",\"column\":[\"ZDptc2c=\",\"ZDpsdmw=\",\"ZDptc2c=\"],"
		"\"filter\":\"{\\\"type\\\":\\\"FilterList\\\",\\\"op\\\":\\\"MUST_PASS_ALL\\\",\\\"filters\\\":["
		"{\\\"type\\\":\\\"RowFilter\\\",\\\"op\\\":\\\"EQUAL\\\",\\\"comparator\\\":{\\\"type\\\":\\\"RegexStringComparator\\\",\\\"value\\\":\\\"^r\\\"}},"
		"{\\\"type\\\":\\\"SingleColumnValueFilter\\\",\\\"op\\\":\\\"EQUAL\\\",\\\"family\\\":\\\"ZA==\\\",\\\"qualifier\\\":\\\"bHZs\\\","
		"\\\"latestVersion\\\":true,\\\"ifMissing\\\":true,\\\"comparator\\\":{\\\"type\\\":\\\"BinaryComparator\\\",\\\"value\\\":\\\"V0FSTg==\\\"}},"
		"{\\\"type\\\":\\\"SingleColumnValueFilter\\\",\\\"op\\\":\\\"EQUAL\\\",\\\"family\\\":\\\"ZA==\\\",\\\"qualifier\\\":\\\"bXNn\\\","
		"\\\"latestVersion\\\":true,\\\"ifMissing\\\":true,\\\"comparator\\\":{\\\"type\\\":\\\"RegexStringComparator\\\",\\\"value\\\":\\\"a\\\\\\\"b\\\\\\\\c\\\"}},"
		"{\\\"type\\\":\\\"PageFilter\\\",\\\"value\\\":\\\"5\\\"}]}\"}");
	free(body);
	/* one filter alone is not wrapped in a list; none gives no member */
	struct rowstore_scan_opts one = {.row_regex = "x"};
	body = scanner_json(&one, 0);
	assert_string_equal(body, "{\"batch\":1000,\"filter\":\"{\\\"type\\\":\\\"RowFilter\\\",\\\"op\\\":\\\"EQUAL\\\","
				  "\\\"comparator\\\":{\\\"type\\\":\\\"RegexStringComparator\\\",\\\"value\\\":\\\"x\\\"}}\"}");
	free(body);
	struct rowstore_scan_opts all = {0};
	body = scanner_json(&all, 1);
	assert_string_equal(body, "{\"batch\":1000,\"filter\":\"{\\\"type\\\":\\\"FirstKeyOnlyFilter\\\"}\"}");
	free(body);
	body = scanner_json(&all, 0);
	assert_string_equal(body, "{\"batch\":1000}");
	free(body);
	/* text that is not UTF-8 is refused, not sent */
	struct rowstore_scan_opts latin1 = {.row_regex = "\xe9"};
	assert_null(scanner_json(&latin1, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cellset),
		cmocka_unit_test(test_cellset_bad),
		cmocka_unit_test(test_scanner_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
