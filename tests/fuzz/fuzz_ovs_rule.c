/* fuzz_ovs_rule.c: overspeed's rule file (jobs/overspeed/rule.c), YAML text in,
 * re-read while the job runs. A rule that parses is described and its key,
 * member and detail formats are expanded for one window, as the Redis writer
 * does; a format that passed rule_format_check must expand (or say it did not
 * fit), never write past the buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/overspeed/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	struct ovs_rule *r = rule_parse((const char *)data, size, "rule.yaml", err, sizeof err);
	if (!r) {
		if (err[0] == '\0')
			abort();
		return 0;
	}
	char desc[512], out[512];
	rule_describe(r, desc, sizeof desc);
	struct rule_fmt_args a = { "R0001", 1451779230, 1451779260, r->window_s };
	const char *fmts[] = { r->key_fmt, r->member_fmt, r->detail_fmt };
	for (size_t i = 0; i < 3; i++) {
		if (!fmts[i])
			continue;
		if (rule_format_check(fmts[i], err, sizeof err) != 0)
			abort();	/* the parser kept a format its own check rejects */
		rule_format(fmts[i], &a, out, sizeof out);
		rule_format(fmts[i], &a, out, 8);
	}
	(void)rule_area_ok(r, "A01", 3);
	rule_unref(r);
	return 0;
}
