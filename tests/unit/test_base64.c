/* test_base64.c: base64 both ways (RFC 4648 vectors, every byte value, bad
 * input, the URL-safe alphabet) and the quoted form the multi-row PUT uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "jobs/common/base64.h"
#include "lib/buf.h"

static void test_b64_vectors(void **state)
{
	(void)state;
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar",
					    "row-0001", "d:msg", "00001030106102-Z0020"};
	static const char *const enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy",
					  "cm93LTAwMDE=", "ZDptc2c=", "MDAwMDEwMzAxMDYxMDItWjAwMjA="};
	char out[64];
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		assert_int_equal(b64_encode(plain[i], strlen(plain[i]), out), strlen(enc[i]));
		assert_string_equal(out, enc[i]);
		size_t n;
		char *d = b64_decode(enc[i], strlen(enc[i]), &n);
		assert_non_null(d);
		assert_int_equal(n, strlen(plain[i]));
		assert_memory_equal(d, plain[i], n);
		free(d);
	}
	unsigned char bin[256];
	for (int i = 0; i < 256; i++)
		bin[i] = (unsigned char)i;
	char big[400];
	size_t n = b64_encode(bin, sizeof bin, big);
	char *d = b64_decode(big, n, &n);
	assert_int_equal(n, 256);
	assert_memory_equal(d, bin, 256);
	free(d);
	assert_null(b64_decode("a", 1, &n));
	assert_null(b64_decode("ab!d", 4, &n));
	d = b64_decode("-_8", 3, &n);	/* URL-safe, unpadded */
	assert_non_null(d);
	assert_int_equal(n, 2);
	assert_memory_equal(d, "\xfb\xff", 2);
	free(d);
}

static void test_b64_decode_to_and_quoted(void **state)
{
	(void)state;
	char out[16];
	size_t n;
	assert_int_equal(b64_decode_to("cm93LTAwMDE=", 12, out, &n), 0);
	assert_int_equal(n, 8);
	assert_string_equal(out, "row-0001");
	assert_int_equal(b64_decode_to("ab!d", 4, out, &n), -1);

	struct buf b = BUF_INIT;
	buf_puts(&b, "{\"key\":");
	b64_buf_quoted(&b, "row-0001", 8);
	buf_puts(&b, ",\"v\":");
	b64_buf_quoted(&b, "", 0);
	buf_putc(&b, '}');
	assert_string_equal(buf_str(&b), "{\"key\":\"cm93LTAwMDE=\",\"v\":\"\"}");
	assert_int_equal(b.len, strlen(buf_str(&b)));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64_vectors),
		cmocka_unit_test(test_b64_decode_to_and_quoted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
