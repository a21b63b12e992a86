/* backoff.c: retry delays. Deterministic (no jitter) so an operator can read
 * from the DAG file exactly when the next try will start. */
#include "scheduler/backoff.h"

int64_t backoff_delay_ms(enum retry_backoff kind, int64_t base_ms, int64_t max_ms, int failed_try)
{
	if (base_ms < 0)
		base_ms = 0;
	int64_t d = base_ms;
	if (kind == BACKOFF_EXPONENTIAL) {
		for (int i = 1; i < failed_try; i++) {
			if (d > INT64_MAX / 2) {
				d = INT64_MAX;
				break;
			}
			d *= 2;
			if (max_ms > 0 && d >= max_ms)
				break;
		}
	}
	if (max_ms > 0 && d > max_ms)
		d = max_ms;
	return d;
}
