/* redis_audit.c: redis-audit, keeps the result keys in Redis honest. Walks the keys
 * matching a pattern with SCAN (never KEYS: SCAN returns a bounded slice per
 * call, so Redis never blocks on a big reply), asks every key's TTL in one
 * pipeline per slice, checks them against the policy (audit.c), and with
 * --fix sets missing or too long expiries and UNLINKs (freed in the
 * background by Redis) keys past retention, pipelined in the same round. */
#include "jobs/common/evtime.h"
#include "jobs/common/job.h"
#include "jobs/common/redisconn.h"
#include "jobs/redis-audit/audit.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct opts {
	const char *redis_uri, *match;
	long long count, ttl, retention, top;
	int64_t today;
	int fix, dry_run, strict;
};

struct counts {
	uint64_t scanned, scan_calls, issues[5], fixed, deleted, failed_fix;
};

static void usage(FILE *f)
{
	fputs("usage: redis-audit [--redis URI] [--match PATTERN] [--ttl SECONDS] [--retention-days N]\n"
	      "                   [--today YYYYMMDD] [--fix] [--dry-run] [--strict] [--count N] [--top N]\n"
	      "Checks the expiry of result keys: keys with no expiry, with an expiry longer than the\n"
	      "policy, and keys whose day (the first 8-digit yyyyMMdd in the key) is older than the\n"
	      "retention. SCAN + pipelined TTL: safe on a Redis with millions of keys.\n"
	      "  --redis URI           redis://HOST:PORT/DB (default redis://127.0.0.1:6379/0)\n"
	      "  --match PATTERN       SCAN MATCH pattern (default: 8-digit day keys,\n"
	      "                        [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9])\n"
	      "  --ttl SECONDS         longest allowed expiry, also the one --fix sets (default 604800)\n"
	      "  --retention-days N    days a day key may be kept (default 7)\n"
	      "  --today YYYYMMDD      the day retention counts from (default: today, local time)\n"
	      "  --fix                 set missing/too long expiries to --ttl, UNLINK keys past retention\n"
	      "  --dry-run             with --fix: only say what would be done\n"
	      "  --strict              exit 1 when violations are left unfixed\n"
	      "  --count N             SCAN COUNT hint, keys per round trip (default 1000)\n"
	      "  --top N               worst offenders to list (default 10)\n"
	      "Exit: 0 done, 1 Redis failed or (--strict) violations left, 2 usage error.\n",
	      f);
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"redis", 1, 0, 'R'}, {"match", 1, 0, 'm'}, {"ttl", 1, 0, 't'}, {"retention-days", 1, 0, 'r'},
		{"today", 1, 0, 'T'}, {"fix", 0, 0, 'f'}, {"dry-run", 0, 0, 'n'}, {"strict", 0, 0, 's'},
		{"count", 1, 0, 'c'}, {"top", 1, 0, 'o'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
	job_err e;
	int c;
	char day[9];
	o->redis_uri = "redis://127.0.0.1:6379/0";
	o->match = "[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]";
	o->count = 1000;
	o->ttl = 604800;
	o->retention = 7;
	o->top = 10;
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	o->today = civil_to_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		int rc = 0;
		switch (c) {
		case 'R': o->redis_uri = optarg; break;
		case 'm':
			if (!*optarg) {
				job_error("usage", "error=%s", "--match: empty pattern");
				return -1;
			}
			o->match = optarg;
			break;
		case 't': rc = job_parse_int("--ttl", optarg, 1, 100LL * 365 * 86400, &o->ttl, &e); break;
		case 'r': rc = job_parse_int("--retention-days", optarg, 0, 100000, &o->retention, &e); break;
		case 'T':
			rc = job_parse_date("--today", optarg, day, &e);
			if (!rc)
				evtime_parse8(day, &o->today);
			break;
		case 'f': o->fix = 1; break;
		case 'n': o->dry_run = 1; break;
		case 's': o->strict = 1; break;
		case 'c': rc = job_parse_int("--count", optarg, 1, 100000, &o->count, &e); break;
		case 'o': rc = job_parse_int("--top", optarg, 0, 10000, &o->top, &e); break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
		if (rc) {
			job_error("usage", "error=%s", e.msg);
			return -1;
		}
	}
	if (optind < argc) {
		job_error("usage", "error=%s arg=%s", "unexpected argument", argv[optind]);
		return -1;
	}
	return 0;
}

/* One SCAN slice: TTLs pipelined, then the fixes pipelined. */
static int audit_slice(struct redisconn *rc, const struct opts *o, const struct audit_policy *pol, redisReply *keys,
		       struct counts *n, struct audit_top *top, job_err *e)
{
	size_t k = keys->elements;
	enum audit_issue *iss = calloc(k ? k : 1, sizeof *iss);
	int rv = -1;
	if (!iss)
		abort();
	for (size_t i = 0; i < k; i++)
		redisAppendCommand(rc->c, "TTL %b", keys->element[i]->str, (size_t)keys->element[i]->len);
	for (size_t i = 0; i < k; i++) {
		redisReply *r;
		if (redisGetReply(rc->c, (void **)&r) != REDIS_OK || !r) {
			job_err_set(e, "redis TTL: %s", rc->c->errstr);
			goto out;
		}
		long long ttl = r->type == REDIS_REPLY_INTEGER ? r->integer : -2;
		freeReplyObject(r);
		const redisReply *key = keys->element[i];
		int64_t sev;
		iss[i] = audit_classify(pol, key->str, key->len, ttl, &sev);
		n->scanned++;
		n->issues[iss[i]]++;
		if (iss[i] != AUDIT_OK && iss[i] != AUDIT_GONE)
			audit_top_add(top, key->str, key->len, iss[i], ttl, sev);
	}
	size_t sent = 0;
	if (o->fix && !o->dry_run) {
		for (size_t i = 0; i < k; i++) {
			const redisReply *key = keys->element[i];
			if (iss[i] == AUDIT_PAST_RETENTION)
				redisAppendCommand(rc->c, "UNLINK %b", key->str, (size_t)key->len);
			else if (iss[i] == AUDIT_NO_EXPIRY || iss[i] == AUDIT_TTL_TOO_LONG)
				redisAppendCommand(rc->c, "EXPIRE %b %lld", key->str, (size_t)key->len, o->ttl);
			else
				continue;
			sent++;
		}
		for (size_t i = 0; i < k && sent; i++) {
			if (iss[i] != AUDIT_PAST_RETENTION && iss[i] != AUDIT_NO_EXPIRY && iss[i] != AUDIT_TTL_TOO_LONG)
				continue;
			redisReply *r;
			if (redisGetReply(rc->c, (void **)&r) != REDIS_OK || !r) {
				job_err_set(e, "redis fix: %s", rc->c->errstr);
				goto out;
			}
			if (r->type == REDIS_REPLY_INTEGER && r->integer >= 1)
				(*(iss[i] == AUDIT_PAST_RETENTION ? &n->deleted : &n->fixed))++;
			else if (r->type == REDIS_REPLY_INTEGER && r->integer == 0)
				;	/* the key went away meanwhile: nothing left to fix */
			else
				n->failed_fix++;
			freeReplyObject(r);
		}
	}
	rv = 0;
out:
	free(iss);
	return rv;
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	struct redisconn rc;
	job_err e;
	struct counts n = {0};
	struct audit_top top;

	job_init("redis-audit", argc, argv);
	if (parse_opts(argc, argv, &o))
		return JOB_EXIT_USAGE;
	if (redisconn_parse(&rc, "--redis", o.redis_uri, &e)) {
		job_error("usage", "error=%s", e.msg);
		return JOB_EXIT_USAGE;
	}
	rc.timeout_ms = 10000;
	if (redisconn_open(&rc, &e)) {
		job_error("cannot connect", "error=%s", e.msg);
		return JOB_EXIT_FAILED;
	}
	struct audit_policy pol = {o.ttl, o.retention, o.today};
	char today[9];
	evtime_format8(o.today * 86400, today);
	job_info("auditing", "redis=%s match=%s ttl=%lld retention_days=%lld today=%s mode=%s", o.redis_uri, o.match,
		 o.ttl, o.retention, today, !o.fix ? "report" : o.dry_run ? "dry-run" : "fix");
	audit_top_init(&top, (size_t)o.top);
	job_progress_start("redis-audit", 0, "keys");
	char cursor[32] = "0";
	int rcode = JOB_EXIT_OK;
	do {
		redisReply *r = redisCommand(rc.c, "SCAN %s MATCH %s COUNT %lld", cursor, o.match, o.count);
		n.scan_calls++;
		if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2 || r->element[0]->type != REDIS_REPLY_STRING ||
		    r->element[1]->type != REDIS_REPLY_ARRAY) {
			job_error("SCAN failed", "error=%s", r && r->type == REDIS_REPLY_ERROR ? r->str : rc.c->errstr);
			if (r)
				freeReplyObject(r);
			rcode = JOB_EXIT_FAILED;
			break;
		}
		snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
		uint64_t before = n.scanned;
		if (audit_slice(&rc, &o, &pol, r->element[1], &n, &top, &e)) {
			job_error("audit failed", "error=%s", e.msg);
			freeReplyObject(r);
			rcode = JOB_EXIT_FAILED;
			break;
		}
		job_progress_add(n.scanned - before);
		freeReplyObject(r);
	} while (strcmp(cursor, "0") != 0 && !job_stopping());
	job_progress_finish();
	redisconn_close(&rc);

	uint64_t viol = n.issues[AUDIT_NO_EXPIRY] + n.issues[AUDIT_TTL_TOO_LONG] + n.issues[AUDIT_PAST_RETENTION];
	uint64_t unfixed = viol - (o.fix && !o.dry_run ? n.fixed + n.deleted : 0);
	const char *verb = o.fix ? (o.dry_run ? "would fix" : "fixed") : "not fixed";
	printf("redis-audit: %llu keys matching %s scanned in %llu SCAN calls (today %s, ttl %llds, retention %lld days)\n",
	       (unsigned long long)n.scanned, o.match, (unsigned long long)n.scan_calls, today, o.ttl, o.retention);
	printf("  no expiry        %10llu  (%s)\n", (unsigned long long)n.issues[AUDIT_NO_EXPIRY], verb);
	printf("  expiry too long  %10llu  (%s)\n", (unsigned long long)n.issues[AUDIT_TTL_TOO_LONG], verb);
	printf("  past retention   %10llu  (%s)\n", (unsigned long long)n.issues[AUDIT_PAST_RETENTION],
	       o.fix ? (o.dry_run ? "would delete" : "deleted") : "not deleted");
	if (top.n) {
		audit_top_sort(&top);
		printf("worst offenders:\n");
		for (size_t i = 0; i < top.n; i++) {
			char ttl[32];
			if (top.v[i].ttl < 0)
				snprintf(ttl, sizeof ttl, "none");
			else
				snprintf(ttl, sizeof ttl, "%llds", top.v[i].ttl);
			printf("  %-40s %-15s ttl=%s\n", top.v[i].key, audit_issue_name(top.v[i].issue), ttl);
		}
	}
	job_result_set_int("scanned", (int64_t)n.scanned);
	job_result_set_int("scan_calls", (int64_t)n.scan_calls);
	job_result_set_int("no_expiry", (int64_t)n.issues[AUDIT_NO_EXPIRY]);
	job_result_set_int("ttl_too_long", (int64_t)n.issues[AUDIT_TTL_TOO_LONG]);
	job_result_set_int("past_retention", (int64_t)n.issues[AUDIT_PAST_RETENTION]);
	job_result_set_int("fixed", (int64_t)n.fixed);
	job_result_set_int("deleted", (int64_t)n.deleted);
	job_result_set_int("unfixed", (int64_t)unfixed);
	job_result_set_int("fix_errors", (int64_t)n.failed_fix);
	job_result_print();
	audit_top_free(&top);
	if (rcode == JOB_EXIT_OK && o.strict && unfixed > 0) {
		job_warn("violations left unfixed (--strict)", "unfixed=%llu", (unsigned long long)unfixed);
		rcode = JOB_EXIT_FAILED;
	}
	return rcode;
}
