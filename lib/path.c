/* path.c: see path.h for the invariants. */
#include "lib/path.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

static const char *component_problem(const char *s, size_t n)
{
	if (n == 0)
		return "is empty";
	if (n > PATH_NAME_MAX)
		return "is longer than 250 bytes";
	bool only_dots = true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '/')
			return "contains '/'";
		if (c < 0x20 || c == 0x7f)
			return "contains a control character";
		if (c != '.')
			only_dots = false;
	}
	return only_dots ? "is made only of dots" : NULL;
}

const char *path_name_problem(const char *name)
{
	return component_problem(name, strlen(name));
}

int path_join_under(char *out, size_t outlen, const char *root, const char *rel)
{
	if (outlen)
		out[0] = '\0';
	if (!*root || !*rel || *rel == '/') {
		errno = EINVAL;
		return -1;
	}
	for (const char *p = rel;;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (component_problem(p, n)) {
			errno = EINVAL;
			return -1;
		}
		if (!e)
			break;
		p = e + 1;
	}
	size_t rl = strlen(root), ll = strlen(rel);
	bool slash = rl && root[rl - 1] == '/';
	size_t need = rl + (slash ? 0 : 1) + ll;
	if (need >= outlen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(out, root, rl);
	if (!slash)
		out[rl++] = '/';
	memcpy(out + rl, rel, ll + 1);
	return 0;
}
