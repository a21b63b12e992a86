/* notify.c: the enqueue half of the alerts (notify.h, docs/alerts.md).
 *
 * Invariants:
 *   - a row is written only inside the transaction of the state change it is
 *     about (the caller's pass), so both commit or neither does;
 *   - its key is a function of the state change and the channel alone
 *     (<dag>/<run>/<task|->/<try or round>/<event>/<d|t><index>): enqueuing the same
 *     change again (a pass replayed after a rollback, a restart) inserts
 *     nothing (INSERT OR IGNORE);
 *   - the channel is stored as written: its templates are rendered by the
 *     sender at delivery, so no value of the environment is ever stored. The
 *     one rendering done here is of the channel's address, to learn whether
 *     the channel is disabled (renders empty); its result is not kept.
 *
 * State of a row as written: pending (attempts 0, due now), or skipped (a
 * disabled channel, with why in last_error). Every later transition is the
 * sender's. */
#include "scheduler/notify.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/json.h"
#include "lib/xalloc.h"
#include "scheduler/store_daemon.h"
#include "scheduler/template.h"
#include "scheduler/tz.h"

const char *const notify_fields[NOTIFY_NFIELDS] = {
	"id", "event", "dag_id", "run_id", "logical_date", "task_id", "map_index", "try_number", "state", "cause",
	"start_date", "end_date", "log_tail", "url", "deadline",
};

#define TAIL_BYTES 4096
#define TAIL_LINES 20

char *notify_log_tail(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return NULL;
	}
	off_t from = st.st_size > TAIL_BYTES ? st.st_size - TAIL_BYTES : 0;
	char *b = xmalloc(TAIL_BYTES + 1);
	ssize_t n = pread(fd, b, TAIL_BYTES, from);
	close(fd);
	if (n < 0) {
		free(b);
		return NULL;
	}
	b[n] = '\0';
	size_t len = (size_t)n;
	/* A tail that starts mid-line starts at the next line. */
	size_t start = 0;
	if (from > 0) {
		char *nl = memchr(b, '\n', len);
		start = nl ? (size_t)(nl - b) + 1 : 0;
	}
	/* The last TAIL_LINES lines (a final newline ends the last one). */
	size_t end = len, lines = 0, at = len;
	if (end > start && b[end - 1] == '\n')
		at = end - 1;
	while (at > start) {
		if (b[at - 1] == '\n' && ++lines == TAIL_LINES)
			break;
		at--;
	}
	char *out = xmalloc(end - at + 1);
	memcpy(out, b + at, end - at);
	out[end - at] = '\0';
	free(b);
	return out;
}

static json_t *iso_utc(int64_t us)
{
	if (us <= 0)
		return json_null();
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	char s[40];
	gmtime_r(&t, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return jx_str(s);
}

static json_t *str_or_null(const char *s)
{
	return s ? jx_str(s) : json_null();
}

/* Percent-encodes what is not unreserved (RFC 3986) into b. */
static void url_component(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			buf_add(b, s, 1);
		else
			buf_printf(b, "%%%02X", c);
	}
}

/* The task instance's name: "task[i]" for a mapped instance. */
static const char *ti_name(const struct notify_what *w)
{
	return w->ti_name ? w->ti_name : w->task->id;
}

static json_t *web_url(const struct notify_what *w)
{
	if (!w->web_url || !*w->web_url || !w->run_id)
		return json_null();
	struct buf b = BUF_INIT;
	buf_puts(&b, w->web_url);
	while (b.len && b.s[b.len - 1] == '/')
		buf_truncate(&b, b.len - 1);
	buf_puts(&b, "/dags/");
	url_component(&b, w->dag->dag_id);
	buf_puts(&b, "/runs/");
	url_component(&b, w->run_id);
	if (w->task) {
		buf_puts(&b, "/tasks/");
		url_component(&b, ti_name(w));
	}
	json_t *v = jx_str(buf_str(&b));
	buf_free(&b);
	return v;
}

/* The payload of one row (everything but id, which the caller sets first). */
static json_t *payload(const struct notify_what *w, const char *key, const char *log_tail)
{
	json_t *p = json_object();
	char ld[64];
	tz_format_iso(w->dag->timezone ? w->dag->timezone : "UTC", w->logical_date, ld, sizeof ld);
	jx_set(p, "id", jx_str(key));
	jx_set(p, "event", jx_str(w->event));
	jx_set(p, "dag_id", jx_str(w->dag->dag_id));
	jx_set(p, "run_id", str_or_null(w->run_id));
	jx_set(p, "logical_date", jx_str(ld));
	jx_set(p, "task_id", w->task ? jx_str(w->task->id) : json_null());
	jx_set(p, "map_index", json_integer(w->task && w->ti_name ? w->map_index : -1));
	jx_set(p, "try_number", w->task ? json_integer(w->try_number) : json_null());
	jx_set(p, "state", str_or_null(w->state));
	jx_set(p, "cause", str_or_null(w->cause));
	jx_set(p, "start_date", iso_utc(w->start_us));
	jx_set(p, "end_date", iso_utc(w->end_us));
	jx_set(p, "log_tail", str_or_null(log_tail));
	jx_set(p, "url", web_url(w));
	jx_set(p, "deadline", iso_utc(w->deadline_us));
	return p;
}

static const char *any_field(void *arg, const char *field)
{
	(void)arg;
	(void)field;
	return "x";	/* only whether the address is empty matters */
}

/* NULL when the channel is enabled, else why not (into why). */
static const char *disabled(const struct dag_notify *c, char *why, size_t len)
{
	static const char *const what[] = { "webhook url", "email smtp", "command argv[0]" };
	char err[200] = "";
	char *r = template_render_fields(c->address, notify_fields, NOTIFY_NFIELDS, any_field, NULL, err, sizeof err);
	bool empty = true;
	for (const char *p = r ? r : ""; *p && empty; p++)
		empty = isspace((unsigned char)*p);
	free(r);
	if (!empty)
		return NULL;
	snprintf(why, len, "channel disabled: its %s '%s' renders empty%s%s", what[c->type], c->address,
		 *err ? ": " : "", err);
	return why;
}

static int add_row(struct store *s, const struct notify_what *w, const struct dag_notify *c, char scope,
		   size_t index, const char *log_tail, int64_t now_us)
{
	struct buf key = BUF_INIT;
	buf_printf(&key, "%s/%lld/%s/%d/%s/%c%zu", w->dag->dag_id,
		   (long long)(w->run > 0 ? w->run : (int64_t)w->logical_date), w->task ? ti_name(w) : "-",
		   w->try_number, w->event, scope, index);
	json_t *p = payload(w, buf_str(&key), log_tail);
	char *text = jx_dump(p);
	json_decref(p);
	char why[600];
	struct store_notification row = {
		.key = buf_str(&key), .event = w->event, .dag_id = w->dag->dag_id,
		.task_id = w->task ? ti_name(w) : NULL, .channel = c->spec, .payload = text,
		.run = w->run, .try_number = w->task ? w->try_number : -1,
		.skipped = disabled(c, why, sizeof why),
	};
	int rc = store_notification_add(s, &row, now_us);
	free(text);
	buf_free(&key);
	return rc;
}

int notify_enqueue(struct store *s, const struct notify_what *w, int64_t now_us)
{
	unsigned bit = 1u << w->listens;
	bool any = false;
	for (size_t i = 0; i < w->dag->nnotify && !any; i++)
		any = w->dag->notify[i].events & bit;
	for (size_t i = 0; w->task && i < w->task->nnotify && !any; i++)
		any = w->task->notify[i].events & bit;
	if (!any)
		return 0;	/* nobody listens: not even the log is read */
	char *tail = w->task && w->log_path ? notify_log_tail(w->log_path) : NULL;
	int rc = 0;
	for (size_t i = 0; i < w->dag->nnotify && rc == 0; i++)
		if (w->dag->notify[i].events & bit)
			rc = add_row(s, w, &w->dag->notify[i], 'd', i, tail, now_us);
	for (size_t i = 0; w->task && i < w->task->nnotify && rc == 0; i++)
		if (w->task->notify[i].events & bit)
			rc = add_row(s, w, &w->task->notify[i], 't', i, tail, now_us);
	free(tail);
	return rc;
}
