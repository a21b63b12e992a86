/* filter.h: the line filter of spool-loader (Flume's regex filter and the
 * CollectDayInterceptor): keeps lines matching ^\d{14} (a hand-written fast
 * path) or a POSIX extended regex, appends ",<wrk_date>", and classifies the
 * others by reason. Works on blocks of bytes; a line cut by the block end is
 * carried over to the next call. */
#ifndef SPOOL_FILTER_H
#define SPOOL_FILTER_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "jobs/common/job.h"

enum filter_reason { FILTER_EMPTY, FILTER_PATTERN, FILTER_NUL, FILTER_TOO_LONG, FILTER_NREASONS };
extern const char *const filter_reason_names[FILTER_NREASONS];

#define FILTER_MAX_LINE (1u << 20)	/* longer lines are rejected (too_long) */

typedef struct filter {
	int use_regex;
	regex_t re;
	char suffix[16];	/* ",YYYYMMDD" */
	size_t suffix_len;
	char *carry;		/* partial line from the previous block */
	char *scratch;		/* regex mode: the line NUL-terminated */
	size_t scratch_cap;
	size_t carry_len;
	int carry_too_long;
	uint64_t kept, lines, bytes_out;
	uint64_t rejected[FILTER_NREASONS];
} filter;

/* pattern NULL (or "^\d{14}") selects the fast path. */
int filter_init(filter *f, const char *pattern, const char *wrk_date, job_err *e);
void filter_free(filter *f);
void filter_reset(filter *f);	/* new source: counters kept, carry dropped */

/* Called per kept line (raw, without newline or a trailing CR: the caller
 * appends f->suffix and "\n") and per rejected line (raw,
 * without newline); lineno is 1-based. Return -1 to stop. */
typedef int (*filter_keep_fn)(const char *line, size_t len, void *ud);
typedef int (*filter_reject_fn)(enum filter_reason why, uint64_t lineno, const char *line, size_t len, void *ud);

/* Feeds a block; at the end of a source call filter_finish (a last line
 * without a newline still counts). Return 0 or -1 if a callback stopped. */
int filter_block(filter *f, const char *data, size_t len, filter_keep_fn keep, filter_reject_fn reject, void *ud);
int filter_finish(filter *f, filter_keep_fn keep, filter_reject_fn reject, void *ud);

#endif
