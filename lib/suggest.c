/* suggest.c: nearest-word suggestions for error messages.
 *
 * Optimal string alignment distance (Levenshtein plus adjacent swaps, so
 * "depedns_on" is one typo away from "depends_on"). Words here are short (keys,
 * task ids), so the O(len^2) table on the stack is fine; longer words are
 * compared on their first 63 bytes. suggest_nearest skips a candidate whose
 * length alone puts it out of reach (the distance is at least the difference
 * of the lengths), so most candidates cost a strlen, not a table. */
#include "lib/suggest.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SUGGEST_MAX 64

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

size_t suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la >= SUGGEST_MAX)
		la = SUGGEST_MAX - 1;
	if (lb >= SUGGEST_MAX)
		lb = SUGGEST_MAX - 1;
	size_t d[SUGGEST_MAX][SUGGEST_MAX];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb];
}

const char *suggest_nearest(const char *word, const char *const *cands, size_t n)
{
	size_t len = strlen(word);
	size_t limit = len / 3 > 2 ? len / 3 : 2;
	if (len <= 2)
		limit = 1;
	const char *best = NULL;
	size_t bestd = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		size_t lc = strlen(cands[i]);
		if ((lc > len ? lc - len : len - lc) > limit)
			continue;	/* too long or too short to be a typo of word */
		if (!strcasecmp(word, cands[i]))
			return cands[i];	/* only the case differs: surely meant */
		size_t dist = suggest_distance(word, cands[i]);
		if (dist < bestd) {
			bestd = dist;
			best = cands[i];
		}
	}
	return bestd <= limit ? best : NULL;
}

void suggest_hint(const char *want, const char *const *names, size_t n, char *buf, size_t len)
{
	const char *best = suggest_nearest(want, names, n);
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
