/* raudit_opts.c: redis-audit's options (raudit_opts.h), as in
 * docs/jobs-realtime-analysis.md. */
#include "jobs/redis-audit/raudit_opts.h"

#include <string.h>

#include "jobs/common/evtime.h"
#include "lib/options.h"

/* The table's destinations: the raw strings, checked and converted by
 * raudit_opts_parse. One parse at a time (a process parses its argv once). */
static struct {
	const char *redis, *match, *ttl, *retention, *today, *count, *top;
	bool fix, dry_run, strict;
} in;

static const struct opt raudit_table[] = {
	{ OPT_STRING, "redis", &in.redis, "URI", "redis://HOST:PORT/DB (default redis://127.0.0.1:6379/0)" },
	{ OPT_STRING, "match", &in.match, "PATTERN",
	  "SCAN MATCH pattern (default: 8-digit day keys,\n[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9])" },
	{ OPT_STRING, "ttl", &in.ttl, "SECONDS", "longest allowed expiry, also the one --fix sets (default 604800)" },
	{ OPT_STRING, "retention-days", &in.retention, "N", "days a day key may be kept (default 7)" },
	{ OPT_STRING, "today", &in.today, "YYYYMMDD", "the day retention counts from (default: today, local time)" },
	{ OPT_FLAG, "fix", &in.fix, NULL, "set missing/too long expiries to --ttl, UNLINK keys past retention" },
	{ OPT_FLAG, "dry-run", &in.dry_run, NULL, "with --fix: only say what would be done" },
	{ OPT_FLAG, "strict", &in.strict, NULL, "exit 1 when violations are left unfixed" },
	{ OPT_STRING, "count", &in.count, "N", "SCAN COUNT hint, keys per round trip (default 1000)" },
	{ OPT_STRING, "top", &in.top, "N", "worst offenders to list (default 10)" },
	{ OPT_END, NULL, NULL, NULL, NULL },
};

static const struct opts_cmd raudit_cmd = {
	.usage = "redis-audit [--redis URI] [--match PATTERN] [--ttl SECONDS] [--retention-days N]\n"
		 "                   [--today YYYYMMDD] [--fix] [--dry-run] [--strict] [--count N] [--top N]",
	.description = "Checks the expiry of result keys: keys with no expiry, with an expiry longer than the\n"
		       "policy, and keys whose day (the first 8-digit yyyyMMdd in the key) is older than the\n"
		       "retention. SCAN + pipelined TTL: safe on a Redis with millions of keys.",
	.epilog = "Exit: 0 done, 1 Redis failed or (--strict) violations left, 2 usage error.",
	.opts = raudit_table,
};

void raudit_opts_help(FILE *f)
{
	opts_help(&raudit_cmd, f);
}

static int num(const char *flag, const char *s, long long lo, long long hi, long long *out, job_err *e)
{
	return s ? job_parse_int(flag, s, lo, hi, out, e) : 0;
}

int raudit_opts_parse(int argc, char **argv, int64_t today, struct raudit_opts *o, job_err *e)
{
	memset(&in, 0, sizeof in);
	*o = (struct raudit_opts){ .redis_uri = "redis://127.0.0.1:6379/0",
				   .match = "[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]",
				   .count = 1000, .ttl = 604800, .retention = 7, .top = 10, .today = today };
	size_t npos;
	int rc = opts_parse(&raudit_cmd, argc, argv, NULL, &npos, e->msg, sizeof e->msg);
	if (rc != OPTS_OK)
		return rc;
	if (in.match && !*in.match) {
		job_err_set(e, "--match: empty pattern");
		return OPTS_USAGE;
	}
	if (num("--ttl", in.ttl, 1, 100LL * 365 * 86400, &o->ttl, e) < 0 ||
	    num("--retention-days", in.retention, 0, 100000, &o->retention, e) < 0 ||
	    num("--count", in.count, 1, 100000, &o->count, e) < 0 || num("--top", in.top, 0, 10000, &o->top, e) < 0)
		return OPTS_USAGE;
	if (in.today) {
		char day[9];
		if (job_parse_date("--today", in.today, day, e) < 0)
			return OPTS_USAGE;
		evtime_parse8(day, &o->today);
	}
	if (in.redis)
		o->redis_uri = in.redis;
	if (in.match)
		o->match = in.match;
	o->fix = in.fix;
	o->dry_run = in.dry_run;
	o->strict = in.strict;
	return OPTS_OK;
}
