/* fuzz_redis_audit.c: what the jobs do with Redis replies themselves.
 *
 * Replies are parsed by hiredis (its redisReader, not our code). The jobs'
 * own handling of them: redis-audit's SCAN loop (jobs/redis-audit/redis_audit.c,
 * static, needs a live connection) hands each key name and TTL reply to the
 * pure policy functions of jobs/redis-audit/audit.c, fuzzed here: the key is
 * the input after 9 bytes (8 bytes of TTL reply as an integer, 1 byte of
 * policy), as a SCAN reply can hold any bytes. overspeed's writer
 * (jobs/overspeed/rwriter.c) only checks each reply's type for an error, in
 * line with its pipelining, and has no parser to fuzz. Invariants: a key's
 * day is a valid date; the top list stays bounded and sorted worst first. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/evtime.h"
#include "lib/civil.h"
#include "jobs/redis-audit/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 9)
		return 0;
	long long ttl;
	memcpy(&ttl, data, 8);
	struct audit_policy pol = { .ttl_s = 604800, .retention_days = data[8] % 64,
				    .today = civil_to_days(2026, 3, 4) };
	const char *key = (const char *)data + 9;
	size_t len = size - 9;
	int64_t day;
	if (audit_key_day(key, len, &day) == 0) {
		int64_t y;
		int m, d;
		civil_from_days(day, &y, &m, &d);
		if (civil_to_days(y, m, d) != day || m < 1 || m > 12 || d < 1 || d > 31)
			abort();
	}
	struct audit_top top;
	audit_top_init(&top, 3);
	int64_t sev = 0;
	/* the key with its TTL reply, then with the special replies -1 and -2 */
	const long long ttls[] = { ttl, -1, -2, 0 };
	for (size_t i = 0; i < sizeof ttls / sizeof ttls[0]; i++) {
		enum audit_issue is = audit_classify(&pol, key, len, ttls[i], &sev);
		if (!audit_issue_name(is))
			abort();
		audit_top_add(&top, key, len, is, ttls[i], sev);
	}
	audit_top_sort(&top);
	if (top.n > 3)
		abort();
	for (size_t i = 1; i < top.n; i++)
		if (top.v[i - 1].severity < top.v[i].severity)
			abort();
	audit_top_free(&top);
	return 0;
}
