/* rwriter.c: one closed window -> one Redis pipeline (see rwriter.h). */
#include "jobs/overspeed/rwriter.h"
#include "jobs/common/evtime.h"

#include <stdio.h>
#include <string.h>

#define KEY_MAX 512
#define DISTINCT_MAX 16

int rw_write_pane(struct redisconn *rc, const struct win_pane *p, uint64_t *commands, job_err *e)
{
	const struct ovs_rule *r = p->rule;
	char keys[DISTINCT_MAX][KEY_MAX];
	size_t n_keys = 0, sent = 0;
	char key[KEY_MAX], member[KEY_MAX], detail[KEY_MAX];
	char start[15], end[15], avg[32], cnt[16], thr[32], win[16];
	char ttl[24];

	if (p->n_det == 0)
		return 0;
	if (redisconn_open(rc, e))
		return -1;
	evtime_format14(p->start, start);
	evtime_format14(p->end, end);
	snprintf(thr, sizeof thr, "%g", r->threshold);
	snprintf(win, sizeof win, "%lld", (long long)(p->end - p->start));
	snprintf(ttl, sizeof ttl, "%lld", (long long)r->ttl_s);
	for (size_t i = 0; i < p->n_det; i++) {
		const struct win_detection *d = &p->det[i];
		struct rule_fmt_args a = {d->car, p->start, p->end, p->end - p->start};
		if (rule_format(r->key_fmt, &a, key, sizeof key) < 0 || rule_format(r->member_fmt, &a, member, sizeof member) < 0 ||
		    (r->detail_fmt && rule_format(r->detail_fmt, &a, detail, sizeof detail) < 0)) {
			job_err_set(e, "key or member longer than %d bytes for car %s", KEY_MAX - 1, d->car);
			redisconn_close(rc);	/* drop what was appended */
			return -1;
		}
		redisAppendCommand(rc->c, "SADD %s %s", key, member);
		sent++;
		size_t k = 0;
		while (k < n_keys && strcmp(keys[k], key) != 0)
			k++;
		if (k == n_keys) {
			if (n_keys < DISTINCT_MAX) {
				memcpy(keys[n_keys++], key, sizeof key);
			} else {
				redisAppendCommand(rc->c, "EXPIRE %s %s", key, ttl);
				sent++;
			}
		}
		if (r->detail_fmt) {
			snprintf(avg, sizeof avg, "%.3f", d->avg);
			snprintf(cnt, sizeof cnt, "%u", d->count);
			redisAppendCommand(rc->c, "HSET %s avg %s count %s threshold %s window %s car %s start %s end %s",
					   detail, avg, cnt, thr, win, d->car, start, end);
			redisAppendCommand(rc->c, "EXPIRE %s %s", detail, ttl);
			sent += 2;
		}
	}
	for (size_t k = 0; k < n_keys; k++) {
		redisAppendCommand(rc->c, "EXPIRE %s %s", keys[k], ttl);
		sent++;
	}
	int bad = 0;
	for (size_t i = 0; i < sent; i++) {
		redisReply *rep = NULL;
		if (redisGetReply(rc->c, (void **)&rep) != REDIS_OK || !rep) {
			job_err_set(e, "redis %s:%d: %s", rc->host, rc->port, rc->c->errstr[0] ? rc->c->errstr : "no reply");
			redisconn_close(rc);
			return -1;
		}
		if (rep->type == REDIS_REPLY_ERROR && !bad) {
			job_err_set(e, "redis %s:%d: %s", rc->host, rc->port, rep->str);
			bad = 1;
		}
		freeReplyObject(rep);
	}
	*commands += sent;
	return bad ? -1 : 0;
}
