/* logpath.c: see logpath.h for the invariant. */
#include "scheduler/logpath.h"

#include <errno.h>
#include <stdio.h>

#include "lib/path.h"

int logpath_try_base(char *buf, size_t len, const char *logs_dir, const char *dag_id, const char *date,
		     const char *task_id, int try_number)
{
	if (len)
		buf[0] = '\0';
	const char *names[] = { dag_id, date, task_id };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (path_name_problem(names[i])) {
			errno = EINVAL;	/* a '/' inside a name would pass the join as two names */
			return -1;
		}
	char rel[3 * PATH_NAME_MAX + 32];
	snprintf(rel, sizeof rel, "%s/%s/%s/try-%d", dag_id, date, task_id, try_number);
	return path_join_under(buf, len, logs_dir, rel);
}
