/* rowstore_regex.c: POSIX extended regexes with Java's shorthand classes
 * translated first (see rowstore_regex.h). */
#include "jobs/common/rowstore_regex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *shorthand(char c, int in_bracket)
{
	switch (c) {
	case 'd': return in_bracket ? "0-9" : "[0-9]";
	case 'D': return in_bracket ? NULL : "[^0-9]";
	case 'w': return in_bracket ? "A-Za-z0-9_" : "[A-Za-z0-9_]";
	case 'W': return in_bracket ? NULL : "[^A-Za-z0-9_]";
	case 's': return in_bracket ? "[:space:]" : "[[:space:]]";
	case 'S': return in_bracket ? NULL : "[^[:space:]]";
	default: return NULL;
	}
}

int rowstore_regcomp(regex_t *re, const char *pattern, char *errbuf, size_t errlen)
{
	size_t n = strlen(pattern);
	char *out = malloc(n * 14 + 1), *o = out;
	if (!out) {
		snprintf(errbuf, errlen, "out of memory");
		return -1;
	}
	int in_bracket = 0;
	for (size_t i = 0; i < n; i++) {
		char c = pattern[i];
		if (in_bracket) {
			if (c == ']' && !(o > out && (o[-1] == '[' || (o[-1] == '^' && o - 1 > out && o[-2] == '[')))) {
				in_bracket = 0;
				*o++ = c;
			} else if (c == '\\' && i + 1 < n) {
				const char *s = shorthand(pattern[i + 1], 1);
				if (s) {
					o = stpcpy(o, s);
				} else {
					*o++ = pattern[i + 1];	/* Java escapes a literal */
				}
				i++;
			} else {
				*o++ = c;
			}
		} else if (c == '\\' && i + 1 < n) {
			const char *s = shorthand(pattern[i + 1], 0);
			if (s) {
				o = stpcpy(o, s);
			} else {
				*o++ = c;
				*o++ = pattern[i + 1];
			}
			i++;
		} else {
			if (c == '[')
				in_bracket = 1;
			*o++ = c;
		}
	}
	*o = '\0';
	int rc = regcomp(re, out, REG_EXTENDED | REG_NOSUB);
	free(out);
	if (rc != 0) {
		char msg[200];
		regerror(rc, re, msg, sizeof msg);

		snprintf(errbuf, errlen, "bad regex '%s': %s", pattern, msg);
		return -1;
	}
	return 0;
}

int rowstore_regsearch(const regex_t *re, const char *s)
{
	return regexec(re, s, 0, NULL, 0) == 0;
}
