/* audit.c: expiry policy checks and the worst-offender list (see audit.h). */
#include "jobs/redis-audit/audit.h"
#include "jobs/common/evtime.h"

#include <stdlib.h>
#include <string.h>

#define FOREVER ((int64_t)1 << 50)

int audit_key_day(const char *key, size_t len, int64_t *days)
{
	size_t i = 0;
	while (i < len) {
		if (key[i] < '0' || key[i] > '9') {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && key[j] >= '0' && key[j] <= '9')
			j++;
		if (j - i == 8 && evtime_parse8(key + i, days) == 0)
			return 0;
		i = j;
	}
	return -1;
}

enum audit_issue audit_classify(const struct audit_policy *p, const char *key, size_t len, long long ttl,
				int64_t *severity)
{
	int64_t day;
	*severity = 0;
	if (ttl == -2)
		return AUDIT_GONE;
	if (audit_key_day(key, len, &day) == 0 && p->today - day > p->retention_days) {
		*severity = (p->today - day - p->retention_days) * 86400 + (ttl < 0 ? FOREVER : 0);
		return AUDIT_PAST_RETENTION;
	}
	if (ttl < 0) {
		*severity = FOREVER;
		return AUDIT_NO_EXPIRY;
	}
	if (ttl > p->ttl_s) {
		*severity = ttl - p->ttl_s;
		return AUDIT_TTL_TOO_LONG;
	}
	return AUDIT_OK;
}

const char *audit_issue_name(enum audit_issue i)
{
	switch (i) {
	case AUDIT_NO_EXPIRY: return "no_expiry";
	case AUDIT_TTL_TOO_LONG: return "ttl_too_long";
	case AUDIT_PAST_RETENTION: return "past_retention";
	case AUDIT_GONE: return "gone";
	default: return "ok";
	}
}

void audit_top_init(struct audit_top *t, size_t cap)
{
	t->cap = cap;
	t->n = 0;
	t->v = cap ? calloc(cap, sizeof *t->v) : NULL;
	if (cap && !t->v)
		abort();
}

void audit_top_add(struct audit_top *t, const char *key, size_t len, enum audit_issue issue, long long ttl, int64_t severity)
{
	size_t at;
	if (t->cap == 0)
		return;
	if (t->n < t->cap) {
		at = t->n++;
	} else {	/* replace the mildest if this one is worse */
		at = 0;
		for (size_t i = 1; i < t->n; i++)
			if (t->v[i].severity < t->v[at].severity)
				at = i;
		if (t->v[at].severity >= severity)
			return;
	}
	struct audit_offender *o = &t->v[at];
	if (len >= sizeof o->key)
		len = sizeof o->key - 1;
	memcpy(o->key, key, len);
	o->key[len] = 0;
	o->issue = issue;
	o->ttl = ttl;
	o->severity = severity;
}

static int cmp_sev(const void *a, const void *b)
{
	const struct audit_offender *x = a, *y = b;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return strcmp(x->key, y->key);
}

void audit_top_sort(struct audit_top *t)
{
	qsort(t->v, t->n, sizeof *t->v, cmp_sev);
}

void audit_top_free(struct audit_top *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}
