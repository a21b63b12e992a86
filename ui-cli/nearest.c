/* nearest.c: "did you mean" for unknown DAG, task, option and date names, by
 * Levenshtein distance, so a typo costs one glance instead of a lookup. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>

size_t nearest_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = malloc((lb + 1) * sizeof *row);
	if (!row)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

const char *nearest_name(const char *want, const char *const *names, size_t n)
{
	size_t limit = strlen(want) / 3;
	if (limit < 2)
		limit = 2;
	const char *best = NULL;
	size_t bestd = limit + 1;
	for (size_t i = 0; i < n; i++) {
		size_t d = nearest_edit_distance(want, names[i]);
		if (d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	return best;
}

void nearest_hint(const char *want, const char *const *names, size_t n, char *buf, size_t len)
{
	const char *best = nearest_name(want, names, n);
	if (best) {
		snprintf(buf, len, "did you mean '%s'?", best);
		return;
	}
	if (n == 0) {
		snprintf(buf, len, "there are none");
		return;
	}
	size_t used = (size_t)snprintf(buf, len, "known: ");
	for (size_t i = 0; i < n && used < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", names[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (used >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
}
