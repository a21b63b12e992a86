/* audit.h: the expiry policy of Redis result keys, as pure functions so it
 * can be unit tested apart from the SCAN loop: which day a key belongs to,
 * whether a key with a given TTL breaks the policy, how badly (to rank the
 * worst offenders), and a bounded list of the worst ones. */
#ifndef AUDIT_H
#define AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct audit_policy {
	int64_t ttl_s;		/* longest allowed expiry */
	int64_t retention_days;	/* a key whose day is older than today - retention is past it */
	int64_t today;		/* days since 1970 */
};

enum audit_issue {
	AUDIT_OK,
	AUDIT_NO_EXPIRY,	/* TTL -1 */
	AUDIT_TTL_TOO_LONG,	/* TTL > policy */
	AUDIT_PAST_RETENTION,	/* the key's day is older than the retention (whatever its TTL) */
	AUDIT_GONE,		/* TTL -2: deleted between SCAN and TTL */
};

/* The first run of exactly 8 digits in the key that is a valid yyyyMMdd
 * ("20160103", "overspeed:20160103:R0001-20160103000030"); 0, or -1 if none. */
int audit_key_day(const char *key, size_t len, int64_t *days);
/* Classifies a key by its TTL (seconds, -1 none, -2 gone). *severity ranks
 * offenders: seconds the key overstays its policy (no expiry counts as
 * forever). */
enum audit_issue audit_classify(const struct audit_policy *p, const char *key, size_t len, long long ttl,
				int64_t *severity);
const char *audit_issue_name(enum audit_issue i);

/* The N worst offenders seen, worst first after audit_top_sorted. */
struct audit_offender {
	char key[128];
	enum audit_issue issue;
	long long ttl;
	int64_t severity;
};
struct audit_top {
	struct audit_offender *v;
	size_t n, cap;
};
void audit_top_init(struct audit_top *t, size_t cap);
void audit_top_add(struct audit_top *t, const char *key, size_t len, enum audit_issue issue, long long ttl, int64_t severity);
void audit_top_sort(struct audit_top *t);
void audit_top_free(struct audit_top *t);

#endif
