/* schedulerd.c: the daemon's command line. Every option also has an
 * environment variable; the command line wins. Runs in the foreground and
 * logs logfmt lines to stderr, so systemd (or any supervisor) manages it. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scheduler/daemon.h"
#include "scheduler/dag_parse.h"
#include "scheduler/duration.h"
#include "lib/logfmt.h"
#include "scheduler/slog.h"

int daemon_run(const struct daemon_config *cfg);

static void usage(FILE *f)
{
	fprintf(f,
		"usage: schedulerd [--dags DIR] [--state FILE] [--logs DIR] [--parallelism N]\n"
		"                  [--kill-grace DUR] [--drain-timeout DUR] [--paused-on-create]\n"
		"                  [--sync normal|full] [--log-level debug|info|warn|error]\n"
		"                  [--max-dag-size SIZE] [--max-dag-depth N] [--parse-timeout DUR]\n"
		"\n"
		"  --dags DIR           DAG files (*.yaml, *.yml)      $SCHED_DAGS   (./dags)\n"
		"  --state FILE         SQLite state file              $SCHED_STATE  (./sched-state.db)\n"
		"  --logs DIR           task logs                      $SCHED_LOGS   (./logs)\n"
		"  --parallelism N      task processes at once         $SCHED_PARALLELISM (2 x cores)\n"
		"  --kill-grace DUR     SIGTERM -> SIGKILL             $SCHED_KILL_GRACE (10s)\n"
		"  --drain-timeout DUR  on SIGTERM, wait for tries     $SCHED_DRAIN_TIMEOUT (30s)\n"
		"  --paused-on-create   new DAGs start paused          $SCHED_PAUSED_ON_CREATE=1\n"
		"  --sync MODE          normal: safe against process crashes (default);\n"
		"                       full: also against power loss  $SCHED_SYNC\n"
		"  --log-level LEVEL    $SCHED_LOG_LEVEL (info)\n"
		"  --max-dag-size SIZE  largest DAG file: bytes, or with K, M (KiB, MiB)\n"
		"                                                      $SCHED_MAX_DAG_SIZE (8M)\n"
		"  --max-dag-depth N    deepest YAML nesting in a DAG file\n"
		"                                                      $SCHED_MAX_DAG_DEPTH (32)\n"
		"  --parse-timeout DUR  time to parse one DAG file (0: none)\n"
		"                                                      $SCHED_PARSE_TIMEOUT (30s)\n");
}

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && *v ? v : dflt;
}

static int parse_dur(const char *flag, const char *v, int64_t *out)
{
	char err[256];
	if (duration_parse(v, out, err, sizeof err) < 0) {
		fprintf(stderr, "schedulerd: %s: %s\n", flag, err);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* The DAG parse worker: this executable again (dag_parse.h). */
	if (argc >= 2 && strcmp(argv[1], "--parse-dags") == 0)
		return dag_parse_child_main(argc - 2, argv + 2);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	char par_default[32];
	snprintf(par_default, sizeof par_default, "%ld", cores > 0 ? 2 * cores : 4);
	const char *dags = env_or("SCHED_DAGS", "./dags"), *state = env_or("SCHED_STATE", "./sched-state.db");
	const char *logs = env_or("SCHED_LOGS", "./logs"), *par = env_or("SCHED_PARALLELISM", par_default);
	const char *grace = env_or("SCHED_KILL_GRACE", "10s"), *drain = env_or("SCHED_DRAIN_TIMEOUT", "30s");
	const char *sync = env_or("SCHED_SYNC", "normal"), *level = env_or("SCHED_LOG_LEVEL", "info");
	bool paused = strcmp(env_or("SCHED_PAUSED_ON_CREATE", "0"), "1") == 0;
	const char *max_size = env_or("SCHED_MAX_DAG_SIZE", "8M"), *max_depth = env_or("SCHED_MAX_DAG_DEPTH", "32");
	const char *parse_timeout = env_or("SCHED_PARSE_TIMEOUT", "30s");
	static const struct option opts[] = {
		{ "dags", required_argument, 0, 'd' }, { "state", required_argument, 0, 's' },
		{ "logs", required_argument, 0, 'l' }, { "parallelism", required_argument, 0, 'p' },
		{ "kill-grace", required_argument, 0, 'g' }, { "drain-timeout", required_argument, 0, 'D' },
		{ "paused-on-create", no_argument, 0, 'P' }, { "sync", required_argument, 0, 'S' },
		{ "log-level", required_argument, 0, 'L' }, { "help", no_argument, 0, 'h' },
		{ "max-dag-size", required_argument, 0, 'B' }, { "max-dag-depth", required_argument, 0, 'N' },
		{ "parse-timeout", required_argument, 0, 'T' }, { 0, 0, 0, 0 }
	};
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dags = optarg; break;
		case 's': state = optarg; break;
		case 'l': logs = optarg; break;
		case 'p': par = optarg; break;
		case 'g': grace = optarg; break;
		case 'D': drain = optarg; break;
		case 'P': paused = true; break;
		case 'S': sync = optarg; break;
		case 'L': level = optarg; break;
		case 'B': max_size = optarg; break;
		case 'N': max_depth = optarg; break;
		case 'T': parse_timeout = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "schedulerd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	struct daemon_config cfg = { .dags_dir = dags, .state_path = state, .logs_dir = logs,
				     .paused_on_create = paused };
	char *end;
	long p = strtol(par, &end, 10);
	if (*end || p < 1 || p > 100000) {
		fprintf(stderr, "schedulerd: --parallelism: '%s' is not a number from 1 to 100000\n", par);
		return 2;
	}
	cfg.parallelism = (int)p;
	if (parse_dur("--kill-grace", grace, &cfg.grace_ms) < 0 || parse_dur("--drain-timeout", drain, &cfg.drain_ms) < 0)
		return 2;
	if (parse_dur("--parse-timeout", parse_timeout, &cfg.parse_timeout_ms) < 0)
		return 2;
	struct dag_limits lim = { 0 };
	char lerr[256];
	if (dag_limits_parse(&lim, max_size, max_depth, lerr, sizeof lerr) < 0) {
		fprintf(stderr, "schedulerd: %s\n", lerr);
		return 2;
	}
	cfg.max_dag_bytes = lim.max_bytes;
	cfg.max_dag_depth = lim.max_depth;
	if (strcmp(sync, "full") == 0)
		cfg.sync_full = true;
	else if (strcmp(sync, "normal") != 0) {
		fprintf(stderr, "schedulerd: --sync: '%s' is not normal or full\n", sync);
		return 2;
	}
	int lv = logfmt_level_parse(level);
	if (lv < 0) {
		fprintf(stderr, "schedulerd: --log-level: '%s' is not debug, info, warn or error\n", level);
		return 2;
	}
	slog_min_level = (enum slog_level)lv;
	if (access(dags, R_OK | X_OK) < 0) {
		fprintf(stderr, "schedulerd: --dags: cannot read directory '%s'\n", dags);
		return 2;
	}
	return daemon_run(&cfg);
}
