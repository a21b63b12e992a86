/* fuzz_hbase_json.c: the HBase REST answers as the hbase:// row store reads
 * them. Its readers are static and reached only through HTTP requests, so
 * this harness includes jobs/common/rowstore_hbase.c (the archive's copy of
 * rowstore_hbase.o is then not linked) and calls the product's functions:
 * feed_cellset on the input as a scanner batch (JSON read by jansson, every
 * row key, column and value base64-decoded into the row buffer), then the
 * scanner body built from the input as a row regex (only UTF-8 is sent, and
 * what is sent is JSON whose filter string is JSON again), then base64 encode
 * and decode (both decoders) round trips on the raw bytes. */
#include "jobs/common/rowstore_hbase.c"

#include <stdint.h>

static int count_rows(const struct rowstore_row *row, void *ctx)
{
	if (!row->key)
		abort();
	(*(long *)ctx)++;
	return 0;
}

static void cellset(const char *body, size_t len)
{
	struct rowstore_filter f;
	struct rowstore_scan_opts none = {0};
	struct rowstore_err err;
	if (rowstore_filter_init(&f, &none, &err))
		abort();
	struct rowstore_rowbuf rb = {0};
	long emitted = 0, rows = 0;
	int stop = 0;
	http_response r = {.status = 200, .body = (char *)body, .body_len = len};
	if (feed_cellset("fuzz", &r, &rb, &f, 3, &emitted, count_rows, &rows, &stop, &err) == 0 && !stop)
		rowstore_rowbuf_emit(&rb, &f, count_rows, &rows, &stop);
	rowstore_rowbuf_free(&rb);
	rowstore_filter_free(&f);
}

static void scanner_body(const char *text)
{
	struct rowstore_scan_opts o = {.row_regex = text, .limit = 2};
	char *body = scanner_json(&o, 1);
	if (!body)
		return;	/* not UTF-8: refused */
	json_t *doc = json_loads(body, 0, NULL);
	const char *filter = json_string_value(json_object_get(doc, "filter"));
	json_t *inner = filter ? json_loads(filter, 0, NULL) : NULL;
	if (!inner)
		abort();
	json_decref(inner);
	json_decref(doc);
	free(body);
}

static void b64_round_trips(const uint8_t *data, size_t size)
{
	char *enc = malloc(4 * ((size + 2) / 3) + 1);
	size_t elen = b64_encode(data, size, enc);
	size_t dlen = 0;
	char *dec = b64_decode(enc, elen, &dlen);
	if (!dec || dlen != size || memcmp(dec, data, size) != 0)
		abort();
	char *dec2 = malloc(elen / 4 * 3 + 3);
	size_t dlen2 = 0;
	if (b64_decode_to(enc, elen, dec2, &dlen2) != 0 || dlen2 != size || memcmp(dec2, data, size) != 0)
		abort();
	free(dec2);
	free(dec);
	free(enc);
	free(b64_decode((const char *)data, size, &dlen));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);	/* NUL-terminated, as http.c hands a body over */
	memcpy(text, data, size);
	text[size] = '\0';
	cellset(text, size);
	if (strlen(text) == size && size > 0)
		scanner_body(text);
	b64_round_trips(data, size);
	free(text);
	return 0;
}
