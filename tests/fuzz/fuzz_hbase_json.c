/* fuzz_hbase_json.c: the HBase REST answers (jobs/common/hbase_json.c). The
 * input is parsed as a JSON document and walked the way the hbase:// row
 * store reads a CellSet (jobs/common/rowstore_hbase.c feed_cellset: Row[].key,
 * Cell[].column / $ / timestamp, each base64-decoded); no number holds a NUL. Then two round trips on
 * the raw bytes: hbj_buf_str's escaping parsed back gives the same bytes, and
 * base64 encode then decode (both decoders) gives the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/hbase_json.h"

static void walk_cellset(const struct hbj *doc)
{
	const struct hbj *rows = hbj_get(doc, "Row");
	for (size_t i = 0; rows && rows->type == HBJ_ARR && i < rows->n; i++) {
		const struct hbj *row = &rows->items[i];
		const char *k64 = hbj_str(row, "key");
		size_t klen;
		free(k64 ? hbj_b64_decode(k64, strlen(k64), &klen) : NULL);
		const struct hbj *cells = hbj_get(row, "Cell");
		for (size_t j = 0; cells && cells->type == HBJ_ARR && j < cells->n; j++) {
			const struct hbj *c = &cells->items[j];
			const char *c64 = hbj_str(c, "column"), *v64 = hbj_str(c, "$");
			size_t cl, vl;
			free(c64 ? hbj_b64_decode(c64, strlen(c64), &cl) : NULL);
			free(hbj_b64_decode(v64 ? v64 : "", v64 ? strlen(v64) : 0, &vl));
			(void)hbj_int(c, "timestamp", 0);
		}
	}
	/* a scanner's error answer, a table schema */
	(void)hbj_str(doc, "exception");
	(void)hbj_int(doc, "version", -1);
}

/* A number is a literal of JSON number characters: never a NUL, which would
 * end it early for strtoll (hbj_int). Depth is bounded by the parser. */
static void check_numbers(const struct hbj *v)
{
	if (v->type == HBJ_NUM && (v->len == 0 || memchr(v->str, '\0', v->len)))
		abort();
	if (v->type == HBJ_ARR || v->type == HBJ_OBJ)
		for (size_t i = 0; i < v->n; i++)
			check_numbers(&v->items[i]);
}

static void round_trips(const uint8_t *data, size_t size)
{
	struct hbj_buf b = { 0 };
	hbj_buf_str(&b, (const char *)data, size);
	if (b.oom)
		abort();
	char err[128];
	struct hbj *v = hbj_parse(b.s, b.len, err, sizeof err);
	if (!v || v->type != HBJ_STR || v->len != size || memcmp(v->str, data, size) != 0)
		abort();	/* our escaping does not read back */
	hbj_free(v);
	hbj_buf_free(&b);

	char *enc = malloc(4 * ((size + 2) / 3) + 1);
	size_t elen = hbj_b64_encode(data, size, enc);
	size_t dlen = 0;
	char *dec = hbj_b64_decode(enc, elen, &dlen);
	if (!dec || dlen != size || memcmp(dec, data, size) != 0)
		abort();
	char *dec2 = malloc(elen / 4 * 3 + 3);
	size_t dlen2 = 0;
	if (hbj_b64_decode_to(enc, elen, dec2, &dlen2) != 0 || dlen2 != size || memcmp(dec2, data, size) != 0)
		abort();
	free(dec2);
	free(dec);
	free(enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[128] = "";
	struct hbj *doc = hbj_parse((const char *)data, size, err, sizeof err);
	if (doc) {
		walk_cellset(doc);
		check_numbers(doc);
		hbj_free(doc);
	} else if (err[0] == '\0') {
		abort();
	}
	/* the base64 decoders on the raw text, as a key or value would be */
	size_t n;
	free(hbj_b64_decode((const char *)data, size, &n));
	round_trips(data, size);
	return 0;
}
