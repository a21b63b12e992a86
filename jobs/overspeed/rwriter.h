/* rwriter.h: writes the detections of one closed window to Redis in a single
 * pipeline: per detection SADD <key> <member> and a detail HASH (avg, count,
 * threshold, window, car, start, end) with EXPIRE, then one EXPIRE per SET key.
 * Every command is idempotent, so a batch that failed half way (or ran twice
 * after a crash) is simply sent again whole. */
#ifndef OVS_RWRITER_H
#define OVS_RWRITER_H

#include <stdint.h>

#include "jobs/common/redisconn.h"
#include "jobs/overspeed/window.h"

/* 0 when every reply arrived and none was an error; -1 with a message
 * otherwise (the connection is then closed; the caller retries later).
 * *commands is increased by the commands sent. */
int rw_write_pane(struct redisconn *rc, const struct win_pane *p, uint64_t *commands, job_err *e);

#endif
