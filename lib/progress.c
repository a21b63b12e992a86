/* progress.c: see progress.h for the invariants. */
#include "lib/progress.h"

#include <time.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/logfmt.h"

/* The progress clock, read on every update: the coarse one, whose few
 * milliseconds of resolution are plenty for ten redraws a second. */
static long progress_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void progress_init(struct progress *p, int fd, double line_seconds, bool report_now)
{
	p->fd = fd;
	p->tty = isatty(fd);
	if (line_seconds <= 0)
		line_seconds = 5.0;
	p->interval_ms = p->tty ? 100 : (long)(line_seconds * 1000);
	atomic_store(&p->next_ms, progress_now_ms() + (report_now ? 0 : p->interval_ms));
	atomic_store(&p->bar_drawn, false);
}

bool progress_due(struct progress *p)
{
	long now = progress_now_ms();
	long next = atomic_load(&p->next_ms);
	if (now < next)
		return false;
	return atomic_compare_exchange_strong(&p->next_ms, &next, now + p->interval_ms);
}

void progress_bar(struct progress *p, const char *label, double fraction, const char *text, bool final)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "\r\033[K%s", label);
	if (fraction >= 0) {
		if (fraction > 1)
			fraction = 1;
		int fill = (int)(fraction * 30);
		buf_puts(&b, " [");
		for (int i = 0; i < 30; i++)
			buf_putc(&b, i < fill ? '#' : '.');
		buf_printf(&b, "] %3.0f%%", fraction * 100);
	}
	if (text && *text)
		buf_printf(&b, " %s", text);
	if (final)
		buf_putc(&b, '\n');
	logfmt_write(p->fd, b.s, b.len);	/* one write: a bar is never torn */
	buf_free(&b);
	atomic_store(&p->bar_drawn, !final);
}

bool progress_take_bar(struct progress *p)
{
	return atomic_exchange(&p->bar_drawn, false);
}
