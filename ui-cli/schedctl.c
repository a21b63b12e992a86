/* schedctl.c: the command-line front of the scheduler: one table of
 * subcommands (like git.c), each in its own cmd_<name>.c. main only finds the
 * state file (--state, $SCHED_STATE, the daemon's default) and the output
 * manners (colour only on a terminal and never with NO_COLOR), then hands the
 * rest of argv to the subcommand. schedctl never runs tasks (except `test`):
 * it reads the state file and writes requests the daemon acts on. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scheduler/wake.h"

static const struct cmd commands[] = {
	{ "dags", cmd_dags, "every DAG: schedule, paused, last run, next run, file errors" },
	{ "validate", cmd_validate, "check DAG files (file:line:column for every problem)" },
	{ "trigger", cmd_trigger, "create a manual run for a logical date" },
	{ "backfill", cmd_backfill, "create runs for every schedule interval in a date range" },
	{ "clear", cmd_clear, "reprocess one date partition: run task instances again" },
	{ "stop", cmd_stop, "stop a run: kill its running tries, it ends failed" },
	{ "mark", cmd_mark, "set task instances to success or failed without running them" },
	{ "delete", cmd_delete, "remove a finished run with its tries, events and logs" },
	{ "runs", cmd_runs, "the runs of a DAG" },
	{ "status", cmd_status, "the task instances of one run" },
	{ "logs", cmd_logs, "the log of one try of a task" },
	{ "events", cmd_events, "the event log: every state change and its cause (--follow)" },
	{ "pause", cmd_pause, "stop creating and starting runs of a DAG" },
	{ "unpause", cmd_unpause, "resume a paused DAG" },
	{ "test", cmd_test, "run one task in the foreground, recording nothing" },
	{ "graph", cmd_graph, "the dependency tree of a DAG (text or --dot)" },
	{ "grid", cmd_grid, "the last runs by task, one cell per state" },
	{ "db", cmd_db, "maintenance of the state file: db clean deletes old history" },
	{ "notifications", cmd_notifications, "the alerts outbox: pending, delivered, given up (--failed)" },
	{ "datasets", cmd_datasets, "datasets: last events, producers, consumers (docs/datasets.md)" },
	{ "pools", cmd_pools, "pools: list, set NAME SLOTS, delete NAME (docs/pools.md)" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: schedctl [--state PATH] <command> [options]\n\n"
		   "The state file is --state PATH, else $SCHED_STATE, else %s.\n\ncommands:\n",
		SCHED_DEFAULT_STATE);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'schedctl <command> --help' describes a command's options.\n"
		   "Exit codes: 0 ok, 1 failed or not found, 2 usage.\n");
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	cli.state_path = getenv("SCHED_STATE");
	if (!cli.state_path || !*cli.state_path)
		cli.state_path = SCHED_DEFAULT_STATE;
	cli.tty_out = isatty(STDOUT_FILENO);
	cli.tty_in = isatty(STDIN_FILENO);
	const char *nc = getenv("NO_COLOR");
	cli.color = cli.tty_out && !(nc && *nc);

	/* Global options come before the command (git-style), so that a
	 * command's own flags (runs --state S) never collide with them. */
	int i = 1;
	while (i < argc && strncmp(argv[i], "--state", 7) == 0) {
		if (strcmp(argv[i], "--state") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "schedctl: --state needs a value (PATH)\n");
				return SC_USAGE;
			}
			cli.state_path = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--state=", 8) == 0) {
			cli.state_path = argv[i] + 8;
			i++;
		} else {
			break;
		}
	}
	argv += i - 1;
	argc -= i - 1;

	if (argc < 2) {
		usage(stderr);
		return SC_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return SC_OK;
	}
	const char *names[sizeof commands / sizeof commands[0]];
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		names[i] = commands[i].name;
		if (strcmp(argv[1], commands[i].name) == 0) {
			int rc = commands[i].fn(&cli, argc - 1, argv + 1);
			/* After the command closed the store: what it wrote is
			 * committed, and a running daemon acts on it now. */
			if (cli.wrote)
				wake_daemon(cli.state_path);
			return rc;
		}
	}
	char hint[512];
	nearest_hint(argv[1], names, sizeof names / sizeof names[0], hint, sizeof hint);
	fprintf(stderr, "schedctl: unknown command '%s'; %s\n", argv[1], hint);
	return SC_USAGE;
}
