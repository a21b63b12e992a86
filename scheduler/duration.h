/* duration.h: durations written as in DAG files: "30s", "5m", "1h", "7d",
 * "1h30m", "250ms", or a bare number of seconds. */
#ifndef SCHED_DURATION_H
#define SCHED_DURATION_H

#include <stdint.h>
#include <stddef.h>

/* Parses s into milliseconds. Returns 0, or -1 with a message in err. */
int duration_parse(const char *s, int64_t *ms, char *err, size_t errlen);

/* Formats ms compactly ("1h30m", "250ms", "0s"). */
void duration_format(int64_t ms, char *buf, size_t len);

#endif
