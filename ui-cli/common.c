/* common.c: opening the state file the way every subcommand must: never
 * creating it (a typo in --state would otherwise silently show an empty
 * scheduler), read-only for the commands that only read. */
#include "ui-cli/schedctl.h"

#include <stdarg.h>
#include <unistd.h>

void cli_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("schedctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

struct store *cli_open_store(struct cli *cli, bool write)
{
	if (access(cli->state_path, F_OK) != 0) {
		cli_err("no state file at %s (give --state PATH or set SCHED_STATE; schedulerd"
			" creates it on its first start)", cli->state_path);
		return NULL;
	}
	char err[512];
	struct store *s = store_open(cli->state_path, !write, err, sizeof err);
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
	snprintf(text, sizeof text, "%d/%d %s done%s", done, total, what, extra);
	if (p->tty)
		progress_bar(p, label, total > 0 ? (double)done / total : 1.0, text, final);
	else
		fprintf(stderr, "%s: %s\n", label, text);
}
