/* rowstore_regex.h: regexes of row-store filters. HBase's RegexStringComparator
 * is Java regex searched with find(); we use POSIX extended regexes (searched
 * too), accepting Java's \d \D \w \W \s \S shorthands users type from habit. */
#ifndef JOBS_ROWSTORE_REGEX_H
#define JOBS_ROWSTORE_REGEX_H

#include <regex.h>
#include <stddef.h>

/* 0 on success; otherwise the message in errbuf and re is not to be freed. */
int rowstore_regcomp(regex_t *re, const char *pattern, char *errbuf, size_t errlen);
/* 1 when the regex matches somewhere in s. */
int rowstore_regsearch(const regex_t *re, const char *s);

#endif
