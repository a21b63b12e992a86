/* command.c: see command.h for the invariants. */
#include "executors/command.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/termsafe.h"

/* 1: a program execve runs as it is (an ELF file or a #! script); 0: no
 * executable there (execvp would look further); -1: an executable we cannot
 * vouch for (unreadable, or a script without #!, which execvp hands to sh). */
static int runnable(const char *path)
{
	if (access(path, X_OK) < 0)
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	unsigned char m[4];
	ssize_t n = read(fd, m, sizeof m);
	close(fd);
	return (n >= 2 && m[0] == '#' && m[1] == '!') || (n == 4 && memcmp(m, "\177ELF", 4) == 0) ? 1 : -1;
}

int exec_resolve_program(const char *name, char *const *envp, char *buf, size_t len)
{
	if (strchr(name, '/')) {
		if ((size_t)snprintf(buf, len, "%s", name) >= len)
			return -1;
		return runnable(buf) == 1 ? 0 : -1;
	}
	const char *path = "/bin:/usr/bin";
	for (char *const *e = envp; *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;
	for (const char *p = path;; p++) {
		const char *end = strchrnul(p, ':');
		int dl = (int)(end - p);
		int n = dl ? snprintf(buf, len, "%.*s/%s", dl, p, name) : snprintf(buf, len, "%s", name);
		int r = n > 0 && (size_t)n < len ? runnable(buf) : -1;
		if (r != 0)
			return r == 1 ? 0 : -1;
		if (!*end)
			return -1;
		p = end;
	}
}

/* Names from the DAG file are escaped (lib/termsafe.h): the message goes to
 * a try's log, which schedctl logs prints, or to the terminal of schedctl test. */
_Noreturn void exec_command(char *const *argv, char *const *envp, const char *cwd, const char *who)
{
	char name[1024];
	if (cwd && chdir(cwd) < 0) {
		int e = errno;
		termsafe_copy(name, sizeof name, cwd);
		dprintf(2, "%s: cannot change to directory %s: %s\n", who, name, strerror(e));
		_exit(127);
	}
	extern char **environ;
	environ = (char **)envp;	/* execvp looks argv[0] up in the try's PATH */
	execvp(argv[0], argv);
	int e = errno;
	termsafe_copy(name, sizeof name, argv[0]);
	dprintf(2, "%s: cannot run %s: %s\n", who, name, strerror(e));
	_exit(e == ENOENT || e == ENOTDIR ? 127 : 126);	/* as a shell says it: not found / not executable */
}
