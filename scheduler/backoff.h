/* backoff.h: the delay before a retry (or a stream task's restart). */
#ifndef SCHED_BACKOFF_H
#define SCHED_BACKOFF_H

#include <stdint.h>

#include "scheduler/dag.h"

/* Delay after failed try number `failed_try` (1 = the first try failed):
 * fixed: base; exponential: base * 2^(failed_try-1). Both capped by max_ms
 * (when max_ms > 0) and never negative; no overflow for any failed_try. */
int64_t backoff_delay_ms(enum retry_backoff kind, int64_t base_ms, int64_t max_ms, int failed_try);

#endif
