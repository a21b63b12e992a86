/* srcmap.c: see srcmap.h. A SIGBUS raised while a thread runs srcmap_run
 * jumps back to that call (the jump buffer is per thread); any other SIGBUS
 * gets the default action back and kills the process as before. */
#include "jobs/spool-loader/srcmap.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int srcmap_open(srcmap *m, const char *path, job_err *e)
{
	memset(m, 0, sizeof *m);
	m->data = "";
	m->fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (m->fd < 0 || fstat(m->fd, &sb) < 0) {
		job_err_set(e, "open %s: %s", path, strerror(errno));
		if (m->fd >= 0)
			close(m->fd);
		m->fd = -1;
		return -1;
	}
	m->size = (size_t)sb.st_size;
	if (!m->size)
		return 0;	/* mmap refuses length 0 */
	void *p = mmap(NULL, m->size, PROT_READ, MAP_SHARED, m->fd, 0);
	if (p == MAP_FAILED) {
		job_err_set(e, "mmap %s: %s", path, strerror(errno));
		close(m->fd);
		m->fd = -1;
		return -1;
	}
	madvise(p, m->size, MADV_SEQUENTIAL);
	m->data = p;
	m->maplen = m->size;
	return 0;
}

void srcmap_close(srcmap *m)
{
	if (m->maplen)
		munmap((void *)m->data, m->maplen);
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	m->data = "";
	m->maplen = 0;
}

static _Thread_local sigjmp_buf *bus_jump;
static pthread_once_t bus_once = PTHREAD_ONCE_INIT;

static void on_sigbus(int sig)
{
	if (bus_jump)
		siglongjmp(*bus_jump, 1);
	/* not a source read: returning re-raises it with the default action */
	signal(sig, SIG_DFL);
}

static void bus_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

/* separate from srcmap_run so that nothing live in the caller's frame is
 * modified between sigsetjmp and a jump back */
static int run_guarded(int (*fn)(void *), void *arg, sigjmp_buf *jb)
{
	bus_jump = jb;
	int rc = fn(arg);
	bus_jump = NULL;
	return rc;
}

int srcmap_run(int (*fn)(void *arg), void *arg)
{
	pthread_once(&bus_once, bus_install);
	sigjmp_buf jb;
	if (sigsetjmp(jb, 1)) {	/* 1: unblock SIGBUS again on the way back */
		bus_jump = NULL;
		return SRCMAP_FAULT;
	}
	return run_guarded(fn, arg, &jb);
}
