/* nearest.c: the "did you mean" sentences of schedctl for unknown DAG, task,
 * command and option names: the nearest name by edit distance (the loader's
 * suggest_nearest, so the CLI and the loader agree on what is a typo), else
 * the list of names that exist. */
#include "ui-cli/schedctl.h"

#include <string.h>

#include "lib/suggest.h"

const char *nearest_name(const char *want, const char *const *names, size_t n)
{
	return suggest_nearest(want, names, n);
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
