/* filter.c: the line filter of filter.h. The default pattern is checked by
 * hand (14 digit bytes) because a regex engine per line would cost more than
 * the copy; kept lines must not hold NUL bytes (Hive would store garbage),
 * which one memchr per block (and one per line that has one) tells. */
#include "jobs/spool-loader/filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/records.h"

const char *const filter_reason_names[FILTER_NREASONS] = { "empty", "pattern", "nul_byte", "too_long" };

int filter_init(filter *f, const char *pattern, const char *wrk_date, job_err *e)
{
	memset(f, 0, sizeof *f);
	if (pattern && strcmp(pattern, "^\\d{14}") != 0 && strcmp(pattern, "^[0-9]{14}") != 0) {
		int rc = regcomp(&f->re, pattern, REG_EXTENDED | REG_NOSUB);
		if (rc) {
			char msg[256];
			regerror(rc, &f->re, msg, sizeof msg);
			job_err_set(e, "--pattern: '%s' is not a POSIX extended regex: %s", pattern, msg);
			return -1;
		}
		f->use_regex = 1;
	}
	f->suffix_len = (size_t)snprintf(f->suffix, sizeof f->suffix, ",%s", wrk_date);
	return 0;
}

void filter_free(filter *f)
{
	if (f->use_regex)
		regfree(&f->re);
	free(f->carry);
	f->carry = NULL;
	free(f->scratch);
	f->scratch = NULL;
}

void filter_reset(filter *f)
{
	f->carry_len = 0;
	f->carry_too_long = 0;
}

/* A kept line: counted and handed on (one_line and the fast path of
 * filter_block both keep lines; the counts must not drift apart). */
static inline int keep_line(filter *f, const char *p, size_t n, filter_keep_fn keep, void *ud)
{
	f->kept++;
	f->bytes_out += n + f->suffix_len + 1;
	return keep(p, n, ud);
}

/* has_nul: the line holds a NUL byte (known from one memchr per block) */
static int one_line(filter *f, const char *p, size_t n, int has_nul, filter_keep_fn keep, filter_reject_fn reject,
		    void *ud)
{
	f->lines++;
	/* a too-long line is passed with n = FILTER_MAX_LINE + 1 and its bytes
	 * are not all there: look at none of them */
	if (n <= FILTER_MAX_LINE && n && p[n - 1] == '\r')
		n--;
	enum filter_reason why;
	if (n == 0) {
		why = FILTER_EMPTY;
	} else if (n > FILTER_MAX_LINE) {
		why = FILTER_TOO_LONG;
	} else {
		int match;
		if (f->use_regex) {
			/* a NUL-terminated copy: regexec may read up to a NUL whatever
			 * REG_STARTEND says (sanitizers check that it can) */
			if (n + 1 > f->scratch_cap) {
				char *s = realloc(f->scratch, n + 1);
				if (!s)
					return -1;
				f->scratch = s;
				f->scratch_cap = n + 1;
			}
			memcpy(f->scratch, p, n);
			f->scratch[n] = 0;
			regmatch_t m[1] = { { 0, (regoff_t)n } };
			match = regexec(&f->re, f->scratch, 0, m, REG_STARTEND) == 0;
		} else {
			match = rec_has_timestamp(p, n);
		}
		if (!match)
			why = FILTER_PATTERN;
		else if (has_nul)
			why = FILTER_NUL;
		else
			return keep_line(f, p, n, keep, ud);
	}
	f->rejected[why]++;
	return reject(why, f->lines, p, n > FILTER_MAX_LINE ? 0 : n, ud);
}

int filter_block(filter *f, const char *data, size_t len, filter_keep_fn keep, filter_reject_fn reject, void *ud)
{
	const char *p = data, *end = data + len;
	if (f->carry_len || f->carry_too_long) {
		const char *nl = memchr(p, '\n', len);
		size_t take = nl ? (size_t)(nl - p) : len;
		if (!f->carry_too_long) {
			if (f->carry_len + take > FILTER_MAX_LINE) {
				f->carry_too_long = 1;
			} else {
				char *c = realloc(f->carry, f->carry_len + take + 1);
				if (!c)
					return -1;
				f->carry = c;
				memcpy(c + f->carry_len, p, take);
				f->carry_len += take;
			}
		}
		if (!nl)
			return 0;
		int rc = f->carry_too_long
				 ? one_line(f, f->carry, FILTER_MAX_LINE + 1, 0, keep, reject, ud)
				 : one_line(f, f->carry, f->carry_len, memchr(f->carry, 0, f->carry_len) != NULL, keep,
					    reject, ud);
		f->carry_len = 0;
		f->carry_too_long = 0;
		if (rc < 0)
			return -1;
		p = nl + 1;
	}
	/* NUL bytes are rare: find the next one per block, not per line */
	const char *nul = p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			size_t rest = (size_t)(end - p);
			if (rest > FILTER_MAX_LINE) {
				f->carry_too_long = 1;
				return 0;
			}
			char *c = realloc(f->carry, rest + 1);
			if (!c)
				return -1;
			f->carry = c;
			memcpy(c, p, rest);
			f->carry_len = rest;
			return 0;
		}
		size_t n = (size_t)(nl - p);
		int has_nul = nul && nul < nl;	/* nul is never before p */
		if (has_nul)
			nul = memchr(nl + 1, 0, (size_t)(end - nl - 1));
		if (!f->use_regex && !has_nul && n >= 14 && n <= FILTER_MAX_LINE && p[n - 1] != '\r' &&
		    rec_has_timestamp(p, n)) {
			/* the usual line, kept by the default pattern, without a call */
			f->lines++;
			if (keep_line(f, p, n, keep, ud) < 0)
				return -1;
		} else if (one_line(f, p, n, has_nul, keep, reject, ud) < 0) {
			return -1;
		}
		p = nl + 1;
	}
	return 0;
}

int filter_finish(filter *f, filter_keep_fn keep, filter_reject_fn reject, void *ud)
{
	int rc = 0;
	if (f->carry_too_long)
		rc = one_line(f, f->carry ? f->carry : "", FILTER_MAX_LINE + 1, 0, keep, reject, ud);
	else if (f->carry_len)
		rc = one_line(f, f->carry, f->carry_len, memchr(f->carry, 0, f->carry_len) != NULL, keep, reject, ud);
	filter_reset(f);
	return rc;
}
