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
	suggest_hint(want, names, n, buf, len);
}
