/* t2k_line.c: the line filter and key extraction of tail2kafka (t2k_line.h).
 * regexec runs with REG_STARTEND, so a line is matched in place in the read
 * buffer without copying it. */
#include "jobs/tail2kafka/t2k_line.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int t2k_filter_init(struct t2k_filter *f, const char *pattern, char *err, size_t errsz)
{
	size_t n = strlen(pattern);
	char *p = malloc(n * 3 + 1), *o = p;
	if (!p) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (pattern[i] == '\\' && i + 1 < n && pattern[i + 1] == 'd') {
			memcpy(o, "[0-9]", 5);
			o += 5;
			i++;
		} else if (pattern[i] == '\\' && i + 1 < n) {
			*o++ = pattern[i++];
			*o++ = pattern[i];
		} else
			*o++ = pattern[i];
	}
	*o = 0;
	/* The default pattern is on the hot path (one call per line): recognise
	 * ^[0-9]{N} and test the digits directly; same answer as regexec. */
	int n_digits = 0, used = 0;
	f->digits = 0;
	if (sscanf(p, "^[0-9]{%d}%n", &n_digits, &used) == 1 && p[7] >= '0' && p[7] <= '9' && p[used] == 0 && n_digits > 0 && n_digits < 1000)
		f->digits = n_digits;
	int rc = regcomp(&f->re, p, REG_EXTENDED | REG_NOSUB);
	free(p);
	if (rc) {
		char msg[256];
		regerror(rc, &f->re, msg, sizeof msg);
		snprintf(err, errsz, "%s", msg);
		return -1;
	}
	return 0;
}

void t2k_filter_free(struct t2k_filter *f)
{
	regfree(&f->re);
}

int t2k_filter_match(const struct t2k_filter *f, char *line, size_t len)
{
	if (f->digits) {
		if (len < (size_t)f->digits)
			return 0;
		for (int i = 0; i < f->digits; i++)
			if (line[i] < '0' || line[i] > '9')
				return 0;
		return 1;
	}
	regmatch_t m = {.rm_so = 0, .rm_eo = (regoff_t)len};
	return regexec(&f->re, line, 1, &m, REG_STARTEND) == 0;
}

int t2k_key_field(const char *line, size_t len, int field, const char **start, size_t *flen)
{
	const char *p = line, *end = line + len;
	for (int i = 1; i < field; i++) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		if (!c)
			return -1;
		p = c + 1;
	}
	const char *c = memchr(p, ',', (size_t)(end - p));
	*start = p;
	*flen = (size_t)((c ? c : end) - p);
	return 0;
}
