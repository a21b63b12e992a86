/* common.c: opening the state file the way every subcommand must: never
 * creating it (a typo in --state would otherwise silently show an empty
 * scheduler), read-only for the commands that only read. */
#include "ui-cli/schedctl.h"

#include "lib/buf.h"
#include "lib/termsafe.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

/* Escaped copies live in a ring: a printf may hold TSAFE_SLOTS of them at
 * once; the oldest is freed when the ring comes round. A clean string (the
 * usual case) is returned as it is and costs nothing. */
#define TSAFE_SLOTS 16

const char *tsafe(const char *s)
{
	static char *ring[TSAFE_SLOTS];
	static size_t next;
	if (!s || termsafe_is_clean(s))
		return s;
	size_t i = next++ % TSAFE_SLOTS;
	free(ring[i]);
	ring[i] = termsafe_dup(s);
	return ring[i];
}

void cli_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct buf b = BUF_INIT;
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	fprintf(stderr, "schedctl: %s\n", tsafe(buf_str(&b)));	/* the message quotes names from files */
	buf_free(&b);
}

struct store *cli_open_store(struct cli *cli, bool write)
{
	if (access(cli->state_path, F_OK) != 0) {
		cli_err("no state file at %s (give --state PATH or set SCHED_STATE; schedulerd"
			" creates it on its first start)", cli->state_path);
		return NULL;
	}
	char err[512];
	struct store *s = store_open(cli->state_path, write ? STORE_WRITE : STORE_READ, err, sizeof err);
	if (!s)
		cli_err("%s", err);
	else if (write)
		cli->wrote = true;
	return s;
}

struct store *cli_open_dag(struct cli *cli, bool write, const char *name, struct query_dag *d)
{
	struct store *s = cli_open_store(cli, write);
	if (!s)
		return NULL;
	char err[1024];
	if (meta_load(s, name, d, err, sizeof err) != Q_OK) {
		cli_err("%s", err);
		store_close(s);
		return NULL;
	}
	return s;
}

void cli_progress_show(struct progress *p, const char *label, int done, int total, const char *what,
		       const char *extra, bool final)
{
	if (!final && !progress_due(p))
		return;
	char text[256];
	snprintf(text, sizeof text, "%d/%d %s done%s", done, total, what, tsafe(extra));
	if (p->tty)
		progress_bar(p, label, total > 0 ? (double)done / total : 1.0, text, final);
	else
		fprintf(stderr, "%s: %s\n", tsafe(label), text);
}

const char *cli_actor(void)
{
	const struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return pw->pw_name;
	const char *u = getenv("USER");
	return u && *u ? u : "unknown";
}
