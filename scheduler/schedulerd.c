/* schedulerd.c: the daemon's command line. Every option also has an
 * environment variable; the command line wins. Runs in the foreground and
 * logs logfmt lines to stderr, so systemd (or any supervisor) manages it.
 *
 * File modes: the state file holds --param values (secrets, sometimes), the
 * logs hold what tasks print. So before anything is created the umask gets
 * 077 added (027 with --group-read): the state file, its -wal and -shm (SQLite
 * gives them the database's mode), the lock, the wake FIFO, the --logs
 * directories and the tries' logs are 0600/0700 (0640/0750), whatever the
 * code asks for. Tasks inherit that umask. A stricter umask is kept. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/options.h"
#include "scheduler/daemon.h"
#include "scheduler/dag_parse.h"
#include "scheduler/duration.h"
#include "scheduler/notify_send.h"
#include "scheduler/retain.h"
#include "lib/logfmt.h"
#include "scheduler/slog.h"

int daemon_run(const struct daemon_config *cfg);

/* A file made before (by an older version, or under another umask) keeps its
 * mode: say so when it is wider than mask allows. */
static void warn_wide(const char *path, mode_t mask)
{
	struct stat st;
	if (stat(path, &st) == 0 && (st.st_mode & 0777 & mask))
		slog(SLOG_WARN, "file_mode_too_wide", "file=%s mode=%04o allowed=%04o", path,
		     (unsigned)(st.st_mode & 0777), (unsigned)((S_ISDIR(st.st_mode) ? 0777 : 0666) & ~mask));
}

/* The option table (lib/options.h); each default is the environment
 * variable's value, else the built-in one (in the help). */
static const char *dags, *state, *logs, *par, *grace, *drain, *sync_mode, *level, *max_size, *max_depth,
	*parse_timeout, *retain, *slurm_url, *slurm_token_file, *slurm_log_root, *slurm_api, *slurm_user;
static bool paused, group_read;
static const char *web_url;	/* alerts: the web UI's address in notifications */

static const struct opt schedulerd_table[] = {
	{ OPT_STRING, "dags", &dags, "DIR", "DAG files (*.yaml, *.yml)      $SCHED_DAGS   (./dags)" },
	{ OPT_STRING, "state", &state, "FILE", "SQLite state file              $SCHED_STATE  (./sched-state.db)" },
	{ OPT_STRING, "logs", &logs, "DIR", "task logs                      $SCHED_LOGS   (./logs)" },
	{ OPT_STRING, "parallelism", &par, "N", "task processes at once         $SCHED_PARALLELISM (2 x cores)" },
	{ OPT_STRING, "kill-grace", &grace, "DUR", "SIGTERM -> SIGKILL             $SCHED_KILL_GRACE (10s)" },
	{ OPT_STRING, "drain-timeout", &drain, "DUR", "on SIGTERM, wait for tries     $SCHED_DRAIN_TIMEOUT (30s)" },
	{ OPT_FLAG, "paused-on-create", &paused, NULL, "new DAGs start paused          $SCHED_PAUSED_ON_CREATE=1" },
	{ OPT_STRING, "sync", &sync_mode, "MODE",
	  "normal: safe against process crashes (default);\nfull: also against power loss  $SCHED_SYNC" },
	{ OPT_STRING, "log-level", &level, "LEVEL", "debug|info|warn|error          $SCHED_LOG_LEVEL (info)" },
	{ OPT_STRING, "max-dag-size", &max_size, "SIZE",
	  "largest DAG file: bytes, or with K, M (KiB, MiB)\n                               $SCHED_MAX_DAG_SIZE (8M)" },
	{ OPT_STRING, "max-dag-depth", &max_depth, "N",
	  "deepest YAML nesting in a DAG file\n                               $SCHED_MAX_DAG_DEPTH (32)" },
	{ OPT_STRING, "parse-timeout", &parse_timeout, "DUR",
	  "time to parse one DAG file (0: none)\n                               $SCHED_PARSE_TIMEOUT (30s)" },
	{ OPT_STRING, "retain", &retain, "DAYS",
	  "once a day, delete finished runs older than DAYS\n                               (as schedctl db clean; 0: keep all)  $SCHED_RETAIN (0)" },
	{ OPT_FLAG, "group-read", &group_read, NULL,
	  "state, lock and logs readable by the group (umask 027;\n                               default 077: owner only)  $SCHED_GROUP_READ=1" },
	{ OPT_STRING, "slurm-url", &slurm_url, "URL",
	  "slurmrestd for tasks with executor: slurm\n                               (http://HOST:PORT)  $SCHED_SLURM_URL" },
	{ OPT_STRING, "slurm-token-file", &slurm_token_file, "FILE",
	  "file holding slurmrestd's JWT (else $SLURM_JWT;\n                               never on the command line)  $SCHED_SLURM_TOKEN_FILE" },
	{ OPT_STRING, "slurm-user", &slurm_user, "NAME",
	  "the token's user name         $SCHED_SLURM_USER ($USER, else\n                               the effective user's name)" },
	{ OPT_STRING, "slurm-log-root", &slurm_log_root, "DIR",
	  "Slurm tries' logs, shared with the cluster's nodes\n                               $SCHED_SLURM_LOG_ROOT (--logs)" },
	{ OPT_STRING, "slurm-api", &slurm_api, "VERSION",
	  "slurmrestd's OpenAPI plugin   $SCHED_SLURM_API (v0.0.38)" },
	{ OPT_STRING, "web-url", &web_url, "URL",
	  "web UI address for links in notifications  $SCHED_WEB_URL (none)" },
	{ OPT_END, NULL, NULL, NULL, NULL },
};

static const struct opts_cmd schedulerd_cmd = {
	.usage = "schedulerd [--dags DIR] [--state FILE] [--logs DIR] [--parallelism N]\n"
		 "                  [--kill-grace DUR] [--drain-timeout DUR] [--paused-on-create]\n"
		 "                  [--sync normal|full] [--log-level debug|info|warn|error]\n"
		 "                  [--max-dag-size SIZE] [--max-dag-depth N] [--parse-timeout DUR]\n"
		 "                  [--group-read] [--slurm-url URL [--slurm-token-file FILE]\n"
		 "                  [--slurm-user NAME] [--slurm-log-root DIR] [--slurm-api v0.0.38]]",
	.description = "The scheduler daemon. Every option also has an environment variable; the command line wins.",
	.epilog = "Exit codes: 0 after a clean stop, 1 when it cannot start (state file locked or\n"
		  "unreadable), 2 for a usage error.",
	.opts = schedulerd_table,
};

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
	/* The --retain worker: this executable again (retain.h). */
	if (argc >= 2 && strcmp(argv[1], "--retain-worker") == 0)
		return retain_worker_main(argc - 2, argv + 2);
	/* The alerts outbox sender: this executable again (notify_send.h). */
	if (argc >= 2 && strcmp(argv[1], "--notify-worker") == 0)
		return notify_send_worker_main(argc - 2, argv + 2);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	char par_default[32];
	snprintf(par_default, sizeof par_default, "%ld", cores > 0 ? 2 * cores : 4);
	dags = env_or("SCHED_DAGS", "./dags"), state = env_or("SCHED_STATE", "./sched-state.db");
	logs = env_or("SCHED_LOGS", "./logs"), par = env_or("SCHED_PARALLELISM", par_default);
	grace = env_or("SCHED_KILL_GRACE", "10s"), drain = env_or("SCHED_DRAIN_TIMEOUT", "30s");
	sync_mode = env_or("SCHED_SYNC", "normal"), level = env_or("SCHED_LOG_LEVEL", "info");
	paused = strcmp(env_or("SCHED_PAUSED_ON_CREATE", "0"), "1") == 0;
	max_size = env_or("SCHED_MAX_DAG_SIZE", "8M"), max_depth = env_or("SCHED_MAX_DAG_DEPTH", "32");
	parse_timeout = env_or("SCHED_PARSE_TIMEOUT", "30s");
	group_read = strcmp(env_or("SCHED_GROUP_READ", "0"), "1") == 0;
	retain = env_or("SCHED_RETAIN", "0");
	slurm_url = env_or("SCHED_SLURM_URL", NULL), slurm_token_file = env_or("SCHED_SLURM_TOKEN_FILE", NULL);
	slurm_log_root = env_or("SCHED_SLURM_LOG_ROOT", NULL), slurm_api = env_or("SCHED_SLURM_API", "v0.0.38");
	slurm_user = env_or("SCHED_SLURM_USER", env_or("USER", NULL));
	if (!slurm_user) {
		struct passwd *pw = getpwuid(geteuid());
		slurm_user = pw ? pw->pw_name : NULL;
	}
	web_url = env_or("SCHED_WEB_URL", "");
	size_t npos;
	char perr[1024];
	int orc = opts_parse(&schedulerd_cmd, argc, argv, NULL, &npos, perr, sizeof perr);
	if (orc == OPTS_HELP) {
		opts_help(&schedulerd_cmd, stdout);
		return 0;
	}
	if (orc != OPTS_OK) {
		fprintf(stderr, "schedulerd: %s\n", perr);
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
	long rd = strtol(retain, &end, 10);
	if (!*retain || *end || rd < 0 || rd > 36500) {
		fprintf(stderr, "schedulerd: --retain: '%s' is not a number of days from 0 to 36500\n", retain);
		return 2;
	}
	cfg.retain_days = (int)rd;
	if (*web_url && strncmp(web_url, "http://", 7) != 0 && strncmp(web_url, "https://", 8) != 0) {
		fprintf(stderr, "schedulerd: --web-url: '%s' is not an http:// or https:// URL\n", web_url);
		return 2;
	}
	cfg.web_url = *web_url ? web_url : NULL;
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
	if (strcmp(sync_mode, "full") == 0)
		cfg.sync_full = true;
	else if (strcmp(sync_mode, "normal") != 0) {
		fprintf(stderr, "schedulerd: --sync: '%s' is not normal or full\n", sync_mode);
		return 2;
	}
	int lv = logfmt_level_parse(level);
	if (lv < 0) {
		fprintf(stderr, "schedulerd: --log-level: '%s' is not debug, info, warn or error\n", level);
		return 2;
	}
	slog_min_level = (enum slog_level)lv;
	/* The token: read once, then out of the environment, so that no task
	 * (local or Slurm, whose job gets the daemon's environment) inherits it. */
	char *token = NULL;
	if (slurm_token_file) {
		if (!slurm_url) {
			fprintf(stderr, "schedulerd: --slurm-token-file: needs --slurm-url\n");
			return 2;
		}
		FILE *f = fopen(slurm_token_file, "r");
		char line[8192];
		if (!f || !fgets(line, sizeof line, f)) {
			fprintf(stderr, "schedulerd: --slurm-token-file: cannot read '%s': %s\n", slurm_token_file,
				f ? "empty file" : strerror(errno));
			if (f)
				fclose(f);
			return 2;
		}
		fclose(f);
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, "SLURM_JWT=", 10) == 0)	/* scontrol token's own output */
			memmove(line, line + 10, strlen(line + 10) + 1);
		token = strdup(line);
	} else if (getenv("SLURM_JWT") && *getenv("SLURM_JWT")) {
		token = strdup(getenv("SLURM_JWT"));
	}
	unsetenv("SLURM_JWT");
	if (slurm_url) {
		if (strcmp(slurm_api, "v0.0.38") != 0) {
			fprintf(stderr, "schedulerd: --slurm-api: '%s' is not supported (v0.0.38)\n", slurm_api);
			return 2;
		}
		if (!token || !*token) {
			fprintf(stderr, "schedulerd: --slurm-url: no token (--slurm-token-file or $SLURM_JWT)\n");
			return 2;
		}
		if (!slurm_user || !*slurm_user) {
			fprintf(stderr, "schedulerd: --slurm-url: no user name for the token (--slurm-user)\n");
			return 2;
		}
		cfg.slurm_url = slurm_url;
		cfg.slurm_token = token;
		cfg.slurm_user = slurm_user;
		cfg.slurm_api = slurm_api;
		cfg.slurm_log_root = slurm_log_root ? slurm_log_root : logs;
	}
	if (access(dags, R_OK | X_OK) < 0) {
		fprintf(stderr, "schedulerd: --dags: cannot read directory '%s'\n", dags);
		return 2;
	}
	mode_t mask = umask(0) | (group_read ? 027 : 077);
	umask(mask);
	const char *suffix[] = { "", "-wal", "-shm", ".lock" };
	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		char path[4096];
		if ((size_t)snprintf(path, sizeof path, "%s%s", state, suffix[i]) < sizeof path)
			warn_wide(path, mask);
	}
	warn_wide(logs, mask);
	int rc = daemon_run(&cfg);
	free(token);
	return rc;
}
