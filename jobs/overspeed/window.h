/* window.h: the overspeed window engine. Pure computation, no I/O: records go
 * in, closed windows with their detections come out, and the engine says for
 * each source partition which offset is safe to commit.
 *
 * Event time: the record's 14-digit timestamp (evtime.h). Tumbling windows of
 * rule->window_s seconds aligned to midnight. All cars' windows with the same
 * start form one "pane"; a pane closes when the watermark reaches its end.
 * Watermark = min over the tracked partitions of the highest timestamp seen in
 * each (a partition that reached its end does not hold it back) - lateness;
 * it never goes back. A record whose window already closed is late: counted,
 * dropped.
 *
 * Offsets ("ledger"): every pane remembers, per partition, the lowest offset
 * of a record it holds. Closed panes stay queued until the caller says their
 * Redis writes were acknowledged (win_ack). The safe commit offset of a
 * partition is the lowest offset still held by an open or unacknowledged
 * pane, or, when none, one past the highest offset seen. Every record below
 * it is therefore either in a window whose results are in Redis, or late, or
 * filtered, or rejected: committing it can lose nothing. See
 * docs/jobs-realtime-analysis.md, "Why the commits are safe".
 *
 * Replays: acked_through is the end of the newest pane such that it and all
 * older panes are acknowledged. Stored with the commit and given back with
 * win_set_floor after a restart, it lets records re-read after the commit
 * point whose windows were already written be skipped ("replayed") instead of
 * forming partial windows. */
#ifndef OVS_WINDOW_H
#define OVS_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "jobs/common/records.h"
#include "jobs/overspeed/rule.h"

#define WIN_CAR_MAX 15	/* room for a car number (records.h: 5 bytes) */
#define WIN_NONE INT64_MIN

/* One driver record, pointing into the caller's line. */
struct win_record {
	int64_t ts;	/* seconds, evtime */
	const char *car;
	size_t car_len;
	int32_t speed;
	const char *area;
	size_t area_len;
};

/* Reads one driver record by the pipeline's one parser (rec_driver_scan,
 * records.h: its rules, a trailing line ending ignored). 0, or -1 with e
 * naming the field. cache may be NULL. */
int win_parse_driver(const char *line, size_t len, struct win_record *out, rec_tscache *cache, job_err *e);

struct win_detection {
	char car[WIN_CAR_MAX + 1];
	double avg;
	uint32_t count;
};

struct win_acc;

struct win_pane {
	int64_t start, end;	/* [start, end) seconds */
	struct ovs_rule *rule;	/* the rule in force when the pane opened */
	struct win_acc *slots;	/* open addressing by car (open panes only) */
	size_t cap, used;
	int64_t *min_off;	/* per partition, lowest offset held; -1 none */
	size_t n_min_off;
	/* filled when closed: */
	struct win_detection *det;
	size_t n_det;
	uint32_t cars;		/* cars with at least one record in the window */
	uint64_t records;
	int64_t closed_ns;	/* caller's clock at close (win_set_clock), for latency figures */
	int64_t tag;		/* the caller's own value (overspeed: message time that closed it) */
	int acked;
	struct win_pane *next;
};

struct win_stats {
	uint64_t records, late, filtered, replayed;
	uint64_t windows_closed, detections, windows_acked;
};

struct win_engine;

struct win_engine *win_new(struct ovs_rule *rule);	/* takes a reference */
void win_free(struct win_engine *e);
/* A new rule takes effect for windows that open from now on: at the first
 * boundary of its window length at or after the end of every pane opened so
 * far. Takes a reference. */
void win_set_rule(struct win_engine *e, struct ovs_rule *rule);
struct ovs_rule *win_current_rule(const struct win_engine *e);

/* Partitions: a tracked partition holds the watermark back until it has
 * delivered a record or is marked at its end. */
void win_track_partition(struct win_engine *e, int part);
void win_set_eof(struct win_engine *e, int part, int at_eof);
/* Records of part whose window ends at or before floor are skipped. */
void win_set_floor(struct win_engine *e, int part, int64_t floor);
int64_t win_get_floor(const struct win_engine *e, int part);

enum win_add_result { WIN_ADDED, WIN_LATE, WIN_FILTERED, WIN_REPLAYED };
/* Adds one record read from partition part at offset off (off < 0: no offset
 * bookkeeping). May close panes; see win_pending. */
enum win_add_result win_add(struct win_engine *e, const struct win_record *r, int part, int64_t off);
/* Marks offset off of part as done without a record (a rejected line). */
void win_skip_offset(struct win_engine *e, int part, int64_t off);
/* Closes panes the current watermark allows (after win_set_eof, say). */
void win_advance(struct win_engine *e);
/* Closes every open pane (end of input). */
void win_close_all(struct win_engine *e);

/* Clock used to stamp closed panes (closed_ns); default none (0). */
void win_set_clock(struct win_engine *e, int64_t (*now_ns)(void));

/* The oldest closed pane not yet acknowledged, or NULL. Panes must be
 * acknowledged in this order. */
struct win_pane *win_pending(struct win_engine *e);
/* The acknowledged pane is released; it must be the one win_pending returned. */
void win_ack(struct win_engine *e, struct win_pane *p);
size_t win_pending_count(const struct win_engine *e);

/* Safe commit offset of part (next offset to read on restart), or -1 when no
 * record of it was seen. */
int64_t win_safe_offset(const struct win_engine *e, int part);
int64_t win_acked_through(const struct win_engine *e);
int64_t win_watermark(const struct win_engine *e);
size_t win_open_count(const struct win_engine *e);
const struct win_stats *win_stats(const struct win_engine *e);

/* Drops all open and pending panes and partition state (after a rebalance the
 * records are re-read from the committed offsets). Keeps the rule and stats. */
void win_reset(struct win_engine *e);

#endif
