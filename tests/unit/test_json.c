/* test_json.c: lib/json.h, the writing side of jansson every program uses:
 * compact output with keys in insertion order, text that is not UTF-8
 * repaired byte by byte (never a document that cannot be written), NULs kept,
 * the same in a buffer and on a stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/json.h"

static void test_order_and_compact(void **state)
{
	(void)state;
	json_t *o = json_object();
	jx_set(o, "zeta", json_integer(1));
	jx_set(o, "alpha", jx_str("a\"b\\c\n"));
	jx_set(o, "mid", json_pack("[i,b,n]", 2, 1));
	char *s = jx_dump(o);
	assert_string_equal(s, "{\"zeta\":1,\"alpha\":\"a\\\"b\\\\c\\n\",\"mid\":[2,true,null]}");
	free(s);
	struct buf b = BUF_INIT;
	buf_puts(&b, "x=");
	jx_buf(&b, o);
	assert_string_equal(buf_str(&b), "x={\"zeta\":1,\"alpha\":\"a\\\"b\\\\c\\n\",\"mid\":[2,true,null]}");
	buf_free(&b);
	json_decref(o);
}

static void test_invalid_utf8_repaired(void **state)
{
	(void)state;
	/* a lone continuation byte, a truncated sequence, an overlong '/', a
	 * surrogate, and valid text around them */
	json_t *v = jx_str("a\x80" "b\xc3" "c\xc0\xaf" "d\xed\xa0\x80" "e\xc3\xa9");
	assert_non_null(v);
	assert_string_equal(json_string_value(v),
			    "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd"
			    "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "e\xc3\xa9");
	json_decref(v);
	/* a key that is not UTF-8 is repaired too, not dropped */
	json_t *o = json_object();
	jx_set(o, "k\xff", json_integer(7));
	char *s = jx_dump(o);
	assert_string_equal(s, "{\"k\xef\xbf\xbd\":7}");
	free(s);
	json_decref(o);
}

static void test_nul_kept_and_stream(void **state)
{
	(void)state;
	json_t *v = jx_strn("a\0b", 3);
	assert_int_equal(json_string_length(v), 3);
	char *s = jx_dump(v);
	assert_string_equal(s, "\"a\\u0000b\"");
	free(s);
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	assert_int_equal(jx_fwrite(v, f), 0);
	fclose(f);
	assert_string_equal(mem, "\"a\\u0000b\"");
	free(mem);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_compact),
		cmocka_unit_test(test_invalid_utf8_repaired),
		cmocka_unit_test(test_nul_kept_and_stream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
