/* redis_audit.c: redis-audit, keeps the result keys in Redis honest. Walks the keys
 * matching a pattern with SCAN (never KEYS: SCAN returns a bounded slice per
 * call, so Redis never blocks on a big reply), asks every key's TTL in one
 * pipeline per slice, checks them against the policy (audit.c), and with
 * --fix sets missing or too long expiries and UNLINKs (freed in the
 * background by Redis) keys past retention, pipelined in the same round. */
#include "lib/uri_redact.h"
#include "jobs/common/evtime.h"
#include "jobs/common/job.h"
#include "jobs/common/redisconn.h"
#include "jobs/redis-audit/audit.h"
#include "jobs/redis-audit/raudit_opts.h"
#include "lib/options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct counts {
	uint64_t scanned, scan_calls, issues[5], fixed, deleted, failed_fix;
};

/* One SCAN slice: TTLs pipelined, then the fixes pipelined. */
static int audit_slice(struct redisconn *rc, const struct raudit_opts *o, const struct audit_policy *pol, redisReply *keys,
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
	char rb[URI_REDACT_MAX];
	struct raudit_opts o = {0};
	struct redisconn rc;
	job_err e;
	struct counts n = {0};
	struct audit_top top;

	job_init("redis-audit", argc, argv);
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	int orc = raudit_opts_parse(argc, argv, evtime_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
				    &o, &e);
	if (orc == OPTS_HELP) {
		raudit_opts_help(stdout);
		return JOB_EXIT_OK;
	}
	if (orc != OPTS_OK) {
		job_error("usage", "error=%s", e.msg);
		return JOB_EXIT_USAGE;
	}
	if (redisconn_parse(&rc, "--redis", o.redis_uri, &e)) {
		job_error("usage", "error=%s", e.msg);
		return JOB_EXIT_USAGE;
	}
	rc.timeout_ms = 10000;
	int crc = redisconn_open(&rc, &e);
	if (crc) {
		job_error(crc == REDISCONN_EREFUSED ? "redis refused the credentials" : "cannot connect", "error=%s", e.msg);
		redisconn_free(&rc);
		return crc == REDISCONN_EREFUSED ? JOB_EXIT_USAGE : JOB_EXIT_FAILED;
	}
	struct audit_policy pol = {o.ttl, o.retention, o.today};
	char today[9];
	evtime_format8(o.today * 86400, today);
	job_info("auditing", "redis=%s match=%s ttl=%lld retention_days=%lld today=%s mode=%s", uri_redact(o.redis_uri, rb, sizeof rb), o.match,
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
	redisconn_free(&rc);

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
