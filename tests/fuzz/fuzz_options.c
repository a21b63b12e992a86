/* fuzz_options.c: the command lines of every program, as functions.
 *
 * The input's first byte picks a program, the rest is its argv: pieces
 * separated by NUL bytes. Each job's real option table is driven through its
 * parse function (lib/options.h underneath): tail2kafka (t2k_opts.c),
 * kafka2hbase (k2h_opts.c), overspeed (ovs_opts.c), loggen (loggen_opts.c),
 * spool-loader (spool_opts.c), rollup and its subcommands (rollup_opts.c),
 * redis-audit (raudit_opts.c); schedctl's opt_parse (ui-cli/options.c) with a
 * table of every option type. Invariants checked on success: values within
 * the ranges the jobs promise, strings pointing into argv, positional
 * arguments never beyond maxpos. An input naming a file to read (-X k=@FILE,
 * --kafka-config) is skipped: a path such as /dev/stdin would block the
 * fuzzer (the properties parser is covered by tests/unit/test_kconf.c).
 *
 * The whole input is also fed as one value to what every option value goes
 * through: job_parse_size/int/double/ratio/date/log_level (jobs/common/job.c),
 * storage_uri_parse, redisconn_parse, period_parse_week/month/year (rollup),
 * devbroker_cmd_parse (the dev broker's --topic and command grammar). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/job.h"
#include "jobs/common/redisconn.h"
#include "jobs/common/storage.h"
#include "tools/kafka-devbroker/devbroker_cmd.h"
#include "jobs/rollup/period.h"
#include "jobs/kafka2hbase/k2h_opts.h"
#include "jobs/loggen/loggen_opts.h"
#include "jobs/overspeed/ovs_opts.h"
#include "jobs/redis-audit/raudit_opts.h"
#include "jobs/rollup/rollup_opts.h"
#include "jobs/spool-loader/spool_opts.h"
#include "jobs/tail2kafka/t2k_opts.h"
#include "lib/options.h"
#include "ui-cli/schedctl.h"

#define MAXPOS 4

#define MAXARGS 64

/* argv[0] = name, then the NUL-separated pieces of s[0..size). */
static int split_args(const char *name, char *s, size_t size, char **argv)
{
	int argc = 0;
	argv[argc++] = (char *)name;
	for (char *p = s; p < s + size && argc < MAXARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	return argc;
}

static bool in_input(const char *p, const char *s, size_t size)
{
	return p >= s && p <= s + size;
}

static void fuzz_schedctl(char *s, size_t size)
{
	char *argv[MAXARGS + 1];
	int argc = split_args("trigger", s, size, argv);
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
	job_parse_log_level(v);
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

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void fuzz_job(unsigned which, char *s, size_t size)
{
	char *argv[MAXARGS + 1];
	job_err e;
	int rc;
	switch (which) {
	case 0: {
		struct t2k_opts o;
		rc = t2k_opts_parse(split_args("tail2kafka", s, size, argv), argv, &o, &e);
		if (rc == OPTS_OK)
			check(in_input(o.file, s, size) && in_input(o.brokers, s, size) && o.poll_ms >= 1 &&
			      o.max_inflight >= 1 && o.max_line >= 16 && o.key_field >= 0 && o.key_field <= 1000);
		t2k_opts_free(&o);
		break;
	}
	case 1: {
		struct k2h_opts o;
		rc = k2h_opts_parse(split_args("kafka2hbase", s, size, argv), argv, &o, &e);
		if (rc == OPTS_OK)
			check(in_input(o.table, s, size) && o.batch >= 1 && o.batch <= 1000000 && o.flush_ms >= 1 &&
			      strlen(o.instance_id) < KGROUP_ID_MAX);
		k2h_opts_free(&o);
		break;
	}
	case 2: {
		struct ovs_opts o;
		rc = ovs_opts_parse(split_args("overspeed", s, size, argv), argv, &o, &e);
		if (rc == OPTS_OK)
			check(o.max_bad_ratio >= 0 && o.max_bad_ratio <= 1 && o.max_pending >= 1 && o.commit_ms >= 10);
		ovs_opts_free(&o);
		break;
	}
	case 3: {
		struct loggen_opts o;
		rc = loggen_opts_parse(split_args("loggen", s, size, argv), argv, 2, &o, &e);
		if (rc == OPTS_OK)
			check(o.cars >= 1 && o.cars <= 9999 && strlen(o.date) == 8 && o.threads >= 1 && o.threads <= 64 &&
			      in_input(o.out, s, size) && !(o.realtime && strcmp(o.mode, "status") == 0));
		break;
	}
	case 4: {
		struct spool_cfg c;
		rc = spool_opts_parse(split_args("spool-loader", s, size, argv), argv, &c, &e);
		if (rc == OPTS_OK)
			check(c.roll_size >= 1024 && strlen(c.wrk_date) == 8 && in_input(c.spool, s, size) &&
			      c.max_reject >= 0 && c.max_reject <= 1);
		break;
	}
	case 5: {
		struct rollup_opts o;
		rc = rollup_opts_parse(split_args("rollup", s, size, argv), argv, &o, &e);
		if (rc == OPTS_OK)
			check(in_input(o.dest, s, size) && o.threads >= 0 && o.threads <= 64 &&
			      ((o.sub != ROLLUP_STATUS_DAY && o.sub != ROLLUP_DRIVE_DAY) || strlen(o.date) == 8) &&
			      ((o.sub == ROLLUP_STATUS_DAY || o.sub == ROLLUP_DRIVE_DAY) || o.p.ndays > 0));
		break;
	}
	case 6: {
		struct raudit_opts o;
		rc = raudit_opts_parse(split_args("redis-audit", s, size, argv), argv, 20000, &o, &e);
		if (rc == OPTS_OK)
			check(o.count >= 1 && o.ttl >= 1 && *o.match);
		break;
	}
	default:
		fuzz_schedctl(s, size);
		return;
	}
	if (rc == OPTS_USAGE)
		check(e.msg[0] != '\0');	/* a usage error always says why */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_job_values(s);
	if (size > 0 && !memchr(s, '@', size) && !memmem(s, size, "kafka-config", 12))
		fuzz_job((unsigned char)s[0] % 8, s + 1, size - 1);
	free(s);
	return 0;
}
