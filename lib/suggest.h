/* suggest.h: "did you mean ...?" for misspelt keys, task ids, template names
 * and option names, by edit distance: the DAG loader, the template checker and
 * every program's option parser (lib/options.h) agree on what is a typo. */
#ifndef BASE_SUGGEST_H
#define BASE_SUGGEST_H

#include <stddef.h>

/* The candidate closest to word by Levenshtein distance, or NULL if none is
 * close enough to be a likely typo (distance <= 2, or <= len/3 for long words).
 * cands is an array of n strings; NULL entries are skipped. */
const char *suggest_nearest(const char *word, const char *const *cands, size_t n);

/* Writes "did you mean 'x'?" (the nearest of names to want) or, when none is
 * near, "known: a, b, c" (cut with "..." to fit len), or "there are none". */
void suggest_hint(const char *want, const char *const *names, size_t n, char *buf, size_t len);

/* Edit distance between a and b (insert, delete, substitute, adjacent swap). */
size_t suggest_distance(const char *a, const char *b);

#endif
