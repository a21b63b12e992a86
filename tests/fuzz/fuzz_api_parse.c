/* fuzz_api_parse.c: the REST API's parsers of client text (ui-web/api_parse.h):
 * any bytes as an RFC 3339 date-time and as a continuation token; a token
 * made of any offset must read back to that offset, and only for its try. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui-web/api_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	int64_t us, off;
	(void)api_parse_time(s, &us);
	(void)api_token_read(s, 0x4d, 2, &off);
	int64_t o = 0;
	memcpy(&o, data, size < sizeof o ? size : sizeof o);
	if (o < 0)
		o = -(o + 1);
	char tok[96];
	api_token_make(tok, sizeof tok, o, 0x4d, 2);
	if (!api_token_read(tok, 0x4d, 2, &off) || off != o || api_token_read(tok, 0x4d, 3, &off))
		abort();
	free(s);
	return 0;
}
