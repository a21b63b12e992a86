/* suggest.h: "did you mean ...?" for misspelt keys, task ids and template
 * names, by edit distance, shared by the DAG loader and the template checker. */
#ifndef SCHED_SUGGEST_H
#define SCHED_SUGGEST_H

#include <stddef.h>

/* The candidate closest to word by Levenshtein distance, or NULL if none is
 * close enough to be a likely typo (distance <= 2, or <= len/3 for long words).
 * cands is an array of n strings; NULL entries are skipped. */
const char *suggest_nearest(const char *word, const char *const *cands, size_t n);

/* Edit distance between a and b (insert, delete, substitute, adjacent swap). */
size_t suggest_distance(const char *a, const char *b);

#endif
