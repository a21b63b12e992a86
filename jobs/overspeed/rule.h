/* rule.h: the overspeed rule (window, threshold, lateness, Redis key formats,
 * expiry, optional conditions), read from a YAML file with libyaml, and a
 * watcher that tells when the file changed so it can be re-read while running.
 *
 * A rule is immutable once loaded and reference counted: every open window
 * keeps the rule it was opened under, so a reload applies from the next window
 * and never changes a window half way. */
#ifndef OVS_RULE_H
#define OVS_RULE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define RULE_AREA_MAX 15	/* longest area code accepted in `areas:` */

struct ovs_rule {
	int refs;
	int64_t window_s;	/* window length; divides 86400 so windows align to midnight */
	double threshold;	/* a window is flagged when its average speed is > threshold */
	int64_t lateness_s;	/* watermark = highest timestamp seen - lateness */
	int64_t ttl_s;		/* EXPIRE of the SET key and of the detail hash */
	char *key_fmt;		/* default "{day}" */
	char *member_fmt;	/* default "{car}-{start}" */
	char *detail_fmt;	/* default "overspeed:{day}:{car}-{start}"; NULL: no detail hash */
	char **areas;		/* only records of these areas count; n_areas 0 = every area */
	size_t n_areas;
	uint32_t min_records;	/* a car's window needs at least this many records to be flagged */
	char *source;		/* file it came from, or "(built-in)" */
};

/* The built-in default rule (30 s, > 80 km/h, 5 s lateness, 604800 s). */
struct ovs_rule *rule_default(void);
/* Parses YAML text; name is used in error messages ("name:line:col: ..."). NULL
 * on error with the message in err. */
struct ovs_rule *rule_parse(const char *text, size_t len, const char *name, char *err, size_t errlen);
/* Reads and parses a file. */
struct ovs_rule *rule_load(const char *path, char *err, size_t errlen);
struct ovs_rule *rule_ref(struct ovs_rule *r);
void rule_unref(struct ovs_rule *r);
/* 1 when area (not NUL-terminated) passes the rule's area condition. */
int rule_area_ok(const struct ovs_rule *r, const char *area, size_t len);
/* One line describing the rule, for logs: "window=30s threshold=80 ...". */
void rule_describe(const struct ovs_rule *r, char *buf, size_t len);

/* Expands a key/member format. Placeholders: {day} yyyyMMdd of the window
 * start, {start} and {end} yyyyMMddHHmmss, {car}, {window} seconds. Returns the
 * length written (truncated to len-1), or -1 when it did not fit. */
struct rule_fmt_args {
	const char *car;
	int64_t start, end;	/* seconds since 1970 (civil time, no zone) */
	int64_t window_s;
};
int rule_format(const char *fmt, const struct rule_fmt_args *a, char *buf, size_t len);
/* 0 when fmt uses only known placeholders and balanced braces, else -1 and a message. */
int rule_format_check(const char *fmt, char *err, size_t errlen);

/* Watches a file by polling stat: changed when mtime, size or inode differ
 * from what was seen at the last rule_watch_mark. */
struct rule_watch {
	char *path;
	struct timespec mtime;
	off_t size;
	ino_t ino;
	int seen;
};
void rule_watch_init(struct rule_watch *w, const char *path);
void rule_watch_mark(struct rule_watch *w);	/* remember the current state */
int rule_watch_changed(const struct rule_watch *w);
void rule_watch_free(struct rule_watch *w);

#endif
