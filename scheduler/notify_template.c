/* notify_template.c: {{ name }} templates of a notification channel,
 * rendered at delivery from the row's payload and the environment
 * (notify_channel.h). Unlike a task's templates (template.c), the names are
 * the payload's fields, which the enqueue half decides (docs/alerts.md):
 * a name the payload does not have is an error, never an empty string. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/json.h"
#include "lib/xalloc.h"
#include "scheduler/duration.h"
#include "scheduler/notify_channel.h"

static int render_name(struct buf *out, const char *name, size_t n, const json_t *payload, char *err,
		       size_t errlen)
{
	if (n > 4 && memcmp(name, "env.", 4) == 0) {
		char *var = xstrndup(name + 4, n - 4);
		const char *v = getenv(var);
		if (!v)
			snprintf(err, errlen, "environment variable %s is not set", var);
		else
			buf_puts(out, v);
		free(var);
		return v ? 0 : -1;
	}
	char *key = xstrndup(name, n);
	const json_t *v = json_is_object(payload) ? json_object_get(payload, key) : NULL;
	int rc = 0;
	if (!v) {
		snprintf(err, errlen, "unknown template name '%s'", key);
		rc = -1;
	} else if (json_is_string(v)) {
		buf_add(out, json_string_value(v), json_string_length(v));
	} else if (!json_is_null(v)) {
		char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (t)
			buf_puts(out, t);
		free(t);
	}
	free(key);
	return rc;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

char *notify_render(const char *s, const json_t *payload, char *err, size_t errlen)
{
	struct buf out = BUF_INIT;
	buf_puts(&out, "");
	const char *p = s;
	for (;;) {
		const char *open = strstr(p, "{{");
		if (!open) {
			buf_puts(&out, p);
			break;
		}
		buf_add(&out, p, (size_t)(open - p));
		const char *close = strstr(open + 2, "}}");
		if (!close) {
			snprintf(err, errlen, "template at offset %zu: '{{' without '}}'", (size_t)(open - s));
			buf_free(&out);
			return NULL;
		}
		const char *a = open + 2, *b = close;
		while (a < b && is_space(*a))
			a++;
		while (b > a && is_space(b[-1]))
			b--;
		if (a == b) {
			snprintf(err, errlen, "template at offset %zu: empty name", (size_t)(open - s));
			buf_free(&out);
			return NULL;
		}
		if (render_name(&out, a, (size_t)(b - a), payload, err, errlen) < 0) {
			buf_free(&out);
			return NULL;
		}
		p = close + 2;
	}
	return buf_detach(&out);
}

char *notify_render_field(const struct notify_item *it, const char *key, int required, char *err, size_t errlen)
{
	const json_t *v = json_object_get(it->channel, key);
	if (!v || json_is_null(v)) {
		if (required)
			snprintf(err, errlen, "channel has no '%s'", key);
		else
			err[0] = 0;
		return NULL;
	}
	if (!json_is_string(v)) {
		snprintf(err, errlen, "channel field '%s' is not a string", key);
		return NULL;
	}
	char e[NOTIFY_ERR_MAX];
	char *r = notify_render(json_string_value(v), it->payload, e, sizeof e);
	if (!r)
		snprintf(err, errlen, "channel field '%s': %s", key, e);
	return r;
}

int64_t notify_duration_field(const json_t *channel, const char *key, int64_t def, char *err, size_t errlen)
{
	const json_t *v = json_object_get(channel, key);
	if (!v || json_is_null(v))
		return def;
	if (json_is_integer(v) && json_integer_value(v) > 0)
		return json_integer_value(v) * 1000;	/* a bare number: seconds */
	int64_t ms;
	char e[256];
	if (!json_is_string(v) || duration_parse(json_string_value(v), &ms, e, sizeof e) < 0 || ms <= 0) {
		snprintf(err, errlen, "channel field '%s' is not a positive duration", key);
		return -1;
	}
	return ms;
}

static const char *field(const json_t *payload, const char *key)
{
	const char *s = json_string_value(json_object_get(payload, key));
	return s && *s ? s : NULL;
}

char *notify_summary(const json_t *payload)
{
	struct buf b = BUF_INIT;
	const char *event = field(payload, "event"), *dag = field(payload, "dag_id");
	const char *task = field(payload, "task_id"), *run = field(payload, "run_id");
	const char *state = field(payload, "state"), *cause = field(payload, "cause");
	const char *url = field(payload, "url"), *tail = field(payload, "log_tail");
	buf_printf(&b, "[%s] %s", event ? event : "notification", dag ? dag : "?");
	if (task)
		buf_printf(&b, ".%s", task);
	json_t *m = json_object_get(payload, "map_index");
	if (task && json_is_integer(m) && json_integer_value(m) >= 0)
		buf_printf(&b, "[%lld]", (long long)json_integer_value(m));
	json_t *t = json_object_get(payload, "try_number");
	if (task && json_is_integer(t))
		buf_printf(&b, " try %lld", (long long)json_integer_value(t));
	if (run)
		buf_printf(&b, " (run %s)", run);
	if (state)
		buf_printf(&b, ": %s", state);
	if (cause)
		buf_printf(&b, ", %s", cause);
	if (url)
		buf_printf(&b, "\n%s", url);
	if (tail)
		buf_printf(&b, "\nlast lines of the log:\n%s", tail);
	return buf_detach(&b);
}
