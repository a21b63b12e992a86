/* logpath.c: see logpath.h for the invariant. */
#include "scheduler/logpath.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

int logpath_remove_try(const char *log_path, char *err, size_t errlen)
{
	int rc = 0;
	char base[4200];
	snprintf(base, sizeof base, "%s", log_path);
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".log") == 0)
		base[n - 4] = '\0';
	const char *exts[] = { ".log", ".sup" };
	for (size_t i = 0; i < 2; i++) {
		char p[4300];
		snprintf(p, sizeof p, "%s%s", base, exts[i]);
		if (unlink(p) != 0 && errno != ENOENT && rc == 0) {
			snprintf(err, errlen, "%s: %s (left in place)", p, strerror(errno));
			rc = -1;
		}
	}
	for (int up = 0; up < 2; up++) {	/* <task>/ then <date>/ */
		char *slash = strrchr(base, '/');
		if (!slash || slash == base)
			break;
		*slash = '\0';
		if (rmdir(base) != 0)
			break;	/* not empty (other tries, other tasks) or gone: fine */
	}
	return rc;
}
