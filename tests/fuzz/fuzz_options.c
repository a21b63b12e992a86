/* fuzz_options.c: option and argument parsing reachable as functions.
 *
 * schedctl: ui-cli/options.c opt_parse, the one parser of every subcommand,
 * on an argv made of the input's NUL-separated pieces, with a table of every
 * option type (flag, string, integer, repeatable list). Invariants: positional
 * arguments never exceed maxpos, a list's items are argv strings.
 *
 * The jobs parse their options in main() (static parse_opts / getopt_long in
 * tail2kafka.c, kafka2hbase.c, overspeed/overspeed.c, redis-audit/redis_audit.c,
 * loggen.c, spool_loader.c, rollup.c, drive_cmd.c, rowctl.c,
 * kafka_devbroker.c), which a harness cannot call; what they call on every
 * value is in libraries and is fuzzed here on the whole input as one value:
 * job_parse_size/int/double/ratio/date/log_level (jobs/common/job.c),
 * storage_uri_parse (--out, --in, ...), redisconn_parse (--redis),
 * period_parse_week/month/year (rollup), devbroker_cmd_parse (the dev
 * broker's --topic and command grammar). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/job.h"
#include "lib/logfmt.h"
#include "jobs/common/redisconn.h"
#include "jobs/common/storage.h"
#include "tools/kafka-devbroker/devbroker_cmd.h"
#include "jobs/rollup/period.h"
#include "ui-cli/schedctl.h"

#define MAXPOS 4

static void fuzz_schedctl(char *s, size_t size)
{
	char *argv[65];
	int argc = 0;
	argv[argc++] = "trigger";
	for (char *p = s; p < s + size && argc < 64; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	bool wait = false, json = false;
	const char *date = NULL, *state = NULL;
	long timeout = -1;
	struct opt_list params = { 0 }, tasks = { 0 };
	const struct opt opts[] = {
		{ OPT_FLAG, "wait", &wait, NULL, "wait" },
		{ OPT_FLAG, "json", &json, NULL, "json" },
		{ OPT_STRING, "date", &date, "D", "date" },
		{ OPT_STRING, "state", &state, "F", "state" },
		{ OPT_INT, "timeout", &timeout, "S", "timeout" },
		{ OPT_LIST, "param", &params, "K=V", "param" },
		{ OPT_LIST, "task", &tasks, "T", "task" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[MAXPOS + 1];
	size_t npos = 0;
	int rc = opt_parse(argc, argv, opts, "schedctl trigger DAG [options]", NULL, pos, MAXPOS, &npos);
	if (rc == 0) {
		if (npos > MAXPOS)
			abort();
		for (size_t i = 0; i < params.n; i++)
			if (params.items[i] < s || params.items[i] >= s + size + 1)
				abort();
		if (timeout < -1)
			abort();
	}
	opt_list_free(&params);
	opt_list_free(&tasks);
}

static void fuzz_job_values(const char *v)
{
	job_err e;
	uint64_t u;
	long long ll;
	double d;
	char date[9];
	job_parse_size("--size", v, &u, &e);
	if (job_parse_int("--n", v, -5, 1000, &ll, &e) == 0 && (ll < -5 || ll > 1000))
		abort();
	if (job_parse_double("--x", v, 0.5, 300.0, &d, &e) == 0 && !(d >= 0.5 && d <= 300.0))
		abort();
	if (job_parse_ratio("--r", v, &d, &e) == 0 && !(d >= 0 && d <= 1))
		abort();
	job_parse_date("--date", v, date, &e);
	logfmt_level_parse(v);
	storage_uri *su = malloc(sizeof *su);
	storage_uri_parse(v, su, &e);
	free(su);
	struct redisconn rc = { 0 };
	redisconn_parse(&rc, "--redis", v, &e);
	period p;
	period_parse_week("--week", v, &p, &e);
	period_parse_month("--month", v, &p, &e);
	period_parse_year("--year", v, &p, &e);
	struct devbroker_cmd cmd;
	char err[256];
	if (devbroker_cmd_parse(v, &cmd, err, sizeof err) != 0 && err[0] == '\0')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_job_values(s);
	fuzz_schedctl(s, size);
	free(s);
	return 0;
}
