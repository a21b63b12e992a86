/* fuzz_mapindex.c: mapped instance names (scheduler/mapindex.c), the
 * parser every view and the daemon use on task_id columns. Invariants: an
 * instance name formats back to itself (one name per instance); a task
 * length and index in range; map_name_compare is antisymmetric and orders a
 * task before its instances, its instances by index. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/mapindex.h"

static int sign(int v) { return (v > 0) - (v < 0); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256)
		return 0;
	char name[257];
	memcpy(name, data, size);
	name[size] = '\0';
	size_t len;
	int index;
	if (map_name_parse(name, &len, &index)) {
		if (len == 0 || len >= strlen(name) || index < 0 || index > MAP_INDEX_MAX)
			abort();
		char task[257], back[300];
		memcpy(task, name, len);
		task[len] = '\0';
		if (map_name_format(back, sizeof back, task, index) != 0 || strcmp(back, name) != 0)
			abort();	/* not canonical: two names for one instance */
		if (map_name_compare(task, name) >= 0 || map_name_compare(name, task) <= 0)
			abort();	/* the task before its instances */
		if (index < MAP_INDEX_MAX && map_name_format(back, sizeof back, task, index + 1) == 0 &&
		    map_name_compare(name, back) >= 0)
			abort();	/* by index: x[2] before x[10] */
	} else if (index != -1 || len != strlen(name) || map_name_index(name) != -1) {
		abort();
	}
	/* Antisymmetry against a split of the input into two names. */
	const char *b = memchr(name, '|', strlen(name));
	if (b) {
		char a[257];
		memcpy(a, name, (size_t)(b - name));
		a[b - name] = '\0';
		if (sign(map_name_compare(a, b + 1)) != -sign(map_name_compare(b + 1, a)))
			abort();
	}
	return 0;
}
