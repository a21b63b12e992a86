/* mapindex.c: parses and formats mapped instance names "NAME[N]"
 * (scheduler/mapindex.h has the invariant). No allocation, no locale. */
#include "scheduler/mapindex.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int mapindex_is_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '.' || c == '-';
}

int map_name_parse(const char *name, size_t *task_len, int *index)
{
	size_t len = name != NULL ? strlen(name) : 0;
	if (task_len != NULL)
		*task_len = len;
	if (index != NULL)
		*index = -1;
	if (len < 4 || name[len - 1] != ']')
		return 0;
	const char *open = memchr(name, '[', len);
	if (open == NULL || open == name)
		return 0;
	for (const char *p = name; p < open; p++)
		if (!mapindex_is_id_char(*p))
			return 0;
	const char *digits = open + 1, *end = name + len - 1;
	if (digits == end || (*digits == '0' && end - digits > 1))
		return 0;
	long v = 0;
	for (const char *p = digits; p < end; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (*p - '0');
		if (v > MAP_INDEX_MAX)
			return 0;
	}
	if (task_len != NULL)
		*task_len = (size_t)(open - name);
	if (index != NULL)
		*index = (int)v;
	return 1;
}

int map_name_format(char *buf, size_t len, const char *task, int index)
{
	if (len > 0)
		buf[0] = '\0';
	if (task == NULL || task[0] == '\0' || index < 0 || index > MAP_INDEX_MAX) {
		errno = EINVAL;
		return -1;
	}
	int n = snprintf(buf, len, "%s[%d]", task, index);
	if (n < 0 || (size_t)n >= len) {
		if (len > 0)
			buf[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int map_name_index(const char *name)
{
	int index;
	map_name_parse(name, NULL, &index);
	return index;
}

int map_name_compare(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	size_t la, lb;
	int ia, ib;
	map_name_parse(a, &la, &ia);
	map_name_parse(b, &lb, &ib);
	size_t common = la < lb ? la : lb;
	int c = memcmp(a, b, common);
	if (c != 0)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;	/* "x" before "xy": strcmp's order of the task ids */
	return ia < ib ? -1 : ia > ib;
}
