/* dag_load.c: reads one YAML DAG file into the model of dag.h and validates it.
 *
 * Built on libyaml's event API: compose() builds libyaml's document tree from
 * the events itself (nodes carry start marks, so every problem can name its
 * line and column) and refuses a nesting deeper than the limit at the
 * collection that crosses it: libyaml's scanner costs O(depth) per token, so
 * 64k nested '[' would take it seconds to minutes. Checking goes on after the
 * first problem: the loader collects every error of the file (up to
 * DAG_MAX_ERRORS, then counts) into the diag_list and returns NULL if there
 * was any. The walk is driven by the schema (top level -> tasks -> task ->
 * env / wait_for), never by the tree's shape, so its depth is bounded.
 *
 * Linear in the file: every duplicate check is a hash lookup (struct strset),
 * and "did you mean" suggestions, which cost a comparison with every task id,
 * are computed for the first DAG_MAX_SUGGESTIONS unknown dependencies only.
 * Limits (size, depth) come from struct dag_limits; the daemon parses in a
 * child process with a time budget on top (dag_parse.c).
 *
 * YAML anchors and aliases are supported (an alias is the anchored node again,
 * as libyaml composes it); merge keys ("<<") are not, and say so.
 *
 * Values are typed here, not by YAML tags: "retries: 3" and "retries: '3'" are
 * both the integer 3; a null value (empty, ~, null) means the key is not set. */
#include "scheduler/dag.h"
#include "scheduler/dataset.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "lib/json.h"
#include "lib/path.h"
#include "scheduler/duration.h"
#include "scheduler/notify.h"
#include "lib/suggest.h"
#include "scheduler/store.h"
#include "scheduler/template.h"
#include "scheduler/tz.h"


#define DEFAULT_RETRY_DELAY_MS (5 * 60 * 1000LL)
#define DEFAULT_MAX_RETRY_DELAY_MS (60 * 60 * 1000LL)
#define DEFAULT_POKE_MS (30 * 1000LL)
#define DEFAULT_WAIT_TIMEOUT_MS (24 * 60 * 60 * 1000LL)
#define DEFAULT_MAX_ACTIVE_RUNS 16
#define DEFAULT_CONCURRENCY 16

enum top_key {
	TOP_DAG, TOP_DESCRIPTION, TOP_SCHEDULE, TOP_TIMEZONE, TOP_START_DATE, TOP_END_DATE,
	TOP_CATCHUP, TOP_MAX_ACTIVE_RUNS, TOP_CONCURRENCY, TOP_DEFAULT, TOP_PARAMS, TOP_TASKS,
	TOP_PAUSED_ON_CREATE, TOP_NOTIFY, TOP_DEADLINE, NTOP
};
static const char *const top_keys[NTOP] = {
	"dag", "description", "schedule", "timezone", "start_date", "end_date",
	"catchup", "max_active_runs", "concurrency", "default", "params", "tasks",
	"paused_on_create", "notify", "deadline",
};

enum task_key {
	TK_ID, TK_COMMAND, TK_SHELL, TK_ENV, TK_CWD, TK_DEPENDS_ON, TK_TRIGGER_RULE,
	TK_RETRIES, TK_RETRY_DELAY, TK_RETRY_BACKOFF, TK_MAX_RETRY_DELAY, TK_TIMEOUT,
	TK_NO_RETRY_EXIT_CODES, TK_WAIT_FOR, TK_MAX_ACTIVE_TIS, TK_EXECUTOR, TK_SLURM, TK_NOTIFY,
	TK_OUTLETS,
	TK_POOL, TK_POOL_SLOTS, TK_PRIORITY_WEIGHT, TK_WEIGHT_RULE,
	TK_EXPAND,
	NTASK
};
static const char *const task_keys[NTASK] = {
	"id", "command", "shell", "env", "cwd", "depends_on", "trigger_rule",
	"retries", "retry_delay", "retry_backoff", "max_retry_delay", "timeout",
	"no_retry_exit_codes", "wait_for", "max_active_tis_per_dag", "executor", "slurm", "notify",
	"outlets",
	"pool", "pool_slots", "priority_weight", "weight_rule",
	"expand",
};
/* Keys a 'default' mapping may set: what describes how a task runs, not what
 * it is (id, command, wait_for) or where it sits in the graph (depends_on). */
#define DEFAULTABLE ((1u << TK_SHELL) | (1u << TK_ENV) | (1u << TK_CWD) | \
	(1u << TK_TRIGGER_RULE) | (1u << TK_RETRIES) | (1u << TK_RETRY_DELAY) | \
	(1u << TK_RETRY_BACKOFF) | (1u << TK_MAX_RETRY_DELAY) | (1u << TK_TIMEOUT) | \
	(1u << TK_NO_RETRY_EXIT_CODES) | (1u << TK_MAX_ACTIVE_TIS) | (1u << TK_EXECUTOR) | \
	(1u << TK_SLURM) | \
	(1u << TK_POOL) | (1u << TK_POOL_SLOTS) | (1u << TK_PRIORITY_WEIGHT) | (1u << TK_WEIGHT_RULE))

enum wait_key { WK_PATH, WK_POKE, WK_TIMEOUT, WK_DAG, WK_TASK, WK_LOGICAL_DATE, WK_ALLOWED, WK_FAILED, NWAIT };
static const char *const wait_keys[NWAIT] = {
	"path", "poke", "timeout", "dag", "task", "logical_date", "allowed_states", "failed_states",
};
enum slurm_key { SK_PARTITION, SK_CPUS, SK_MEM, SK_TIME, SK_ACCOUNT, SK_QOS, NSLURM };
static const char *const slurm_keys[NSLURM] = { "partition", "cpus", "mem", "time", "account", "qos" };
static const char *const executor_names[] = { "local", "slurm" };

static const char *const trigger_rule_names[] = {
	"all_success", "all_done", "all_failed", "one_success", "one_failed", "none_failed",
};
static const char *const backoff_names[] = { "fixed", "exponential" };

/* What the loader remembers of each task's nodes, for messages that come
 * after the walk (dependencies, cycles, duplicate ids). */
struct task_nodes {
	yaml_node_t *map;
	yaml_node_t *id;
	yaml_node_t **deps;	/* one node per depends_on entry */
};

struct loader {
	const char *file;
	const unsigned char *buf;
	size_t len;
	yaml_document_t doc;
	struct diag_list *diags;
	size_t nerrors;
	struct dag *dag;
	struct task_nodes *tn;
	size_t *ids;		/* open-addressing table of task indexes + 1, by id */
	size_t ids_cap;		/* a power of two, at least twice the task count */
	struct dag_limits lim;
	size_t nsuggested;	/* "did you mean" searches over the task ids so far */
	const char *map_as;	/* while a mapped task loads: its element's name (templates) */
};

/* A set of strings (not owned) with a value each: open addressing, grown at
 * half full. For duplicate checks and anchors, so neither is quadratic. */
struct strset {
	const char **keys;
	size_t *vals;
	size_t cap, n;
};

static uint64_t str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static size_t *strset_slot(struct strset *s, const char *k)
{
	for (size_t i = str_hash(k) & (s->cap - 1);; i = (i + 1) & (s->cap - 1))
		if (!s->keys[i] || !strcmp(s->keys[i], k))
			return &s->vals[i];
}

/* Adds k -> v unless k is there: then returns false with its value in *old. */
static bool strset_add(struct strset *s, const char *k, size_t v, size_t *old);

/* The value of k, or false. */
static bool strset_get(struct strset *s, const char *k, size_t *v)
{
	if (!s->cap)
		return false;
	size_t *slot = strset_slot(s, k);
	if (!s->keys[slot - s->vals])
		return false;
	*v = *slot;
	return true;
}

static void strset_free(struct strset *s)
{
	free(s->keys);
	free(s->vals);
	memset(s, 0, sizeof *s);
}

static void lerr_at(struct loader *L, size_t line, size_t column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void lerr_at(struct loader *L, size_t line, size_t column, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;
	va_start(ap, fmt);
	int r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (++L->nerrors <= DAG_MAX_ERRORS)
		diag_add(L->diags, L->file, (int)line + 1, (int)column + 1, "%s", r < 0 ? "out of memory" : msg);
	if (r >= 0)
		free(msg);
}

#define lerr(L, n, ...) lerr_at((L), (n)->start_mark.line, (n)->start_mark.column, __VA_ARGS__)

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();	/* out of memory while building the model: nothing sane to return */
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

static bool strset_add(struct strset *s, const char *k, size_t v, size_t *old)
{
	if (2 * (s->n + 1) > s->cap) {
		struct strset g = { xcalloc(s->cap ? 2 * s->cap : 16, sizeof *g.keys), NULL,
				    s->cap ? 2 * s->cap : 16, s->n };
		g.vals = xcalloc(g.cap, sizeof *g.vals);
		for (size_t i = 0; i < s->cap; i++)
			if (s->keys[i]) {
				size_t *slot = strset_slot(&g, s->keys[i]);
				g.keys[slot - g.vals] = s->keys[i];
				*slot = s->vals[i];
			}
		strset_free(s);
		*s = g;
	}
	size_t *slot = strset_slot(s, k);
	if (s->keys[slot - s->vals]) {
		if (old)
			*old = *slot;
		return false;
	}
	s->keys[slot - s->vals] = k;
	*slot = v;
	s->n++;
	return true;
}

static yaml_node_t *node_at(struct loader *L, int index)
{
	return yaml_document_get_node(&L->doc, index);
}

static const char *sval(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool is_null(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = sval(n);
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* "'three'", "a mapping", "a sequence", "nothing": for "expected X, got Y". */
static const char *got(const yaml_node_t *n, char *buf, size_t len)
{
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a sequence";
	if (is_null(n))
		return "nothing";
	const char *s = sval(n);
	if (strlen(s) > 60)
		snprintf(buf, len, "'%.57s...'", s);
	else
		snprintf(buf, len, "'%s'", s);
	return buf;
}

/* NULL when s is a valid id, else why not. An id names a directory or file
 * (logs, locks), so on top of the character set it must be one path
 * component (lib/path.h): not made only of dots, at most PATH_NAME_MAX bytes. */
static const char *id_problem(const char *s)
{
	if (!*s)
		return "is empty";
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '.' || *p == '-'))
			return "has a character not allowed";
	return path_name_problem(s);
}

static bool valid_id(const char *s) { return !id_problem(s); }

static bool valid_env_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* Walks a mapping's keys: known ones land in val[]/key[], unknown and
 * duplicate ones are reported (with a suggestion for a likely typo). */
static void collect_keys(struct loader *L, yaml_node_t *map, const char *const *names, size_t n,
			 yaml_node_t **val, yaml_node_t **key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(L, p->key), *v = node_at(L, p->value);
		if (!k || !v)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			char b[80];
			lerr(L, k, "keys must be strings, got %s", got(k, b, sizeof b));
			continue;
		}
		const char *ks = sval(k);
		size_t i;
		for (i = 0; i < n; i++)
			if (!strcmp(ks, names[i]))
				break;
		if (i == n) {
			if (!strcmp(ks, "<<")) {
				lerr(L, k, "merge keys ('<<') are not supported; repeat the keys, or use 'default' for task settings");
				continue;
			}
			const char *near = suggest_nearest(ks, names, n);
			if (near)
				lerr(L, k, "unknown key '%s' (did you mean '%s'?)", ks, near);
			else
				lerr(L, k, "unknown key '%s'", ks);
			continue;
		}
		if (key[i]) {
			lerr(L, k, "duplicate key '%s' (first at line %zu)", ks, key[i]->start_mark.line + 1);
			continue;
		}
		key[i] = k;
		val[i] = v;
	}
}

/* Value getters: 1 = set, 0 = absent or null, -1 = reported error. */

static int get_str(struct loader *L, yaml_node_t *n, const char *what, char **out)
{
	if (!n || is_null(n))
		return 0;
	if (n->type != YAML_SCALAR_NODE) {
		char b[80];
		lerr(L, n, "%s: expected a string, got %s", what, got(n, b, sizeof b));
		return -1;
	}
	free(*out);
	*out = xstrdup(sval(n));
	return 1;
}

static bool parse_long(const char *s, long *out)
{
	if (!*s)
		return false;
	errno = 0;
	char *end;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || s[0] == ' ')
		return false;
	*out = v;
	return true;
}

static int get_int(struct loader *L, yaml_node_t *n, const char *what, long min, int *out)
{
	if (!n || is_null(n))
		return 0;
	char b[80];
	long v;
	if (n->type != YAML_SCALAR_NODE || !parse_long(sval(n), &v)) {
		lerr(L, n, "%s: expected an integer, got %s", what, got(n, b, sizeof b));
		return -1;
	}
	if (v < min) {
		lerr(L, n, "%s: must be at least %ld, got %ld", what, min, v);
		return -1;
	}
	if (v > INT_MAX) {
		lerr(L, n, "%s: %ld is too large", what, v);
		return -1;
	}
	*out = (int)v;
	return 1;
}

static int get_bool(struct loader *L, yaml_node_t *n, const char *what, bool *out)
{
	if (!n || is_null(n))
		return 0;
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON" };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF" };
	if (n->type == YAML_SCALAR_NODE) {
		for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
			if (!strcmp(sval(n), yes[i])) {
				*out = true;
				return 1;
			}
			if (!strcmp(sval(n), no[i])) {
				*out = false;
				return 1;
			}
		}
	}
	char b[80];
	lerr(L, n, "%s: expected true or false, got %s", what, got(n, b, sizeof b));
	return -1;
}

static int get_duration(struct loader *L, yaml_node_t *n, const char *what, int64_t *out)
{
	if (!n || is_null(n))
		return 0;
	char b[80];
	if (n->type != YAML_SCALAR_NODE) {
		lerr(L, n, "%s: expected a duration (30s, 5m, 1h, 7d), got %s", what, got(n, b, sizeof b));
		return -1;
	}
	char err[160] = "";
	int64_t ms;
	if (duration_parse(sval(n), &ms, err, sizeof err) != 0) {
		lerr(L, n, "%s: %s", what, err);	/* err names the value: "bad duration '5x': ..." */
		return -1;
	}
	if (ms > DAG_MAX_DURATION_MS) {
		/* The daemon adds durations to the clock in microseconds. */
		lerr(L, n, "%s: '%s' is longer than the limit of 3650d (10 years)", what, sval(n));
		return -1;
	}
	*out = ms;
	return 1;
}

/* One of names[] by its text; its index, or -1 after reporting. */
static int get_enum(struct loader *L, yaml_node_t *n, const char *what, const char *const *names, size_t nn)
{
	char b[80];
	if (n->type == YAML_SCALAR_NODE)
		for (size_t i = 0; i < nn; i++)
			if (!strcmp(sval(n), names[i]))
				return (int)i;
	char list[200] = "";
	for (size_t i = 0; i < nn; i++) {
		strcat(list, i ? ", " : "");
		strcat(list, names[i]);
	}
	const char *near = n->type == YAML_SCALAR_NODE ? suggest_nearest(sval(n), names, nn) : NULL;
	if (near)
		lerr(L, n, "%s: unknown value %s (did you mean '%s'?)", what, got(n, b, sizeof b), near);
	else
		lerr(L, n, "%s: unknown value %s (one of: %s)", what, got(n, b, sizeof b), list);
	return -1;
}

/* Byte offset in the buffer of libyaml's character index (marks count
 * characters, not bytes). */
static size_t byte_of_char_index(const struct loader *L, size_t idx)
{
	size_t b = 0, c = 0;
	while (b < L->len && c < idx) {
		b++;
		while (b < L->len && (L->buf[b] & 0xC0) == 0x80)
			b++;
		c++;
	}
	return b;
}

/* Reports a template error of scalar n at the "{{" it is about: the k-th
 * "{{" of the value is looked up as the k-th "{{" of the raw text between
 * the node's marks, so quotes and folding do not shift the column. */
static void template_error(struct loader *L, yaml_node_t *n, const char *value, size_t offset, const char *msg,
			   const char *what)
{
	if (L->nerrors >= DAG_MAX_ERRORS) {	/* not kept: spare the scan of the raw text */
		L->nerrors++;
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < offset && value[i]; i++) {
		if (value[i] == '{' && value[i + 1] == '{') {
			k++;
			i++;
		}
	}
	size_t from = byte_of_char_index(L, n->start_mark.index);
	size_t to = byte_of_char_index(L, n->end_mark.index);
	size_t line = n->start_mark.line, col = n->start_mark.column;
	size_t seen = 0;
	for (size_t b = from; b + 1 < to; b++) {
		if (L->buf[b] == '{' && L->buf[b + 1] == '{') {
			if (seen == k) {
				lerr_at(L, line, col, "%s: %s", what, msg);
				return;
			}
			seen++;
			b++;
			col += 2;
			continue;
		}
		if (L->buf[b] == '\n' || (L->buf[b] == '\r' && L->buf[b + 1] != '\n')) {
			line++;
			col = 0;
		} else if ((L->buf[b] & 0xC0) != 0x80) {
			col++;
		}
	}
	lerr(L, n, "%s: %s", what, msg);
}

static void check_template(struct loader *L, yaml_node_t *n, const char *value, const char *what)
{
	size_t off = 0;
	char err[200];
	if (template_check_map(value, L->dag, L->map_as, &off, err, sizeof err) != 0)
		template_error(L, n, value, off, err, what);
}

/* ---- notify and deadline (docs/alerts.md) ------------------------------- */

enum channel_key {
	CK_ON, CK_WEBHOOK, CK_FORMAT, CK_EMAIL, CK_COMMAND, CK_TIMEOUT, CK_GIVE_UP_AFTER, CK_HEADERS_ENV, NCHANNEL
};
static const char *const channel_keys[NCHANNEL] = {
	"on", "webhook", "format", "email", "command", "timeout", "give_up_after", "headers_env",
};
/* The template strings of an email first, then the names of environment
 * variables (AUTH credentials: the DAG names them, never holds them). */
enum email_key { EK_TO, EK_FROM, EK_SMTP, EK_SUBJECT, EK_BODY, EK_USER_ENV, EK_PASSWORD_ENV, EK_STARTTLS, NEMAIL };
static const char *const email_keys[NEMAIL] = {
	"to", "from", "smtp", "subject", "body", "user_env", "password_env", "starttls",
};
static const char *const format_names[] = { "json", "slack", "text" };

/* A channel's string value: a template over the payload's fields. */
static void check_field_template(struct loader *L, yaml_node_t *n, const char *value, const char *what)
{
	size_t off = 0;
	char err[200];
	if (template_check_fields(value, notify_fields, NOTIFY_NFIELDS, &off, err, sizeof err) != 0)
		template_error(L, n, value, off, err, what);
}

/* A string of a channel, template-checked, as a JSON string; NULL after
 * reporting (or when absent and not required). */
static json_t *channel_str(struct loader *L, yaml_node_t *n, yaml_node_t *at, const char *what, bool required)
{
	char b[80];
	if (!n || is_null(n)) {
		if (required)
			lerr(L, n ? n : at, "%s: missing (required)", what);
		return NULL;
	}
	if (n->type != YAML_SCALAR_NODE) {
		lerr(L, n, "%s: expected a string, got %s", what, got(n, b, sizeof b));
		return NULL;
	}
	check_field_template(L, n, sval(n), what);
	return jx_str(sval(n));
}

/* on: one event or a list of them; the mask, 0 after reporting. */
static unsigned channel_events(struct loader *L, yaml_node_t *n, yaml_node_t *at, const char *what, bool task)
{
	char b[80];
	if (!n || is_null(n)) {
		lerr(L, n ? n : at, "%s: missing 'on' (the events to notify: %s)", what,
		     "task_failed, task_retry, run_failed, run_succeeded, deadline_missed, schedule_missed,"
		     " stream_crash_loop");
		return 0;
	}
	yaml_node_item_t one = 0, *start, *top;
	if (n->type == YAML_SCALAR_NODE) {
		one = (yaml_node_item_t)(n - L->doc.nodes.start) + 1;
		start = &one;
		top = &one + 1;
	} else if (n->type == YAML_SEQUENCE_NODE) {
		start = n->data.sequence.items.start;
		top = n->data.sequence.items.top;
		if (start == top) {
			lerr(L, n, "%s.on: must name at least one event", what);
			return 0;
		}
	} else {
		lerr(L, n, "%s.on: expected an event or a list of events, got %s", what, got(n, b, sizeof b));
		return 0;
	}
	unsigned mask = 0;
	char w[400];
	snprintf(w, sizeof w, "%s.on", what);
	for (yaml_node_item_t *it = start; it < top; it++) {
		yaml_node_t *e = node_at(L, *it);
		if (!e)
			continue;
		int i = get_enum(L, e, w, notify_event_names, NOTIFY_NEVENTS);
		if (i < 0)
			continue;
		if (task && !(NOTIFY_TASK_EVENTS & (1u << i))) {
			lerr(L, e, "%s: '%s' is not an event of a task (a task's notify takes task_failed, task_retry,"
			     " stream_crash_loop; put it in the DAG's notify)", w, sval(e));
			continue;
		}
		if (mask & (1u << i))
			lerr(L, e, "%s: '%s' is listed twice", w, sval(e));
		mask |= 1u << i;
	}
	return mask;
}

/* A webhook URL must be http(s), unless it is a template (checked when it
 * is rendered, by the sender). */
static void check_webhook_url(struct loader *L, yaml_node_t *n, const char *url, const char *what)
{
	if (!strncmp(url, "{{", 2))
		return;
	const char *host = !strncmp(url, "http://", 7) ? url + 7 : !strncmp(url, "https://", 8) ? url + 8 : NULL;
	if (!host)
		lerr(L, n, "%s: '%s' is not an http:// or https:// URL", what, url);
	else if (!*host || *host == '/' || *host == ':')
		lerr(L, n, "%s: '%s' has no host", what, url);
}

/* The name of an environment variable (a secret's: the DAG names it, the
 * sender reads it at delivery); NULL after reporting or when absent. */
static json_t *env_name(struct loader *L, yaml_node_t *n, const char *what)
{
	char b[80];
	if (!n || is_null(n))
		return NULL;
	if (n->type != YAML_SCALAR_NODE || !valid_env_name(sval(n))) {
		lerr(L, n, "%s: expected the name of an environment variable (letters, digits, '_', not starting"
		     " with a digit), got %s", what, got(n, b, sizeof b));
		return NULL;
	}
	return jx_str(sval(n));
}

/* headers_env: {Header-Name: ENV_VAR}: a header whose value (a token) the
 * sender reads from the environment at delivery. */
static json_t *load_headers_env(struct loader *L, yaml_node_t *n, const char *what)
{
	char b[80], w[600];
	if (n->type != YAML_MAPPING_NODE) {
		lerr(L, n, "%s: expected a mapping of Header-Name: ENV_VAR, got %s", what, got(n, b, sizeof b));
		return NULL;
	}
	json_t *o = json_object();
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(L, p->key), *v = node_at(L, p->value);
		if (!k || !v)
			continue;
		bool token = k->type == YAML_SCALAR_NODE && *sval(k);
		for (const char *c = token ? sval(k) : ""; *c && token; c++)
			token = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
				strchr("!#$%&'*+-.^_`|~", *c);
		if (!token) {
			lerr(L, k, "%s: bad header name %s (letters, digits and !#$%%&'*+-.^_`|~)", what,
			     got(k, b, sizeof b));
			continue;
		}
		if (json_object_get(o, sval(k))) {
			lerr(L, k, "%s: duplicate header '%s'", what, sval(k));
			continue;
		}
		snprintf(w, sizeof w, "%s.%s", what, sval(k));
		json_t *e = env_name(L, v, w);
		if (e)
			jx_set(o, sval(k), e);
	}
	return o;
}

static json_t *load_email(struct loader *L, yaml_node_t *n, const char *what, char **address)
{
	char b[80], w[512];
	if (n->type != YAML_MAPPING_NODE) {
		lerr(L, n, "%s: expected a mapping (to:, from:, smtp:, subject:, body:), got %s", what,
		     got(n, b, sizeof b));
		return NULL;
	}
	yaml_node_t *val[NEMAIL] = { 0 }, *key[NEMAIL] = { 0 };
	collect_keys(L, n, email_keys, NEMAIL, val, key);
	json_t *o = json_object();
	jx_set(o, "type", jx_str("email"));
	json_t *to = json_array();
	yaml_node_t *tn = val[EK_TO];
	snprintf(w, sizeof w, "%s.to", what);
	if (!tn || is_null(tn)) {
		lerr(L, tn ? tn : n, "%s: an email needs 'to' (one address or a list)", what);
	} else if (tn->type == YAML_SCALAR_NODE) {
		check_field_template(L, tn, sval(tn), w);
		json_array_append_new(to, jx_str(sval(tn)));
	} else if (tn->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = tn->data.sequence.items.start; it < tn->data.sequence.items.top; it++) {
			yaml_node_t *a = node_at(L, *it);
			if (!a)
				continue;
			if (a->type != YAML_SCALAR_NODE || is_null(a)) {
				lerr(L, a, "%s: expected an address, got %s", w, got(a, b, sizeof b));
				continue;
			}
			check_field_template(L, a, sval(a), w);
			json_array_append_new(to, jx_str(sval(a)));
		}
		if (!json_array_size(to))
			lerr(L, tn, "%s: an email needs at least one address in 'to'", what);
	} else {
		lerr(L, tn, "%s: expected an address or a list of addresses, got %s", w, got(tn, b, sizeof b));
	}
	jx_set(o, "to", to);
	for (int k = EK_FROM; k < EK_USER_ENV; k++) {
		snprintf(w, sizeof w, "%s.%s", what, email_keys[k]);
		json_t *v = channel_str(L, val[k], n, w, k == EK_FROM || k == EK_SMTP);
		if (v) {
			if (k == EK_SMTP) {
				free(*address);
				*address = xstrdup(json_string_value(v));
			}
			jx_set(o, email_keys[k], v);
		}
	}
	for (int k = EK_USER_ENV; k <= EK_PASSWORD_ENV; k++) {
		snprintf(w, sizeof w, "%s.%s", what, email_keys[k]);
		json_t *v = env_name(L, val[k], w);
		if (v)
			jx_set(o, email_keys[k], v);
	}
	bool tls;
	snprintf(w, sizeof w, "%s.starttls", what);
	if (get_bool(L, val[EK_STARTTLS], w, &tls) == 1)
		jx_set(o, "starttls", json_boolean(tls));
	return o;
}

static json_t *load_notify_command(struct loader *L, yaml_node_t *n, const char *what, char **address)
{
	char b[80];
	if (n->type != YAML_SEQUENCE_NODE || n->data.sequence.items.start == n->data.sequence.items.top) {
		lerr(L, n, "%s: expected a non-empty list of strings (argv, no shell), got %s", what,
		     got(n, b, sizeof b));
		return NULL;
	}
	json_t *argv = json_array();
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *a = node_at(L, *it);
		if (!a)
			continue;
		if (a->type != YAML_SCALAR_NODE) {
			lerr(L, a, "%s: argument %zu: expected a string, got %s", what,
			     (size_t)(it - n->data.sequence.items.start) + 1, got(a, b, sizeof b));
			continue;
		}
		const char *v = is_null(a) ? "" : sval(a);
		check_field_template(L, a, v, what);
		if (!*address)
			*address = xstrdup(v);
		json_array_append_new(argv, jx_str(v));
	}
	json_t *o = json_object();
	jx_set(o, "type", jx_str("command"));
	jx_set(o, "argv", argv);
	return o;
}

/* One channel of a notify list into *c; false after reporting. */
static bool load_channel(struct loader *L, yaml_node_t *n, const char *what, bool task, struct dag_notify *c)
{
	char b[80], w[400];
	if (n->type != YAML_MAPPING_NODE) {
		lerr(L, n, "%s: expected a mapping (on:, and one of webhook:, email:, command:), got %s", what,
		     got(n, b, sizeof b));
		return false;
	}
	size_t before = L->nerrors;
	yaml_node_t *val[NCHANNEL] = { 0 }, *key[NCHANNEL] = { 0 };
	collect_keys(L, n, channel_keys, NCHANNEL, val, key);
	c->events = channel_events(L, val[CK_ON], n, what, task);
	int kinds[] = { CK_WEBHOOK, CK_EMAIL, CK_COMMAND }, given = -1;
	for (size_t i = 0; i < 3; i++) {
		if (!val[kinds[i]] || is_null(val[kinds[i]]))
			continue;
		if (given >= 0)
			lerr(L, key[kinds[i]], "%s: two channels ('%s' and '%s'); write one entry per channel", what,
			     channel_keys[given], channel_keys[kinds[i]]);
		else
			given = kinds[i];
	}
	if (given < 0) {
		lerr(L, n, "%s: missing channel (one of webhook:, email:, command:)", what);
		return false;
	}
	if (val[CK_FORMAT] && given != CK_WEBHOOK)
		lerr(L, key[CK_FORMAT], "%s: 'format' is for a webhook", what);
	if (val[CK_HEADERS_ENV] && given != CK_WEBHOOK)
		lerr(L, key[CK_HEADERS_ENV], "%s: 'headers_env' is for a webhook", what);
	json_t *o = NULL;
	char *address = NULL;
	snprintf(w, sizeof w, "%s.%s", what, channel_keys[given]);
	if (given == CK_WEBHOOK) {
		c->type = NOTIFY_WEBHOOK;
		json_t *url = channel_str(L, val[CK_WEBHOOK], n, w, true);
		if (url) {
			check_webhook_url(L, val[CK_WEBHOOK], json_string_value(url), w);
			address = xstrdup(json_string_value(url));
			o = json_object();
			jx_set(o, "type", jx_str("webhook"));
			jx_set(o, "url", url);
			int f = 0;
			if (val[CK_FORMAT] && !is_null(val[CK_FORMAT])) {
				snprintf(w, sizeof w, "%s.format", what);
				f = get_enum(L, val[CK_FORMAT], w, format_names, 3);
			}
			jx_set(o, "format", jx_str(format_names[f < 0 ? 0 : f]));
			snprintf(w, sizeof w, "%s.headers_env", what);
			if (val[CK_HEADERS_ENV] && !is_null(val[CK_HEADERS_ENV])) {
				json_t *h = load_headers_env(L, val[CK_HEADERS_ENV], w);
				if (h)
					jx_set(o, "headers_env", h);
			}
		}
	} else if (given == CK_EMAIL) {
		c->type = NOTIFY_EMAIL;
		o = load_email(L, val[CK_EMAIL], w, &address);
	} else {
		c->type = NOTIFY_COMMAND;
		o = load_notify_command(L, val[CK_COMMAND], w, &address);
	}
	/* Durations, kept as written (the sender parses them the same way):
	 * timeout (default: webhook 10s, email 30s, command 30s, written for a
	 * command) and give_up_after (default 24h). */
	for (int k = CK_TIMEOUT; o && k <= CK_GIVE_UP_AFTER; k++) {
		int64_t ms = 0;
		snprintf(w, sizeof w, "%s.%s", what, channel_keys[k]);
		int r = get_duration(L, val[k], w, &ms);
		if (r == 1 && ms <= 0)
			lerr(L, val[k], "%s: must be greater than 0", w);
		if (r == 1)
			jx_set(o, channel_keys[k], jx_str(sval(val[k])));
		else if (k == CK_TIMEOUT && given == CK_COMMAND)
			jx_set(o, "timeout", jx_str("30s"));
	}
	if (!o || L->nerrors != before) {
		json_decref(o);
		free(address);
		return false;
	}
	c->spec = jx_dump(o);
	c->address = address ? address : xstrdup("");
	json_decref(o);
	return true;
}

/* notify: a list of channels (DAG level, or a task's own: task events only). */
static void load_notify(struct loader *L, yaml_node_t *n, const char *where, bool task, struct dag_notify **out,
			size_t *count)
{
	char b[80];
	if (!n || is_null(n))
		return;
	if (n->type != YAML_SEQUENCE_NODE) {
		lerr(L, n, "%snotify: expected a list of channels (- on: [...] with webhook:, email: or command:),"
		     " got %s", where, got(n, b, sizeof b));
		return;
	}
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	*out = xcalloc(cap, sizeof **out);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *c = node_at(L, *it);
		if (!c)
			continue;
		char what[320];
		snprintf(what, sizeof what, "%snotify[%zu]", where, (size_t)(it - n->data.sequence.items.start) + 1);
		if (load_channel(L, c, what, task, &(*out)[*count]))
			(*count)++;
	}
}

/* ---- top level ---------------------------------------------------------- */

static void load_params(struct loader *L, yaml_node_t *n)
{
	char b[80];
	if (!n || is_null(n))
		return;
	if (n->type != YAML_MAPPING_NODE) {
		lerr(L, n, "params: expected a mapping of name: value, got %s", got(n, b, sizeof b));
		return;
	}
	struct dag *d = L->dag;
	size_t cap = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	d->params = xcalloc(cap, sizeof *d->params);
	struct strset names = { 0 };
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(L, p->key), *v = node_at(L, p->value);
		if (!k || !v)
			continue;
		if (k->type != YAML_SCALAR_NODE || !valid_id(sval(k))) {
			lerr(L, k, "params: bad name %s (letters, digits, '_', '.', '-')", got(k, b, sizeof b));
			continue;
		}
		if (!strset_add(&names, sval(k), 0, NULL)) {
			lerr(L, k, "params: duplicate param '%s'", sval(k));
			continue;
		}
		if (v->type != YAML_SCALAR_NODE) {
			lerr(L, v, "params.%s: expected a scalar value, got %s", sval(k), got(v, b, sizeof b));
			continue;
		}
		d->params[d->nparams].key = xstrdup(sval(k));
		d->params[d->nparams].value = xstrdup(is_null(v) ? "" : sval(v));
		d->nparams++;
	}
	strset_free(&names);
}

/* schedule: {datasets: [URI, ...]}: literal, valid, distinct URIs. A cron
 * beside them is refused: "either" and "both" are two readings of it
 * (docs/datasets.md says why). */
static void load_schedule_datasets(struct loader *L, yaml_node_t *n)
{
	struct dag *d = L->dag;
	char b[80];
	size_t errors_before = L->nerrors;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(L, p->key);
		if (!k)
			continue;
		if (k->type == YAML_SCALAR_NODE && !strcmp(sval(k), "cron"))
			lerr(L, k, "schedule: 'cron' beside 'datasets' is not supported: a DAG runs on a cron or on"
			     " datasets; make a second DAG for the other (docs/datasets.md)");
		else if (k->type != YAML_SCALAR_NODE || strcmp(sval(k), "datasets"))
			lerr(L, k, "schedule: unknown key %s (a schedule mapping has 'datasets')", got(k, b, sizeof b));
	}
	yaml_node_t *list = NULL;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(L, p->key);
		if (k && k->type == YAML_SCALAR_NODE && !strcmp(sval(k), "datasets")) {
			if (list) {
				lerr(L, k, "schedule: duplicate key 'datasets'");
				continue;
			}
			list = node_at(L, p->value);
		}
	}
	d->schedule = xstrdup("datasets");
	if (!list) {
		if (L->nerrors == errors_before)	/* not after a misspelt key */
			lerr(L, n, "schedule: a schedule mapping needs 'datasets: [URI, ...]'");
		return;
	}
	if (list->type != YAML_SEQUENCE_NODE) {
		lerr(L, list, "schedule.datasets: expected a list of dataset URIs, got %s", got(list, b, sizeof b));
		return;
	}
	if (list->data.sequence.items.top == list->data.sequence.items.start) {
		lerr(L, list, "schedule.datasets: the list is empty (name at least one dataset URI)");
		return;
	}
	size_t cap = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
	if (cap > DATASET_MAX_PER_DAG) {
		lerr(L, list, "schedule.datasets: %zu URIs, over the limit of %d", cap, DATASET_MAX_PER_DAG);
		return;
	}
	d->datasets = xcalloc(cap, sizeof *d->datasets);
	struct strset seen = { 0 };
	bool ok = true;
	for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		yaml_node_t *u = node_at(L, *it);
		if (!u)
			continue;
		const char *why;
		if (u->type != YAML_SCALAR_NODE || is_null(u)) {
			lerr(L, u, "schedule.datasets: expected a dataset URI, got %s", got(u, b, sizeof b));
			ok = false;
		} else if ((why = dataset_uri_problem(sval(u)))) {
			lerr(L, u, "schedule.datasets: bad dataset URI %s: %s", got(u, b, sizeof b), why);
			ok = false;
		} else if (!strset_add(&seen, sval(u), 0, NULL)) {
			lerr(L, u, "schedule.datasets: '%s' is listed twice", sval(u));
			ok = false;
		} else {
			d->datasets[d->ndatasets++] = xstrdup(sval(u));
		}
	}
	strset_free(&seen);
	if (!ok)
		return;
	d->kind = SCHEDULE_DATASETS;
	/* As the store keeps it (dags.schedule) and schedctl reads it back:
	 * {"datasets":["URI",...]} */
	json_t *o = json_object(), *a = json_array();
	for (size_t i = 0; i < d->ndatasets; i++)
		json_array_append_new(a, jx_str(d->datasets[i]));
	jx_set(o, "datasets", a);
	free(d->schedule);
	d->schedule = jx_dump(o);
	json_decref(o);
}

static void load_schedule(struct loader *L, yaml_node_t *n)
{
	struct dag *d = L->dag;
	d->kind = SCHEDULE_NONE;
	if (n && n->type == YAML_MAPPING_NODE) {
		load_schedule_datasets(L, n);
		return;
	}
	if (get_str(L, n, "schedule", &d->schedule) != 1) {
		if (!d->schedule)
			d->schedule = xstrdup("none");
		return;
	}
	if (!strcmp(d->schedule, "none"))
		return;
	if (!strcmp(d->schedule, "stream")) {
		d->kind = SCHEDULE_STREAM;
		return;
	}
	char err[200] = "";
	if (cron_parse(d->schedule, &d->cron, err, sizeof err) != 0) {
		lerr(L, n, "schedule: bad cron expression '%s': %s", d->schedule, err);
		return;
	}
	if (!cron_can_fire(&d->cron)) {
		lerr(L, n, "schedule: '%s' never fires (no month it names has a day of month it names)", d->schedule);
		return;
	}
	d->kind = SCHEDULE_CRON;
}

static int load_date(struct loader *L, yaml_node_t *n, const char *what, const char *tz, time_t *out)
{
	char *s = NULL;
	int r = get_str(L, n, what, &s);
	if (r == 1 && tz_parse_datetime(tz, s, out) != 0) {
		lerr(L, n, "%s: bad date '%s' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM])", what, s);
		r = -1;
	} else if (r == 1 && *out <= 0) {
		/* Instants are seconds since the epoch, and the planner's fire times
		 * after it: an earlier date would silently disable catchup. */
		lerr(L, n, "%s: '%s' is not after 1970-01-01T00:00:00Z, the earliest instant the scheduler represents",
		     what, s);
		r = -1;
	}
	free(s);
	return r;
}

static void load_top(struct loader *L, yaml_node_t *root, yaml_node_t **val, yaml_node_t **key)
{
	struct dag *d = L->dag;
	char b[80];
	collect_keys(L, root, top_keys, NTOP, val, key);

	if (!val[TOP_DAG] || is_null(val[TOP_DAG]))
		lerr(L, val[TOP_DAG] ? val[TOP_DAG] : root, "missing required key 'dag' (the DAG's id)");
	else if (get_str(L, val[TOP_DAG], "dag", &d->dag_id) == 1 && id_problem(d->dag_id))
		lerr(L, val[TOP_DAG], "dag: bad id %s: %s (an id is 1 to 250 letters, digits, '_', '.', '-',"
		     " not only dots)", got(val[TOP_DAG], b, sizeof b), id_problem(d->dag_id));
	get_str(L, val[TOP_DESCRIPTION], "description", &d->description);

	d->timezone = xstrdup("UTC");
	bool tz_ok = true;
	if (get_str(L, val[TOP_TIMEZONE], "timezone", &d->timezone) == 1 && !tz_valid(d->timezone)) {
		lerr(L, val[TOP_TIMEZONE], "timezone: unknown time zone '%s' (an IANA name like Europe/Paris)",
		     d->timezone);
		tz_ok = false;
	}
	load_schedule(L, val[TOP_SCHEDULE]);

	/* With a bad zone the dates are still checked for their syntax, in UTC. */
	const char *tz = tz_ok ? d->timezone : "UTC";
	int has_start = load_date(L, val[TOP_START_DATE], "start_date", tz, &d->start_date);
	int has_end = load_date(L, val[TOP_END_DATE], "end_date", tz, &d->end_date);
	d->has_start_date = has_start == 1;
	d->has_end_date = has_end == 1;
	if (has_start == 1 && has_end == 1 && d->end_date <= d->start_date)
		lerr(L, val[TOP_END_DATE], "end_date: must be after start_date (line %zu)",
		     val[TOP_START_DATE]->start_mark.line + 1);
	if (get_bool(L, val[TOP_CATCHUP], "catchup", &d->catchup) == 1 && d->catchup &&
	    d->kind == SCHEDULE_CRON && has_start == 0)
		lerr(L, key[TOP_CATCHUP], "catchup: a cron schedule with catchup needs a start_date");

	d->has_paused_on_create = get_bool(L, val[TOP_PAUSED_ON_CREATE], "paused_on_create",
					   &d->paused_on_create) == 1;

	d->max_active_runs = DEFAULT_MAX_ACTIVE_RUNS;
	d->concurrency = DEFAULT_CONCURRENCY;
	get_int(L, val[TOP_MAX_ACTIVE_RUNS], "max_active_runs", 1, &d->max_active_runs);
	get_int(L, val[TOP_CONCURRENCY], "concurrency", 1, &d->concurrency);
	load_params(L, val[TOP_PARAMS]);
	load_notify(L, val[TOP_NOTIFY], "", false, &d->notify, &d->nnotify);
	if (get_duration(L, val[TOP_DEADLINE], "deadline", &d->deadline_ms) == 1) {
		if (d->deadline_ms <= 0)
			lerr(L, val[TOP_DEADLINE], "deadline: must be greater than 0 (leave it out for none)");
		else if (d->kind != SCHEDULE_CRON)
			lerr(L, val[TOP_DEADLINE], "deadline: counts from the end of a scheduled interval, so it"
			     " needs a cron schedule (schedule: '%s')", d->schedule ? d->schedule : "none");
	}
}

/* ---- tasks -------------------------------------------------------------- */

static void load_env(struct loader *L, yaml_node_t *n, struct dag_task *t)
{
	char b[80];
	if (n->type != YAML_MAPPING_NODE) {
		lerr(L, n, "env: expected a mapping of NAME: value, got %s", got(n, b, sizeof b));
		return;
	}
	size_t cap = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	t->env = xcalloc(cap, sizeof *t->env);
	struct strset names = { 0 };
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(L, p->key), *v = node_at(L, p->value);
		if (!k || !v)
			continue;
		if (k->type != YAML_SCALAR_NODE || !valid_env_name(sval(k))) {
			lerr(L, k, "env: bad variable name %s (letters, digits, '_', not starting with a digit)",
			     got(k, b, sizeof b));
			continue;
		}
		if (!strset_add(&names, sval(k), 0, NULL)) {
			lerr(L, k, "env: duplicate variable '%s'", sval(k));
			continue;
		}
		if (v->type != YAML_SCALAR_NODE) {
			lerr(L, v, "env.%s: expected a string, got %s", sval(k), got(v, b, sizeof b));
			continue;
		}
		const char *value = is_null(v) ? "" : sval(v);
		char what[300];
		snprintf(what, sizeof what, "env.%s", sval(k));
		check_template(L, v, value, what);
		t->env[t->nenv].key = xstrdup(sval(k));
		t->env[t->nenv].value = xstrdup(value);
		t->nenv++;
	}
	strset_free(&names);
}

static void load_exit_codes(struct loader *L, yaml_node_t *n, struct dag_task *t)
{
	char b[80];
	if (n->type != YAML_SEQUENCE_NODE) {
		lerr(L, n, "no_retry_exit_codes: expected a list of exit codes, got %s", got(n, b, sizeof b));
		return;
	}
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	t->no_retry_exit_codes = xcalloc(cap, sizeof *t->no_retry_exit_codes);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *c = node_at(L, *it);
		long v;
		if (!c)
			continue;
		if (c->type != YAML_SCALAR_NODE || !parse_long(sval(c), &v)) {
			lerr(L, c, "no_retry_exit_codes: expected an integer, got %s", got(c, b, sizeof b));
			continue;
		}
		if (v < 0 || v > 255) {
			lerr(L, c, "no_retry_exit_codes: %ld is out of range 0-255", v);
			continue;
		}
		t->no_retry_exit_codes[t->nno_retry_exit_codes++] = (int)v;
	}
}

/* A Slurm name (partition, account, qos): what sbatch accepts, no separators. */
static bool slurm_name_ok(const char *s)
{
	if (!*s || strlen(s) > 200)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.'))
			return false;
	return true;
}

/* "512M", "8G", "1T", "4096" (MiB, Slurm's unit) -> MiB; false if not one. */
static bool parse_mem_mb(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	if (!isdigit((unsigned char)*s))
		return false;
	long long v = strtoll(s, &end, 10);
	if (errno || v <= 0)
		return false;
	long long mul = 1;
	if (*end == 'M' || *end == 'm')
		end++;
	else if (*end == 'G' || *end == 'g')
		mul = 1024, end++;
	else if (*end == 'T' || *end == 't')
		mul = 1024 * 1024, end++;
	if (*end || v > (1LL << 40) / mul)
		return false;
	*out = v * mul;
	return true;
}

static void load_slurm(struct loader *L, yaml_node_t *n, struct dag_slurm *s)
{
	char b[80];
	if (n->type != YAML_MAPPING_NODE) {
		lerr(L, n, "slurm: expected a mapping of partition, cpus, mem, time, account, qos, got %s",
		     got(n, b, sizeof b));
		return;
	}
	yaml_node_t *val[NSLURM] = { 0 }, *key[NSLURM] = { 0 };
	collect_keys(L, n, slurm_keys, NSLURM, val, key);
	static const int names[] = { SK_PARTITION, SK_ACCOUNT, SK_QOS };
	char **dst[] = { &s->partition, &s->account, &s->qos };
	for (size_t i = 0; i < 3; i++) {
		char what[40];
		snprintf(what, sizeof what, "slurm.%s", slurm_keys[names[i]]);
		if (get_str(L, val[names[i]], what, dst[i]) == 1 && !slurm_name_ok(*dst[i])) {
			lerr(L, val[names[i]], "%s: bad name %s (letters, digits, '_', '-', '.')", what,
			     got(val[names[i]], b, sizeof b));
			free(*dst[i]);
			*dst[i] = NULL;
		}
	}
	get_int(L, val[SK_CPUS], "slurm.cpus", 1, &s->cpus);
	if (val[SK_MEM] && !is_null(val[SK_MEM]) &&
	    (val[SK_MEM]->type != YAML_SCALAR_NODE || !parse_mem_mb(sval(val[SK_MEM]), &s->mem_mb)))
		lerr(L, val[SK_MEM], "slurm.mem: expected a size in MiB with an optional M, G or T (512M, 8G),"
		     " got %s", got(val[SK_MEM], b, sizeof b));
	int64_t ms = 0;
	if (get_duration(L, val[SK_TIME], "slurm.time", &ms) == 1) {
		if (ms <= 0)
			lerr(L, val[SK_TIME], "slurm.time: must be greater than 0");
		else
			s->time_min = (ms + 59999) / 60000;
	}
}

static void slurm_copy(struct dag_slurm *dst, const struct dag_slurm *src)
{
	*dst = *src;
	dst->partition = src->partition ? xstrdup(src->partition) : NULL;
	dst->account = src->account ? xstrdup(src->account) : NULL;
	dst->qos = src->qos ? xstrdup(src->qos) : NULL;
}

/* pool, pool_slots, priority_weight, weight_rule (docs/pools.md): the mask
 * of those given. A pool name follows the id rule; whether the pool exists is
 * known only at run time (the pools table), where an unknown one waits. */
static unsigned load_pool_settings(struct loader *L, yaml_node_t **val, struct dag_task *t)
{
	unsigned mask = 0;
	char b[80];
	if (get_str(L, val[TK_POOL], "pool", &t->pool) != 0) {
		mask |= 1u << TK_POOL;
		if (t->pool && id_problem(t->pool))
			lerr(L, val[TK_POOL], "pool: bad pool name %s: %s (a name is 1 to 250 letters, digits, '_',"
			     " '.', '-', not only dots)", got(val[TK_POOL], b, sizeof b), id_problem(t->pool));
	}
	if (get_int(L, val[TK_POOL_SLOTS], "pool_slots", 1, &t->pool_slots) != 0)
		mask |= 1u << TK_POOL_SLOTS;
	if (get_int(L, val[TK_PRIORITY_WEIGHT], "priority_weight", -DAG_MAX_PRIORITY_WEIGHT,
		    &t->priority_weight) != 0) {
		mask |= 1u << TK_PRIORITY_WEIGHT;
		if (t->priority_weight > DAG_MAX_PRIORITY_WEIGHT)
			lerr(L, val[TK_PRIORITY_WEIGHT], "priority_weight: %d is over the limit of %d",
			     t->priority_weight, DAG_MAX_PRIORITY_WEIGHT);
	}
	if (val[TK_WEIGHT_RULE] && !is_null(val[TK_WEIGHT_RULE])) {
		static const char *const rules[] = { "absolute" };
		yaml_node_t *n = val[TK_WEIGHT_RULE];
		if (n->type == YAML_SCALAR_NODE && (!strcmp(sval(n), "downstream") || !strcmp(sval(n), "upstream")))
			lerr(L, n, "weight_rule: '%s' is not implemented: only 'absolute' is (a task's priority is its"
			     " own priority_weight; Airflow's sums over downstream or upstream tasks are not)", sval(n));
		else
			get_enum(L, n, "weight_rule", rules, 1);
		mask |= 1u << TK_WEIGHT_RULE;
	}
	return mask;
}

/* The keys a task and a 'default' mapping share. Returns the mask of keys
 * given (bit = enum task_key); a key whose value was wrong counts as given so
 * the default does not silently take its place. */
static unsigned load_task_settings(struct loader *L, yaml_node_t **val, struct dag_task *t)
{
	unsigned mask = 0;
	int r;
	if ((r = get_bool(L, val[TK_SHELL], "shell", &t->shell)) != 0)
		mask |= 1u << TK_SHELL;
	if (val[TK_ENV] && !is_null(val[TK_ENV])) {
		load_env(L, val[TK_ENV], t);
		mask |= 1u << TK_ENV;
	}
	if ((r = get_str(L, val[TK_CWD], "cwd", &t->cwd)) != 0) {
		mask |= 1u << TK_CWD;
		if (r == 1)
			check_template(L, val[TK_CWD], t->cwd, "cwd");
	}
	if (val[TK_TRIGGER_RULE] && !is_null(val[TK_TRIGGER_RULE])) {
		int i = get_enum(L, val[TK_TRIGGER_RULE], "trigger_rule", trigger_rule_names,
				 sizeof trigger_rule_names / sizeof *trigger_rule_names);
		if (i >= 0)
			t->trigger_rule = (enum trigger_rule)i;
		mask |= 1u << TK_TRIGGER_RULE;
	}
	if ((r = get_int(L, val[TK_RETRIES], "retries", 0, &t->retries)) != 0) {
		mask |= 1u << TK_RETRIES;
		if (r == 1 && t->retries > DAG_MAX_RETRIES) {
			lerr(L, val[TK_RETRIES], "retries: %d is over the limit of %d", t->retries, DAG_MAX_RETRIES);
			t->retries = 0;
		}
	}
	if (get_duration(L, val[TK_RETRY_DELAY], "retry_delay", &t->retry_delay_ms) != 0)
		mask |= 1u << TK_RETRY_DELAY;
	if (val[TK_RETRY_BACKOFF] && !is_null(val[TK_RETRY_BACKOFF])) {
		int i = get_enum(L, val[TK_RETRY_BACKOFF], "retry_backoff", backoff_names,
				 sizeof backoff_names / sizeof *backoff_names);
		if (i >= 0)
			t->retry_backoff = (enum retry_backoff)i;
		mask |= 1u << TK_RETRY_BACKOFF;
	}
	if ((r = get_duration(L, val[TK_MAX_RETRY_DELAY], "max_retry_delay", &t->max_retry_delay_ms)) != 0) {
		mask |= 1u << TK_MAX_RETRY_DELAY;
		if (r == 1 && t->max_retry_delay_ms <= 0)
			lerr(L, val[TK_MAX_RETRY_DELAY], "max_retry_delay: must be greater than 0");
	}
	if ((r = get_duration(L, val[TK_TIMEOUT], "timeout", &t->timeout_ms)) != 0) {
		mask |= 1u << TK_TIMEOUT;
		if (r == 1 && t->timeout_ms <= 0)
			lerr(L, val[TK_TIMEOUT], "timeout: must be greater than 0 (leave it out for no timeout)");
	}
	if (get_int(L, val[TK_MAX_ACTIVE_TIS], "max_active_tis_per_dag", 1, &t->max_active_tis) != 0)
		mask |= 1u << TK_MAX_ACTIVE_TIS;
	mask |= load_pool_settings(L, val, t);
	if (val[TK_NO_RETRY_EXIT_CODES] && !is_null(val[TK_NO_RETRY_EXIT_CODES])) {
		load_exit_codes(L, val[TK_NO_RETRY_EXIT_CODES], t);
		mask |= 1u << TK_NO_RETRY_EXIT_CODES;
	}
	if (val[TK_EXECUTOR] && !is_null(val[TK_EXECUTOR])) {
		int i = get_enum(L, val[TK_EXECUTOR], "executor", executor_names,
				 sizeof executor_names / sizeof *executor_names);
		if (i >= 0)
			t->executor = (enum task_executor)i;
		mask |= 1u << TK_EXECUTOR;
	}
	if (val[TK_SLURM] && !is_null(val[TK_SLURM])) {
		load_slurm(L, val[TK_SLURM], &t->slurm);
		mask |= 1u << TK_SLURM;
	}
	return mask;
}

/* Fills what the task did not set from the 'default' mapping, then from the
 * built-in defaults. env merges: the task's variables win over the default's. */
static void apply_defaults(struct dag_task *t, unsigned mask, const struct dag_task *def, unsigned dmask)
{
	unsigned from_def = dmask & ~mask;
	if (from_def & (1u << TK_SHELL))
		t->shell = def->shell;
	if ((from_def & (1u << TK_CWD)) && def->cwd)
		t->cwd = xstrdup(def->cwd);
	if (from_def & (1u << TK_TRIGGER_RULE))
		t->trigger_rule = def->trigger_rule;
	if (from_def & (1u << TK_RETRIES))
		t->retries = def->retries;
	if (from_def & (1u << TK_RETRY_BACKOFF))
		t->retry_backoff = def->retry_backoff;
	t->retry_delay_ms = (mask & (1u << TK_RETRY_DELAY)) ? t->retry_delay_ms :
		(dmask & (1u << TK_RETRY_DELAY)) ? def->retry_delay_ms : DEFAULT_RETRY_DELAY_MS;
	t->max_retry_delay_ms = (mask & (1u << TK_MAX_RETRY_DELAY)) ? t->max_retry_delay_ms :
		(dmask & (1u << TK_MAX_RETRY_DELAY)) ? def->max_retry_delay_ms : DEFAULT_MAX_RETRY_DELAY_MS;
	if (from_def & (1u << TK_TIMEOUT))
		t->timeout_ms = def->timeout_ms;
	if (from_def & (1u << TK_MAX_ACTIVE_TIS))
		t->max_active_tis = def->max_active_tis;
	if (from_def & (1u << TK_EXECUTOR))
		t->executor = def->executor;
	if (from_def & (1u << TK_SLURM))
		slurm_copy(&t->slurm, &def->slurm);
	if ((from_def & (1u << TK_POOL)) && def->pool)
		t->pool = xstrdup(def->pool);
	t->pool_slots = (mask & (1u << TK_POOL_SLOTS)) ? t->pool_slots :
		(dmask & (1u << TK_POOL_SLOTS)) ? def->pool_slots : 1;
	t->priority_weight = (mask & (1u << TK_PRIORITY_WEIGHT)) ? t->priority_weight :
		(dmask & (1u << TK_PRIORITY_WEIGHT)) ? def->priority_weight : 1;
	if (!(mask & (1u << TK_NO_RETRY_EXIT_CODES))) {
		if (dmask & (1u << TK_NO_RETRY_EXIT_CODES)) {
			/* (none when the default's list was empty or refused) */
			t->no_retry_exit_codes = xcalloc(def->nno_retry_exit_codes + 1, sizeof(int));
			if (def->nno_retry_exit_codes)
				memcpy(t->no_retry_exit_codes, def->no_retry_exit_codes,
				       def->nno_retry_exit_codes * sizeof(int));
			t->nno_retry_exit_codes = def->nno_retry_exit_codes;
		} else {
			t->no_retry_exit_codes = xcalloc(1, sizeof(int));
			t->no_retry_exit_codes[0] = 2;
			t->nno_retry_exit_codes = 1;
		}
	}
	if (def->nenv) {
		struct dag_kv *env = xcalloc(t->nenv + def->nenv, sizeof *env);
		size_t n = 0;
		for (size_t i = 0; i < def->nenv; i++) {
			bool overridden = false;
			for (size_t j = 0; j < t->nenv; j++)
				overridden |= !strcmp(t->env[j].key, def->env[i].key);
			if (!overridden) {
				env[n].key = xstrdup(def->env[i].key);
				env[n].value = xstrdup(def->env[i].value);
				n++;
			}
		}
		for (size_t j = 0; j < t->nenv; j++)
			env[n++] = t->env[j];
		free(t->env);
		t->env = env;
		t->nenv = n;
	}
}

static void load_command(struct loader *L, yaml_node_t *n, struct dag_task *t)
{
	char b[80];
	if (n->type == YAML_SCALAR_NODE) {
		if (!t->shell) {
			lerr(L, n, "command: expected a list of strings (argv), got %s; "
				   "a single string is run by /bin/sh -c only with 'shell: true'", got(n, b, sizeof b));
			return;
		}
		check_template(L, n, sval(n), "command");
		t->command = xcalloc(2, sizeof *t->command);
		t->command[0] = xstrdup(sval(n));
		t->ncommand = 1;
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		lerr(L, n, "command: expected a list of strings (argv), got %s", got(n, b, sizeof b));
		return;
	}
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (cap == 0) {
		lerr(L, n, "command: must not be empty");
		return;
	}
	if (t->shell && cap > 1) {
		lerr(L, n, "command: with 'shell: true' the command is one string, got a list of %zu", cap);
		return;
	}
	t->command = xcalloc(cap + 1, sizeof *t->command);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *a = node_at(L, *it);
		if (!a)
			continue;
		if (a->type != YAML_SCALAR_NODE) {
			lerr(L, a, "command: argument %zu: expected a string, got %s",
			     (size_t)(it - n->data.sequence.items.start) + 1, got(a, b, sizeof b));
			continue;
		}
		const char *s = is_null(a) ? "" : sval(a);
		check_template(L, a, s, "command");
		t->command[t->ncommand++] = xstrdup(s);
	}
}

/* allowed_states / failed_states of a sensor on another DAG: task instance
 * states with a task, run states without; the mask of those listed. */
static unsigned load_wait_states(struct loader *L, yaml_node_t *n, const char *what, bool task, unsigned def)
{
	char b[80];
	if (!n || is_null(n))
		return def;
	if (n->type != YAML_SEQUENCE_NODE) {
		lerr(L, n, "%s: expected a list of states, got %s", what, got(n, b, sizeof b));
		return 0;
	}
	unsigned mask = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *v = node_at(L, *it);
		if (!v)
			continue;
		int st = v->type == YAML_SCALAR_NODE ? (task ? ti_state_parse(sval(v)) : run_state_parse(sval(v))) : -1;
		if (st < 0 || (task && st == TI_NONE))
			lerr(L, v, "%s: %s is not a %s state (%s)", what, got(v, b, sizeof b), task ? "task" : "run",
			     task ? "success, failed, upstream_failed, skipped, running, queued, scheduled, up_for_retry"
				  : "success, failed, running, queued; or name a task");
		else
			mask |= 1u << st;
	}
	return mask;
}

/* wait_for: {dag: D, task: T, logical_date: "{{ ds }}" | "-1d", ...}. */
static void load_wait_dag(struct loader *L, yaml_node_t **val, struct dag_task *t)
{
	char b[80];
	if (get_str(L, val[WK_DAG], "wait_for.dag", &t->wait_dag) == 1 && id_problem(t->wait_dag))
		lerr(L, val[WK_DAG], "wait_for.dag: bad DAG id %s: %s", got(val[WK_DAG], b, sizeof b),
		     id_problem(t->wait_dag));
	if (get_str(L, val[WK_TASK], "wait_for.task", &t->wait_task) == 1 && id_problem(t->wait_task))
		lerr(L, val[WK_TASK], "wait_for.task: bad task id %s: %s", got(val[WK_TASK], b, sizeof b),
		     id_problem(t->wait_task));
	char *date = NULL;
	if (get_str(L, val[WK_LOGICAL_DATE], "wait_for.logical_date", &date) == 1) {
		if (date[0] == '+' || date[0] == '-') {
			char err[160];
			int64_t ms;
			if (duration_parse(date + 1, &ms, err, sizeof err) != 0 || ms % 1000 != 0 ||
			    ms > DAG_MAX_DURATION_MS)
				lerr(L, val[WK_LOGICAL_DATE], "wait_for.logical_date: bad offset '%s' (a sign and whole"
				     " seconds, minutes, hours or days: -1d, +2h)", date);
			else
				t->wait_offset_s = (date[0] == '-' ? -1 : 1) * (ms / 1000);
			free(date);
		} else {
			check_template(L, val[WK_LOGICAL_DATE], date, "wait_for.logical_date");
			t->wait_date = date;
		}
	}
	bool task = t->wait_task != NULL;
	unsigned ok = task ? 1u << TI_SUCCESS : 1u << RUN_SUCCESS;
	unsigned bad = task ? (1u << TI_FAILED) | (1u << TI_UPSTREAM_FAILED) : 1u << RUN_FAILED;
	t->wait_allowed = load_wait_states(L, val[WK_ALLOWED], "wait_for.allowed_states", task, ok);
	t->wait_failed = load_wait_states(L, val[WK_FAILED], "wait_for.failed_states", task, bad);
	if (val[WK_ALLOWED] && !is_null(val[WK_ALLOWED]) && t->wait_allowed == 0 && L->nerrors == 0)
		lerr(L, val[WK_ALLOWED], "wait_for.allowed_states: must name at least one state");
	if (t->wait_allowed & t->wait_failed)
		lerr(L, val[WK_FAILED] ? val[WK_FAILED] : val[WK_ALLOWED],
		     "wait_for.failed_states: a state cannot be both allowed and failed");
}

static void load_wait_for(struct loader *L, yaml_node_t *n, struct dag_task *t)
{
	char b[80];
	if (n->type != YAML_MAPPING_NODE) {
		lerr(L, n, "wait_for: expected a mapping with 'path' or 'dag', got %s", got(n, b, sizeof b));
		return;
	}
	yaml_node_t *val[NWAIT] = { 0 }, *key[NWAIT] = { 0 };
	collect_keys(L, n, wait_keys, NWAIT, val, key);
	bool has_path = val[WK_PATH] && !is_null(val[WK_PATH]), has_dag = val[WK_DAG] && !is_null(val[WK_DAG]);
	if (has_path && has_dag) {
		lerr(L, key[WK_DAG], "wait_for: 'path' and 'dag' together (a sensor waits for a path or for another DAG)");
	} else if (has_dag) {
		load_wait_dag(L, val, t);
	} else {
		for (int k = WK_TASK; k < NWAIT; k++)
			if (key[k])
				lerr(L, key[k], "wait_for.%s: only with 'dag'", wait_keys[k]);
		if (!has_path)
			lerr(L, val[WK_PATH] ? val[WK_PATH] : n, "wait_for: missing required key 'path' or 'dag'");
		else if (get_str(L, val[WK_PATH], "wait_for.path", &t->wait_path) == 1)
			check_template(L, val[WK_PATH], t->wait_path, "wait_for.path");
	}
	if (get_duration(L, val[WK_POKE], "wait_for.poke", &t->poke_ms) == 1 && t->poke_ms <= 0)
		lerr(L, val[WK_POKE], "wait_for.poke: must be greater than 0");
	if (get_duration(L, val[WK_TIMEOUT], "wait_for.timeout", &t->wait_timeout_ms) == 1 &&
	    t->wait_timeout_ms <= 0)
		lerr(L, val[WK_TIMEOUT], "wait_for.timeout: must be greater than 0");
}

/* expand: {over, as, max_length} (docs/mapping.md). over is a YAML list of
 * scalars (kept as a JSON array of strings) or a template, rendered in the
 * task's context without its own element, that must give a JSON array. */
enum expand_key { EX_OVER, EX_AS, EX_MAX_LENGTH, NEXPAND };
static const char *const expand_keys[NEXPAND] = { "over", "as", "max_length" };
static const char *const map_reserved[] = { "map_index", "params", "env", "ti" };

static void load_expand(struct loader *L, yaml_node_t *n, struct dag_task *t)
{
	char b[80];
	if (n->type != YAML_MAPPING_NODE) {
		lerr(L, n, "expand: expected a mapping with 'over' (and 'as', 'max_length'), got %s", got(n, b, sizeof b));
		return;
	}
	yaml_node_t *val[NEXPAND] = { 0 }, *key[NEXPAND] = { 0 };
	collect_keys(L, n, expand_keys, NEXPAND, val, key);
	t->map_max = DAG_MAP_DEFAULT_MAX;
	if (get_int(L, val[EX_MAX_LENGTH], "expand.max_length", 1, &t->map_max) == 1 && t->map_max > DAG_MAP_MAX) {
		lerr(L, val[EX_MAX_LENGTH], "expand.max_length: %d is over the limit of %d", t->map_max, DAG_MAP_MAX);
		t->map_max = DAG_MAP_MAX;
	}
	char *as = NULL;
	if (get_str(L, val[EX_AS], "expand.as", &as) == 1) {
		bool reserved = false;
		for (size_t i = 0; i < sizeof map_reserved / sizeof *map_reserved; i++)
			reserved |= !strcmp(as, map_reserved[i]);
		size_t off;
		char err[8], probe[300];
		snprintf(probe, sizeof probe, "{{ %s }}", as);
		if (!valid_env_name(as) || strlen(as) > 64)
			lerr(L, val[EX_AS], "expand.as: bad name %s (letters, digits and '_', not starting with a"
			     " digit, at most 64)", got(val[EX_AS], b, sizeof b));
		else if (reserved || template_check(probe, NULL, &off, err, sizeof err) == 0)
			lerr(L, val[EX_AS], "expand.as: '%s' is already a template name; choose another", as);
	}
	t->map_as = as ? as : xstrdup("item");
	yaml_node_t *o = val[EX_OVER];
	if (!o || is_null(o)) {
		lerr(L, o ? o : n, "expand: missing required key 'over' (a list, or a template giving a JSON list)");
		return;
	}
	if (o->type == YAML_SEQUENCE_NODE) {
		json_t *a = json_array();
		for (yaml_node_item_t *it = o->data.sequence.items.start; it < o->data.sequence.items.top; it++) {
			yaml_node_t *e = node_at(L, *it);
			if (e && e->type != YAML_SCALAR_NODE)
				lerr(L, e, "expand.over: element %zu: expected a scalar, got %s",
				     (size_t)(it - o->data.sequence.items.start), got(e, b, sizeof b));
			else if (e)
				json_array_append_new(a, jx_str(sval(e)));
		}
		if (json_array_size(a) > (size_t)t->map_max)
			lerr(L, o, "expand.over: %zu elements, over max_length %d", json_array_size(a), t->map_max);
		t->map_over = jx_dump(a);
		t->map_literal = true;
		json_decref(a);
		return;
	}
	if (o->type != YAML_SCALAR_NODE || !strstr(sval(o), "{{")) {
		lerr(L, o, "expand.over: expected a list or a template giving a JSON list (\"{{ ti.TASK.result.KEY }}\","
		     " \"{{ params.NAME }}\"), got %s", got(o, b, sizeof b));
		return;
	}
	const char *saved = L->map_as;
	L->map_as = NULL;	/* the list is rendered before there is an element */
	check_template(L, o, sval(o), "expand.over");
	L->map_as = saved;
	t->map_over = xstrdup(sval(o));
}

/* outlets: [URI template, ...]: each rendered when the task succeeds; a
 * template-free one is checked as a URI here, the others once rendered. */
static void load_outlets(struct loader *L, yaml_node_t *n, struct dag_task *t)
{
	char b[80];
	if (n->type != YAML_SEQUENCE_NODE) {
		lerr(L, n, "outlets: expected a list of dataset URIs, got %s", got(n, b, sizeof b));
		return;
	}
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (cap > DATASET_MAX_PER_DAG) {
		lerr(L, n, "outlets: %zu URIs, over the limit of %d", cap, DATASET_MAX_PER_DAG);
		return;
	}
	t->outlets = xcalloc(cap ? cap : 1, sizeof *t->outlets);
	struct strset seen = { 0 };
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *u = node_at(L, *it);
		if (!u)
			continue;
		const char *why;
		if (u->type != YAML_SCALAR_NODE || is_null(u)) {
			lerr(L, u, "outlets: expected a dataset URI, got %s", got(u, b, sizeof b));
			continue;
		}
		const char *v = sval(u);
		if (!strstr(v, "{{") && (why = dataset_uri_problem(v))) {
			lerr(L, u, "outlets: bad dataset URI %s: %s", got(u, b, sizeof b), why);
			continue;
		}
		if (!strset_add(&seen, v, 0, NULL)) {
			lerr(L, u, "outlets: '%s' is listed twice", v);
			continue;
		}
		check_template(L, u, v, "outlets");
		t->outlets[t->noutlets++] = xstrdup(v);
	}
	strset_free(&seen);
}

static void load_depends_on(struct loader *L, yaml_node_t *n, struct dag_task *t, struct task_nodes *tn)
{
	char b[80];
	if (!n || is_null(n))
		return;
	yaml_node_item_t one = 0;
	yaml_node_item_t *start, *top;
	if (n->type == YAML_SCALAR_NODE) {
		one = (yaml_node_item_t)(n - L->doc.nodes.start) + 1;
		start = &one;
		top = &one + 1;
	} else if (n->type == YAML_SEQUENCE_NODE) {
		start = n->data.sequence.items.start;
		top = n->data.sequence.items.top;
	} else {
		lerr(L, n, "depends_on: expected a task id or a list of task ids, got %s", got(n, b, sizeof b));
		return;
	}
	size_t cap = (size_t)(top - start);
	t->depends_on = xcalloc(cap, sizeof *t->depends_on);
	t->upstream = xcalloc(cap, sizeof *t->upstream);
	tn->deps = xcalloc(cap, sizeof *tn->deps);
	struct strset names = { 0 };
	for (yaml_node_item_t *it = start; it < top; it++) {
		yaml_node_t *dn = node_at(L, *it);
		if (!dn)
			continue;
		if (dn->type != YAML_SCALAR_NODE || is_null(dn)) {
			lerr(L, dn, "depends_on: expected a task id, got %s", got(dn, b, sizeof b));
			continue;
		}
		if (!strset_add(&names, sval(dn), 0, NULL)) {
			lerr(L, dn, "depends_on: '%s' is listed twice", sval(dn));
			continue;
		}
		tn->deps[t->nupstream] = dn;
		t->depends_on[t->nupstream++] = xstrdup(sval(dn));
	}
	strset_free(&names);
}

/* Index of the first task with this id, or -1: a hash lookup, so a DAG of
 * thousands of tasks loads in linear time. */
static long id_lookup(const struct loader *L, const char *id)
{
	if (!L->ids_cap)
		return -1;
	for (size_t i = str_hash(id) & (L->ids_cap - 1);; i = (i + 1) & (L->ids_cap - 1)) {
		size_t v = L->ids[i];
		if (!v)
			return -1;
		if (!strcmp(L->dag->tasks[v - 1].id, id))
			return (long)(v - 1);
	}
}

static void id_insert(struct loader *L, size_t index)
{
	const char *id = L->dag->tasks[index].id;
	size_t i = str_hash(id) & (L->ids_cap - 1);
	while (L->ids[i])
		i = (i + 1) & (L->ids_cap - 1);
	L->ids[i] = index + 1;
}

static void load_task(struct loader *L, yaml_node_t *n, size_t index, const struct dag_task *def,
		      unsigned dmask)
{
	struct dag *d = L->dag;
	struct dag_task *t = &d->tasks[index];
	struct task_nodes *tn = &L->tn[index];
	yaml_node_t *val[NTASK] = { 0 }, *key[NTASK] = { 0 };
	char b[80];

	t->line = (int)n->start_mark.line + 1;
	t->column = (int)n->start_mark.column + 1;
	tn->map = n;
	collect_keys(L, n, task_keys, NTASK, val, key);

	if (!val[TK_ID] || is_null(val[TK_ID])) {
		lerr(L, val[TK_ID] ? val[TK_ID] : n, "task is missing required key 'id'");
	} else if (get_str(L, val[TK_ID], "id", &t->id) == 1) {
		tn->id = val[TK_ID];
		if (id_problem(t->id)) {
			lerr(L, val[TK_ID], "id: bad task id %s: %s (an id is 1 to 250 letters, digits, '_', '.',"
			     " '-', not only dots)", got(val[TK_ID], b, sizeof b), id_problem(t->id));
		} else {
			long first = id_lookup(L, t->id);
			if (first >= 0)
				lerr(L, val[TK_ID], "duplicate task id '%s' (first defined at line %d)",
				     t->id, d->tasks[first].line);
			else
				id_insert(L, index);
		}
	}
	const char *name = t->id ? t->id : "?";

	if (val[TK_EXPAND] && !is_null(val[TK_EXPAND])) {
		if (d->kind == SCHEDULE_STREAM)	/* still read: its templates are checked as a mapped task's */
			lerr(L, key[TK_EXPAND], "expand: a stream DAG's tasks run side by side for good; a task is"
			     " mapped only in a batch DAG");
		load_expand(L, val[TK_EXPAND], t);
	}
	L->map_as = t->map_as;	/* its templates may name its element */
	unsigned mask = load_task_settings(L, val, t);
	apply_defaults(t, mask, def, dmask);

	bool has_cmd = val[TK_COMMAND] && !is_null(val[TK_COMMAND]);
	bool has_wait = val[TK_WAIT_FOR] && !is_null(val[TK_WAIT_FOR]);
	if (has_cmd && has_wait)
		lerr(L, key[TK_WAIT_FOR], "task '%s' has both 'command' and 'wait_for' (a task runs a command or is a sensor)",
		     name);
	else if (!has_cmd && !has_wait)
		lerr(L, n, "task '%s' has neither 'command' nor 'wait_for'", name);
	if (has_cmd)
		load_command(L, val[TK_COMMAND], t);
	t->poke_ms = DEFAULT_POKE_MS;
	t->wait_timeout_ms = DEFAULT_WAIT_TIMEOUT_MS;
	if (has_wait)
		load_wait_for(L, val[TK_WAIT_FOR], t);
	if (has_wait && val[TK_EXECUTOR] && t->executor == EXECUTOR_SLURM)
		lerr(L, val[TK_EXECUTOR],
		     "task '%s': a sensor (wait_for) is poked by the daemon; executor: slurm does not apply", name);
	if (val[TK_OUTLETS] && !is_null(val[TK_OUTLETS])) {
		if (d->kind == SCHEDULE_STREAM)
			lerr(L, key[TK_OUTLETS], "outlets: a stream task never succeeds, so it would never record"
			     " an event");
		else
			load_outlets(L, val[TK_OUTLETS], t);
	}
	load_depends_on(L, val[TK_DEPENDS_ON], t, tn);
	char where[300];
	snprintf(where, sizeof where, "task '%.250s': ", name);
	load_notify(L, val[TK_NOTIFY], where, true, &t->notify, &t->nnotify);
	L->map_as = NULL;
}

/* ---- results between tasks: {{ ti.TASK.result... }} --------------------- */

struct ti_check {
	struct loader *L;
	const struct dag_task *t;	/* NULL: the 'default' mapping */
	yaml_node_t *node;
	const char *value, *what;
};

static void ti_ref_found(void *arg, const char *task_id, size_t offset)
{
	struct ti_check *c = arg;
	char msg[600];
	if (!c->t) {
		snprintf(msg, sizeof msg, "'ti.%s.result' cannot be a default (each task names its own upstream);"
			 " set it on the task", task_id);
		template_error(c->L, c->node, c->value, offset, msg, c->what);
		return;
	}
	for (size_t k = 0; k < c->t->nupstream; k++)
		if (!strcmp(c->t->depends_on[k], task_id))
			return;
	if (id_lookup(c->L, task_id) < 0)
		snprintf(msg, sizeof msg, "'ti.%s.result': no task has the id '%s'", task_id, task_id);
	else
		snprintf(msg, sizeof msg, "'ti.%s.result': '%s' is not an upstream of '%s' (list it in depends_on:"
			 " a result is read once its task has finished)", task_id, task_id, c->t->id);
	template_error(c->L, c->node, c->value, offset, msg, c->what);
}

static void ti_check_scalar(struct ti_check *c, yaml_node_t *n, const char *what)
{
	if (!n || n->type != YAML_SCALAR_NODE || is_null(n))
		return;
	c->node = n;
	c->value = sval(n);
	c->what = what;
	template_ti_refs(c->value, ti_ref_found, c);
}

/* Every template of a task's (or the default's) mapping that may hold a ti
 * reference: command, env values, cwd, wait_for.path, outlets. */
static void ti_check_map(struct ti_check *c, yaml_node_t *map)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(c->L, p->key), *v = node_at(c->L, p->value);
		if (!k || !v || k->type != YAML_SCALAR_NODE)
			continue;
		const char *ks = sval(k);
		if (!strcmp(ks, "command") || !strcmp(ks, "cwd") || !strcmp(ks, "outlets")) {
			if (v->type == YAML_SEQUENCE_NODE) {
				for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
					ti_check_scalar(c, node_at(c->L, *it), ks);
			} else {
				ti_check_scalar(c, v, ks);
			}
		} else if ((!strcmp(ks, "env") || !strcmp(ks, "wait_for") || !strcmp(ks, "expand")) &&
			   v->type == YAML_MAPPING_NODE) {
			for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
				yaml_node_t *k2 = node_at(c->L, q->key);
				if (!k2 || k2->type != YAML_SCALAR_NODE)
					continue;
				if (!strcmp(ks, "wait_for") && strcmp(sval(k2), "path") && strcmp(sval(k2), "logical_date"))
					continue;
				if (!strcmp(ks, "expand") && strcmp(sval(k2), "over"))
					continue;
				char what[300];
				snprintf(what, sizeof what, "%s.%s", ks, sval(k2));
				ti_check_scalar(c, node_at(c->L, q->value), what);
			}
		}
	}
}

static void check_ti_refs(struct loader *L, size_t i)
{
	if (!L->tn[i].map)
		return;
	struct ti_check c = { .L = L, .t = &L->dag->tasks[i] };
	ti_check_map(&c, L->tn[i].map);
}

static void load_default(struct loader *L, yaml_node_t *n, struct dag_task *def, unsigned *dmask)
{
	char b[80];
	*dmask = 0;
	if (!n || is_null(n))
		return;
	if (n->type != YAML_MAPPING_NODE) {
		lerr(L, n, "default: expected a mapping of task settings, got %s", got(n, b, sizeof b));
		return;
	}
	yaml_node_t *val[NTASK] = { 0 }, *key[NTASK] = { 0 };
	collect_keys(L, n, task_keys, NTASK, val, key);
	for (size_t i = 0; i < NTASK; i++) {
		if (key[i] && !(DEFAULTABLE & (1u << i))) {
			lerr(L, key[i], "default: '%s' cannot have a default; set it on each task", task_keys[i]);
			val[i] = NULL;
		}
	}
	*dmask = load_task_settings(L, val, def);
	struct ti_check c = { .L = L };
	ti_check_map(&c, n);
}

/* ---- the graph ---------------------------------------------------------- */

static void resolve_dependencies(struct loader *L)
{
	struct dag *d = L->dag;
	const char **ids = xcalloc(d->ntasks, sizeof *ids);
	for (size_t i = 0; i < d->ntasks; i++)
		ids[i] = d->tasks[i].id;
	for (size_t i = 0; i < d->ntasks; i++) {
		struct dag_task *t = &d->tasks[i];
		for (size_t j = 0; j < t->nupstream; j++) {
			long u = id_lookup(L, t->depends_on[j]);
			t->upstream[j] = u < 0 ? SIZE_MAX : (size_t)u;
			yaml_node_t *dn = L->tn[i].deps[j];
			if (u == (long)i) {
				lerr(L, dn, "task '%s' depends on itself", t->id);
				t->upstream[j] = SIZE_MAX;
			} else if (u < 0) {
				const char *near = NULL;
				if (L->nsuggested++ < DAG_MAX_SUGGESTIONS)
					near = suggest_nearest(t->depends_on[j], ids, d->ntasks);
				if (near) {
					lerr(L, dn, "unknown dependency '%s' (did you mean '%s'?)", t->depends_on[j], near);
				} else {
					char list[256] = "";
					size_t used = 0, shown = 0;
					bool more = false;
					for (size_t k = 0; k < d->ntasks; k++) {
						if (id_lookup(L, ids[k]) != (long)k)
							continue;	/* a duplicate id */
						int w = shown < 6 ? snprintf(list + used, sizeof list - used, "%s%s",
									     shown ? ", " : "", ids[k]) : -1;
						if (w < 0 || (size_t)w >= sizeof list - used) {
							list[used] = '\0';
							more = true;
							break;
						}
						used += (size_t)w;
						shown++;
					}
					lerr(L, dn, "unknown dependency '%s' (no task has that id; tasks: %s%s)",
					     t->depends_on[j], list, more ? ", ..." : "");
				}
			}
		}
	}
	free(ids);

	/* downstream = the reverse edges, in file order of the downstream task. */
	for (size_t i = 0; i < d->ntasks; i++)
		for (size_t j = 0; j < d->tasks[i].nupstream; j++)
			if (d->tasks[i].upstream[j] != SIZE_MAX)
				d->tasks[d->tasks[i].upstream[j]].ndownstream++;
	for (size_t i = 0; i < d->ntasks; i++) {
		d->tasks[i].downstream = xcalloc(d->tasks[i].ndownstream, sizeof(size_t));
		d->tasks[i].ndownstream = 0;
	}
	for (size_t i = 0; i < d->ntasks; i++)
		for (size_t j = 0; j < d->tasks[i].nupstream; j++) {
			size_t u = d->tasks[i].upstream[j];
			if (u != SIZE_MAX)
				d->tasks[u].downstream[d->tasks[u].ndownstream++] = i;
		}
}

enum { WHITE, GRAY, BLACK };

struct cycle_walk {
	struct loader *L;
	unsigned char *color;
	size_t *path;
	size_t depth;
};

/* Depth-first along downstream edges; a gray target closes a cycle, which is
 * reported once, at the depends_on entry of the edge that closes it. */
static void cycle_visit(struct cycle_walk *w, size_t v)
{
	struct dag *d = w->L->dag;
	w->color[v] = GRAY;
	w->path[w->depth++] = v;
	for (size_t k = 0; k < d->tasks[v].ndownstream; k++) {
		size_t u = d->tasks[v].downstream[k];
		if (w->color[u] == WHITE) {
			cycle_visit(w, u);
		} else if (w->color[u] == GRAY) {
			size_t from = w->depth;
			while (from > 0 && w->path[from - 1] != u)
				from--;
			from--;
			size_t len = 0;
			for (size_t i = from; i < w->depth; i++)
				len += strlen(d->tasks[w->path[i]].id) + 4;
			len += strlen(d->tasks[u].id) + 1;
			char *s = xcalloc(len, 1);
			for (size_t i = from; i < w->depth; i++) {
				strcat(s, d->tasks[w->path[i]].id);
				strcat(s, " -> ");
			}
			strcat(s, d->tasks[u].id);
			yaml_node_t *at = w->L->tn[u].map;
			for (size_t j = 0; j < d->tasks[u].nupstream; j++)
				if (d->tasks[u].upstream[j] == v)
					at = w->L->tn[u].deps[j];
			lerr(w->L, at, "dependency cycle: %s", s);
			free(s);
		}
	}
	w->depth--;
	w->color[v] = BLACK;
}

static void check_cycles(struct loader *L)
{
	struct dag *d = L->dag;
	struct cycle_walk w = { L, xcalloc(d->ntasks, 1), xcalloc(d->ntasks, sizeof(size_t)), 0 };
	for (size_t i = 0; i < d->ntasks; i++)
		if (w.color[i] == WHITE)
			cycle_visit(&w, i);
	free(w.color);
	free(w.path);
}

static void load_tasks(struct loader *L, yaml_node_t *n, yaml_node_t *root, const struct dag_task *def,
		       unsigned dmask)
{
	char b[80];
	struct dag *d = L->dag;
	if (!n || is_null(n)) {
		lerr(L, n ? n : root, "missing required key 'tasks' (a list of tasks)");
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		lerr(L, n, "tasks: expected a list of tasks, got %s", got(n, b, sizeof b));
		return;
	}
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (cap == 0) {
		lerr(L, n, "tasks: must not be empty");
		return;
	}
	d->tasks = xcalloc(cap, sizeof *d->tasks);
	L->tn = xcalloc(cap, sizeof *L->tn);
	for (L->ids_cap = 16; L->ids_cap < 2 * cap; L->ids_cap *= 2)
		;
	L->ids = xcalloc(L->ids_cap, sizeof *L->ids);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *tnode = node_at(L, *it);
		if (!tnode)
			continue;
		if (tnode->type != YAML_MAPPING_NODE) {
			lerr(L, tnode, "tasks: each task must be a mapping (id:, command:, ...), got %s",
			     got(tnode, b, sizeof b));
			continue;
		}
		load_task(L, tnode, d->ntasks++, def, dmask);
	}
	/* Ids that are missing make dependency messages meaningless. */
	for (size_t i = 0; i < d->ntasks; i++)
		if (!d->tasks[i].id)
			return;
	resolve_dependencies(L);
	check_cycles(L);
	for (size_t i = 0; i < d->ntasks; i++)
		check_ti_refs(L, i);
}

/* ---- the file ----------------------------------------------------------- */

static void report_yaml_error(struct loader *L, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "unknown error";
	char hint[120] = "";
	size_t at = byte_of_char_index(L, p->problem_mark.index);
	for (size_t i = at > 0 ? at - 1 : 0; i <= at && i < L->len; i++)
		if (L->buf[i] == '@' || L->buf[i] == '`' || L->buf[i] == '*')
			snprintf(hint, sizeof hint, "; a value starting with '@', '*' or '`' must be quoted, e.g. \"@daily\"");
	if (p->context)
		lerr_at(L, p->problem_mark.line, p->problem_mark.column, "YAML syntax error: %s (%s at line %zu)%s",
			problem, p->context, p->context_mark.line + 1, hint);
	else
		lerr_at(L, p->problem_mark.line, p->problem_mark.column, "YAML syntax error: %s%s", problem, hint);
}

static void fnv1a_hex(const unsigned char *buf, size_t len, char out[17])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= buf[i];
		h *= 0x100000001b3ULL;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* Stable sort of the diagnostics this load added, by position, so a file's
 * problems read top to bottom whatever order the checks ran in. */
static void sort_diags(struct diag_list *l, size_t from)
{
	for (size_t i = from + 1; i < l->n; i++) {
		struct diag x = l->items[i];
		size_t j = i;
		while (j > from && (l->items[j - 1].line > x.line ||
				    (l->items[j - 1].line == x.line && l->items[j - 1].column > x.column))) {
			l->items[j] = l->items[j - 1];
			j--;
		}
		l->items[j] = x;
	}
}

/* One open collection of compose(): its node, and for a mapping the key
 * waiting for its value (0: none). */
struct compose_frame {
	int node;
	int key;
};

/* Adds node id to the open collection on top of the stack (or makes it the
 * root: the document's first node). */
static void compose_attach(struct loader *L, struct compose_frame *top, int id)
{
	if (!top)
		return;
	yaml_node_t *parent = node_at(L, top->node);
	if (parent->type == YAML_SEQUENCE_NODE) {
		if (!yaml_document_append_sequence_item(&L->doc, top->node, id))
			abort();
	} else if (!top->key) {
		top->key = id;
	} else {
		if (!yaml_document_append_mapping_pair(&L->doc, top->node, top->key, id))
			abort();
		top->key = 0;
	}
}

static void compose_marks(struct loader *L, int id, const yaml_event_t *e)
{
	yaml_node_t *n = node_at(L, id);
	n->start_mark = e->start_mark;
	n->end_mark = e->end_mark;
}

/* Composes the first document of the stream into L->doc, as yaml_parser_load
 * would, but counting the nesting: a collection deeper than the limit stops
 * the load with an error at its first character. Then reads the rest of the
 * stream: a second document is an error. Returns 0, or -1 after reporting
 * (L->doc is then empty). An empty stream leaves L->doc without a root. */
static int compose(struct loader *L, yaml_parser_t *parser)
{
	struct compose_frame *stack = xcalloc((size_t)L->lim.max_depth + 1, sizeof *stack);
	struct strset anchors = { 0 };
	int depth = 0, docs = 0, rc = -1;
	bool done = false;
	if (!yaml_document_initialize(&L->doc, NULL, NULL, NULL, 1, 1))
		abort();
	while (!done) {
		yaml_event_t e;
		if (!yaml_parser_parse(parser, &e)) {
			report_yaml_error(L, parser);
			break;
		}
		int id = 0;
		const char *anchor = NULL;
		struct compose_frame *top = depth ? &stack[depth - 1] : NULL;
		if (docs > 1 && (e.type == YAML_ALIAS_EVENT || e.type == YAML_SCALAR_EVENT ||
				 e.type == YAML_SEQUENCE_START_EVENT || e.type == YAML_MAPPING_START_EVENT)) {
			lerr_at(L, e.start_mark.line, e.start_mark.column, "a second YAML document: one DAG per file");
			yaml_event_delete(&e);
			rc = 0;	/* the first one is still checked */
			break;
		}
		switch (e.type) {
		case YAML_STREAM_END_EVENT:
			rc = 0;
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			docs++;
			break;
		case YAML_ALIAS_EVENT: {
			size_t target;
			if (!strset_get(&anchors, (const char *)e.data.alias.anchor, &target)) {
				lerr_at(L, e.start_mark.line, e.start_mark.column,
					"YAML error: alias '*%s' names no anchor defined before it",
					(const char *)e.data.alias.anchor);
				done = true;
				break;
			}
			compose_attach(L, top, (int)target);
			break;
		}
		case YAML_SCALAR_EVENT:
			id = yaml_document_add_scalar(&L->doc, e.data.scalar.tag, e.data.scalar.value,
						      (int)e.data.scalar.length, e.data.scalar.style);
			anchor = (const char *)e.data.scalar.anchor;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth == L->lim.max_depth) {
				lerr_at(L, e.start_mark.line, e.start_mark.column,
					"YAML nesting deeper than %d levels (a DAG needs 4); the file is not read further",
					L->lim.max_depth);
				done = true;
				break;
			}
			if (e.type == YAML_SEQUENCE_START_EVENT) {
				id = yaml_document_add_sequence(&L->doc, e.data.sequence_start.tag,
								e.data.sequence_start.style);
				anchor = (const char *)e.data.sequence_start.anchor;
			} else {
				id = yaml_document_add_mapping(&L->doc, e.data.mapping_start.tag,
							       e.data.mapping_start.style);
				anchor = (const char *)e.data.mapping_start.anchor;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0) {
				node_at(L, top->node)->end_mark = e.end_mark;
				depth--;
			}
			break;
		default:
			break;
		}
		if (id <= 0 && (e.type == YAML_SCALAR_EVENT || e.type == YAML_SEQUENCE_START_EVENT ||
				e.type == YAML_MAPPING_START_EVENT) && !done)
			abort();	/* out of memory in libyaml */
		if (id > 0) {
			compose_marks(L, id, &e);
			compose_attach(L, top, id);
			if (e.type != YAML_SCALAR_EVENT)
				stack[depth++] = (struct compose_frame){ id, 0 };
		}
		if (id > 0 && anchor) {	/* a name defined again names the new node */
			char *name = xstrdup(anchor);
			if (!strset_add(&anchors, name, (size_t)id, NULL)) {
				size_t *slot = strset_slot(&anchors, name);
				free((char *)anchors.keys[slot - anchors.vals]);
				anchors.keys[slot - anchors.vals] = name;
				*slot = (size_t)id;
			}
		}
		yaml_event_delete(&e);
	}
	for (size_t i = 0; i < anchors.cap; i++)
		free((char *)anchors.keys[i]);
	strset_free(&anchors);
	free(stack);
	if (rc < 0) {
		yaml_document_delete(&L->doc);
		memset(&L->doc, 0, sizeof L->doc);
	}
	return rc;
}

static void load_document(struct loader *L)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		lerr_at(L, 0, 0, "cannot initialise the YAML parser");
		return;
	}
	yaml_parser_set_input_string(&parser, L->buf, L->len);
	int rc = compose(L, &parser);
	yaml_parser_delete(&parser);
	if (rc < 0)
		return;
	yaml_node_t *root = yaml_document_get_root_node(&L->doc);
	if (!root) {
		lerr_at(L, 0, 0, "the file is empty (expected a mapping with 'dag' and 'tasks')");
		return;
	}
	if (root->type != YAML_MAPPING_NODE) {
		char b[80];
		lerr(L, root, "the top level must be a mapping (dag:, tasks:, ...), got %s", got(root, b, sizeof b));
		return;
	}
	yaml_node_t *val[NTOP] = { 0 }, *key[NTOP] = { 0 };
	load_top(L, root, val, key);
	struct dag_task def = { 0 };
	unsigned dmask = 0;
	load_default(L, val[TOP_DEFAULT], &def, &dmask);
	load_tasks(L, val[TOP_TASKS], root, &def, dmask);
	/* def's strings and arrays were copied into the tasks, never moved. */
	free(def.cwd);
	for (size_t i = 0; i < def.nenv; i++) {
		free(def.env[i].key);
		free(def.env[i].value);
	}
	free(def.env);
	free(def.no_retry_exit_codes);
	free(def.slurm.partition);
	free(def.slurm.account);
	free(def.slurm.qos);
	free(def.pool);
}

static struct dag_limits limits_or_default(const struct dag_limits *lim)
{
	struct dag_limits l = lim ? *lim : (struct dag_limits){ 0 };
	if (!l.max_bytes)
		l.max_bytes = DAG_DEFAULT_MAX_BYTES;
	if (l.max_depth <= 0)
		l.max_depth = DAG_DEFAULT_MAX_DEPTH;
	return l;
}

/* "8 MiB" or "1500000 bytes". */
static const char *size_text(size_t n, char *buf, size_t len)
{
	if (n % (1024 * 1024) == 0)
		snprintf(buf, len, "%zu MiB", n / (1024 * 1024));
	else if (n % 1024 == 0)
		snprintf(buf, len, "%zu KiB", n / 1024);
	else
		snprintf(buf, len, "%zu bytes", n);
	return buf;
}

static void too_big(struct diag_list *diags, const char *file, unsigned long long size, size_t max)
{
	char b[64];
	diag_add(diags, file, 0, 0, "file is %llu bytes, over the limit of %s for a DAG file (schedulerd --max-dag-size)",
		 size, size_text(max, b, sizeof b));
}

struct dag *dag_load_buffer_limits(const char *file, const char *buf, size_t len, const struct dag_limits *lim,
				   struct diag_list *diags)
{
	struct loader L = { 0 };
	L.file = file ? file : "<buffer>";
	L.buf = (const unsigned char *)buf;
	L.len = len;
	L.diags = diags;
	L.lim = limits_or_default(lim);
	size_t first = diags->n;
	if (len > L.lim.max_bytes) {
		too_big(diags, L.file, len, L.lim.max_bytes);
		return NULL;
	}
	L.dag = xcalloc(1, sizeof *L.dag);
	L.dag->file = xstrdup(L.file);
	fnv1a_hex(L.buf, len, L.dag->hash);
	L.dag->source = xcalloc(len + 1, 1);
	memcpy(L.dag->source, buf, len);
	L.dag->source[len] = '\0';
	load_document(&L);
	yaml_document_delete(&L.doc);
	free(L.ids);
	if (L.tn) {
		for (size_t i = 0; i < L.dag->ntasks; i++)
			free(L.tn[i].deps);
		free(L.tn);
	}
	sort_diags(diags, first);
	if (L.nerrors > DAG_MAX_ERRORS)
		diag_add(diags, L.file, 0, 0, "%zu more errors not shown (the first %d are)", L.nerrors - DAG_MAX_ERRORS,
			 DAG_MAX_ERRORS);
	if (L.nerrors) {
		dag_free(L.dag);
		return NULL;
	}
	return L.dag;
}

struct dag *dag_load_buffer(const char *file, const char *buf, size_t len, struct diag_list *diags)
{
	return dag_load_buffer_limits(file, buf, len, NULL, diags);
}

struct dag *dag_load_file_limits(const char *path, const struct dag_limits *lim, struct diag_list *diags)
{
	struct dag_limits l = limits_or_default(lim);
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag_add(diags, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && (unsigned long long)st.st_size > l.max_bytes) {
		too_big(diags, path, (unsigned long long)st.st_size, l.max_bytes);
		fclose(f);
		return NULL;
	}
	/* Read one byte past the limit so a file that grew since fstat is caught;
	 * the buffer is the file's size (plus room to notice growth), not the limit. */
	size_t cap = st.st_size >= 0 && (size_t)st.st_size < l.max_bytes ? (size_t)st.st_size + 4096 : l.max_bytes;
	if (cap > l.max_bytes)
		cap = l.max_bytes;
	char *buf = malloc(cap + 1);
	if (!buf) {
		fclose(f);
		diag_add(diags, path, 0, 0, "out of memory");
		return NULL;
	}
	size_t len = fread(buf, 1, cap + 1, f);
	int rerr = ferror(f);
	fclose(f);
	if (rerr) {
		diag_add(diags, path, 0, 0, "cannot read: %s", strerror(errno));
		free(buf);
		return NULL;
	}
	if (len > cap && cap < l.max_bytes) {	/* grew past what fstat said: read it again */
		free(buf);
		return dag_load_file_limits(path, &l, diags);
	}
	struct dag *d = dag_load_buffer_limits(path, buf, len, &l, diags);
	free(buf);
	return d;
}

struct dag *dag_load_file(const char *path, struct diag_list *diags)
{
	return dag_load_file_limits(path, NULL, diags);
}
