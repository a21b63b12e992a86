/* api_parse.h: the REST API's parsers of text that comes from a client and is
 * not JSON (jansson reads that): RFC 3339 date-times and the logs'
 * continuation tokens. Pure functions, fuzzed (tests/fuzz/fuzz_api_parse.c). */
#ifndef UI_WEB_API_PARSE_H
#define UI_WEB_API_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An RFC 3339 date-time ("2026-03-01T00:00:00Z", "...T00:00:00.123+02:00";
 * without an offset: UTC; a fraction's digits past the sixth are dropped) in
 * microseconds since the epoch. 0 or -1. */
int api_parse_time(const char *s, int64_t *us);

/* A log's continuation token: "<offset>.<run row id>.<try>" in hex. It names
 * the try it belongs to, so a token of another try is refused. */
void api_token_make(char *buf, size_t len, int64_t offset, int64_t run, int try_number);
/* true and *offset when tok is a token of (run, try_number). */
bool api_token_read(const char *tok, int64_t run, int try_number, int64_t *offset);

#endif
