/* template.c: the {{ name }} templates of task commands, env, cwd and sensor
 * paths (template.h).
 *
 * Syntax: "{{", optional spaces, a name, optional spaces, "}}". A quoted
 * literal {{ 'text' }} renders text as is, which is how a literal "{{" is
 * written: {{ '{{' }}. A lone "}}" is plain text. Names are checked when the
 * DAG is loaded (template_check), so rendering only fails on what can change
 * after load: an env.NAME that is unset, a missing run id.
 *
 * Rendering is cheap on purpose (the daemon renders every argv element of
 * every try): a string without "{{" is copied; the date values of a run are
 * computed once per (zone, schedule, interval) and kept in a one-entry cache,
 * so the zone switching of tz.c happens once per run, not once per argument.
 * The cache makes rendering non-reentrant, like tz.c itself. */
#include "scheduler/template.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/civil.h"
#include "lib/json.h"
#include "lib/suggest.h"
#include "lib/xalloc.h"
#include "scheduler/tz.h"

enum tname {
	T_DS, T_DS_NODASH, T_TS, T_DATA_INTERVAL_START, T_DATA_INTERVAL_END, T_PREV_DS, T_NEXT_DS,
	T_ISO_WEEK, T_YM, T_RUN_ID, T_TRY_NUMBER, T_DAG_ID, T_TASK_ID,
	T_TRIGGERING_DATASET_EVENTS,
	T_NFIXED,
	T_PARAM = T_NFIXED, T_ENV, T_LITERAL, T_FIELD, T_TI,
	T_MAP_INDEX, T_MAP_ITEM,	/* a mapped task's only: map_index, AS[.KEY...] */
	T_BAD
};

static const char *const fixed_names[T_NFIXED + 2] = {
	"ds", "ds_nodash", "ts", "data_interval_start", "data_interval_end", "prev_ds", "next_ds",
	"iso_week", "ym", "run_id", "try_number", "dag_id", "task_id",
	"triggering_dataset_events",
	"params.NAME", "env.NAME",
};

/* One {{ ... }} found in a string. */
struct tref {
	size_t start, end;	/* bytes of "{{" .. past "}}" */
	const char *arg;	/* params/env name or literal text, not NUL-terminated */
	size_t arglen;
	enum tname kind;
};

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '.' || c == '-';
}

/* "TASK.result[.PATH]" of a ti reference: the task id's length, and the
 * path after "result." (NULL when the whole result is meant). false when
 * there is no ".result" part or a key of the path is empty. */
static bool ti_ref_split(const char *a, size_t n, size_t *task_len, const char **path, size_t *path_len)
{
	for (size_t i = 1; i + 7 <= n; i++) {
		if (memcmp(a + i, ".result", 7) != 0 || (i + 7 < n && a[i + 7] != '.'))
			continue;
		*task_len = i;
		const char *pp = i + 7 < n ? a + i + 8 : NULL;
		size_t pl = pp ? n - (i + 8) : 0;
		if (pp && (pl == 0 || pp[pl - 1] == '.' || memmem(pp, pl, "..", 2) || pp[0] == '.'))
			return false;
		if (path) {
			*path = pp;
			*path_len = pl;
		}
		return true;
	}
	return false;
}

/* Parses the reference starting at s[at] == "{{". Returns 0, or -1 with err.
 * fields: the names of a field template (template_check_fields) in place of
 * the task names; NULL for a task's template. map_as: the element's name of
 * a mapped task's template (map_index and AS[.KEY...] are known), else NULL. */
static int tref_parse_in(const char *s, size_t at, struct tref *r, const char *const *fields, size_t nfields,
			 const char *map_as, char *err, size_t errlen)
{
	const char *p = s + at + 2;
	r->start = at;
	r->kind = T_BAD;
	r->arg = NULL;
	r->arglen = 0;
	while (*p == ' ')
		p++;
	if (*p == '\'') {
		/* A literal may hold "}}": its end is the closing quote. */
		const char *q = strchr(p + 1, '\'');
		const char *close = q ? q + 1 : NULL;
		while (close && *close == ' ')
			close++;
		if (!close || strncmp(close, "}}", 2) != 0) {
			snprintf(err, errlen, "unterminated '{{' (a quoted literal needs a closing quote, then '}}')");
			return -1;
		}
		r->kind = T_LITERAL;
		r->arg = p + 1;
		r->arglen = (size_t)(q - p - 1);
		r->end = (size_t)(close - s) + 2;
		return 0;
	}
	const char *close = strstr(p, "}}");
	if (!close) {
		snprintf(err, errlen, "unterminated '{{' (no '}}' after it)");
		return -1;
	}
	r->end = (size_t)(close - s) + 2;
	const char *q = close;
	while (q > p && q[-1] == ' ')
		q--;
	size_t len = (size_t)(q - p);
	if (len == 0) {
		snprintf(err, errlen, "empty template '{{ }}'");
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (!is_name_char(p[i])) {
			snprintf(err, errlen, "bad template '%.*s' (only {{ name }} or {{ 'literal' }}; no filters or expressions)",
				 (int)len, p);
			return -1;
		}
	}
	for (size_t i = 0; fields && i < nfields; i++) {
		if (strlen(fields[i]) == len && !memcmp(fields[i], p, len)) {
			r->kind = T_FIELD;
			r->arg = p;
			r->arglen = len;
			return 0;
		}
	}
	for (int i = 0; !fields && i < T_NFIXED; i++) {
		if (strlen(fixed_names[i]) == len && !memcmp(fixed_names[i], p, len)) {
			r->kind = (enum tname)i;
			return 0;
		}
	}
	if (!fields && len == 9 && !memcmp(p, "map_index", 9)) {
		if (!map_as) {
			snprintf(err, errlen, "'map_index' is known only in a task with 'expand:'");
			return -1;
		}
		r->kind = T_MAP_INDEX;
		return 0;
	}
	size_t al = map_as ? strlen(map_as) : 0;
	if (!fields && al && len >= al && !memcmp(p, map_as, al) && (len == al || p[al] == '.')) {
		r->kind = T_MAP_ITEM;	/* arg: the KEY path, if any */
		r->arg = len > al ? p + al + 1 : NULL;
		r->arglen = len > al ? len - al - 1 : 0;
		if (r->arg && (r->arglen == 0 || r->arg[r->arglen - 1] == '.' || memmem(r->arg, r->arglen, "..", 2))) {
			snprintf(err, errlen, "bad reference '%.*s' (expected %s or %s.KEY...)", (int)len, p, map_as,
				 map_as);
			return -1;
		}
		return 0;
	}
	if (!fields && len > 7 && !memcmp(p, "params.", 7)) {
		r->kind = T_PARAM;
		r->arg = p + 7;
		r->arglen = len - 7;
		return 0;
	}
	if (len > 4 && !memcmp(p, "env.", 4)) {
		r->kind = T_ENV;
		r->arg = p + 4;
		r->arglen = len - 4;
		bool ok = !(r->arg[0] >= '0' && r->arg[0] <= '9');
		for (size_t i = 0; i < r->arglen; i++)
			ok &= r->arg[i] != '.' && r->arg[i] != '-';
		if (!ok) {
			snprintf(err, errlen, "bad environment variable name '%.*s'", (int)r->arglen, r->arg);
			return -1;
		}
		return 0;
	}
	if (!fields && len > 3 && !memcmp(p, "ti.", 3)) {
		/* ti.TASK.result[.KEY...]: the task id is what comes before the
		 * first ".result" that ends the name or is followed by a '.' */
		r->kind = T_TI;
		r->arg = p + 3;
		r->arglen = len - 3;
		size_t tl;
		if (!ti_ref_split(r->arg, r->arglen, &tl, NULL, NULL)) {
			snprintf(err, errlen, "bad reference '%.*s' (expected ti.TASK.result or ti.TASK.result.KEY...)",
				 (int)len, p);
			return -1;
		}
		return 0;
	}
	char name[128];
	snprintf(name, sizeof name, "%.*s", (int)len, p);
	const char *near = fields ? suggest_nearest(name, fields, nfields) : suggest_nearest(name, fixed_names, T_NFIXED);
	if (near)
		snprintf(err, errlen, "unknown template name '%s' (did you mean '%s'?)", name, near);
	else
		snprintf(err, errlen, "unknown template name '%s'", name);
	return -1;
}

static int tref_parse(const char *s, size_t at, struct tref *r, const char *map_as, char *err, size_t errlen)
{
	return tref_parse_in(s, at, r, NULL, 0, map_as, err, errlen);
}

int template_check_fields(const char *s, const char *const *fields, size_t nfields, size_t *offset, char *err,
			  size_t errlen)
{
	for (const char *p = strstr(s, "{{"); p; p = strstr(p, "{{")) {
		struct tref r;
		size_t at = (size_t)(p - s);
		if (tref_parse_in(s, at, &r, fields, nfields, NULL, err, errlen) != 0) {
			*offset = at;
			return -1;
		}
		p = s + r.end;
	}
	return 0;
}

char *template_render_fields(const char *s, const char *const *fields, size_t nfields,
			     const char *(*value)(void *arg, const char *field), void *arg, char *err, size_t errlen)
{
	struct buf b = BUF_INIT;
	size_t done = 0;
	for (const char *p = strstr(s, "{{"); p; p = strstr(s + done, "{{")) {
		struct tref r;
		size_t at = (size_t)(p - s);
		if (tref_parse_in(s, at, &r, fields, nfields, NULL, err, errlen) != 0)
			goto fail;
		buf_add(&b, s + done, at - done);
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)r.arglen, r.arg);
		const char *v = NULL;
		if (r.kind == T_LITERAL) {
			buf_add(&b, r.arg, r.arglen);
		} else if (r.kind == T_ENV) {
			if (!(v = getenv(name))) {
				snprintf(err, errlen, "env.%s: environment variable %s is not set", name, name);
				goto fail;
			}
		} else if (!(v = value(arg, name))) {
			snprintf(err, errlen, "%s: no value in this context", name);
			goto fail;
		}
		if (v)
			buf_puts(&b, v);
		done = r.end;
	}
	buf_puts(&b, s + done);
	return buf_detach(&b);
fail:
	buf_free(&b);
	return NULL;
}

int template_ti_refs(const char *s, void (*fn)(void *arg, const char *task_id, size_t offset), void *arg)
{
	int n = 0;
	for (const char *p = strstr(s, "{{"); p; p = strstr(p, "{{")) {
		struct tref r;
		char err[8];
		size_t at = (size_t)(p - s), tl;
		if (tref_parse(s, at, &r, NULL, err, sizeof err) != 0) {
			p += 2;	/* template_check reports it (or it is a mapped task's name) */
			continue;
		}
		if (r.kind == T_TI && ti_ref_split(r.arg, r.arglen, &tl, NULL, NULL)) {
			char id[256];
			snprintf(id, sizeof id, "%.*s", (int)tl, r.arg);
			fn(arg, id, at);
			n++;
		}
		p = s + r.end;
	}
	return n;
}

int template_check(const char *s, const struct dag *d, size_t *offset, char *err, size_t errlen)
{
	return template_check_map(s, d, NULL, offset, err, errlen);
}

int template_check_map(const char *s, const struct dag *d, const char *map_as, size_t *offset, char *err,
		       size_t errlen)
{
	for (const char *p = strstr(s, "{{"); p; p = strstr(p, "{{")) {
		struct tref r;
		size_t at = (size_t)(p - s);
		if (tref_parse(s, at, &r, map_as, err, errlen) != 0) {
			*offset = at;
			return -1;
		}
		if (r.kind == T_PARAM && d) {
			char name[256];
			snprintf(name, sizeof name, "%.*s", (int)r.arglen, r.arg);
			if (!dag_param(d, name)) {
				const char **keys = xcalloc(d->nparams ? d->nparams : 1, sizeof *keys);
				for (size_t i = 0; i < d->nparams; i++)
					keys[i] = d->params[i].key;
				const char *near = suggest_nearest(name, keys, d->nparams);
				if (near)
					snprintf(err, errlen, "unknown param 'params.%s' (did you mean 'params.%s'?)", name, near);
				else
					snprintf(err, errlen, "unknown param 'params.%s' (declare it under 'params:')", name);
				free(keys);
				*offset = at;
				return -1;
			}
		}
		p = s + r.end;
	}
	return 0;
}

/* ---- the date values of a run, cached ----------------------------------- */

struct run_dates {
	char tz[64];
	char schedule[128];
	time_t start, end;
	bool valid;
	char ds[16], ds_nodash[16], ym[8], iso_week[16], prev_ds[16], next_ds[16];
	char ts[40], dis[40], die[40];
};

static _Thread_local struct run_dates cache;	/* per thread: schedweb renders on several */

static void wall_date(const char *tz, time_t t, char *ds, size_t len)
{
	struct tm tm;
	tz_localtime(tz, t, &tm);
	strftime(ds, len, "%Y-%m-%d", &tm);
}

/* A wall-clock time as if it were UTC seconds: differences of these are
 * wall-clock differences, free of DST jumps. */
static time_t wall_seconds(const char *tz, time_t t)
{
	struct tm tm;
	tz_localtime(tz, t, &tm);
	return timegm(&tm);
}

static void naive_date(time_t wall, char *ds, size_t len)
{
	struct tm tm;
	gmtime_r(&wall, &tm);
	strftime(ds, len, "%Y-%m-%d", &tm);
}

static void dates_compute(struct run_dates *c, const struct dag *d, time_t start, time_t end)
{
	const char *tz = d->timezone;
	struct tm tm;
	tz_localtime(tz, start, &tm);
	strftime(c->ds, sizeof c->ds, "%Y-%m-%d", &tm);
	strftime(c->ds_nodash, sizeof c->ds_nodash, "%Y%m%d", &tm);
	strftime(c->ym, sizeof c->ym, "%Y%m", &tm);
	int64_t iso_year;
	int week;
	civil_iso_week(civil_to_days((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday), &iso_year, &week);
	snprintf(c->iso_week, sizeof c->iso_week, "%04lld-W%02d", (long long)iso_year, week);
	tz_format_iso(tz, start, c->ts, sizeof c->ts);
	memcpy(c->dis, c->ts, sizeof c->dis);
	tz_format_iso(tz, end, c->die, sizeof c->die);

	time_t prev = (time_t)-1, next = (time_t)-1;
	if (d->kind == SCHEDULE_CRON) {
		prev = cron_prev_before(&d->cron, tz, start);
		next = cron_next_after(&d->cron, tz, start);
	}
	time_t ws = wall_seconds(tz, start), len = wall_seconds(tz, end) - ws;
	if (prev != (time_t)-1)
		wall_date(tz, prev, c->prev_ds, sizeof c->prev_ds);
	else
		naive_date(ws - len, c->prev_ds, sizeof c->prev_ds);
	if (next != (time_t)-1)
		wall_date(tz, next, c->next_ds, sizeof c->next_ds);
	else
		naive_date(ws + len, c->next_ds, sizeof c->next_ds);
}

static const struct run_dates *dates_get(const struct template_ctx *ctx)
{
	const struct dag *d = ctx->dag;
	const char *tz = d->timezone ? d->timezone : "UTC";
	const char *sched = d->schedule ? d->schedule : "";
	if (cache.valid && cache.start == ctx->interval_start && cache.end == ctx->interval_end &&
	    !strcmp(cache.tz, tz) && !strcmp(cache.schedule, sched))
		return &cache;
	cache.valid = false;
	dates_compute(&cache, d, ctx->interval_start, ctx->interval_end);
	/* Names too long for the key are computed every time, never mixed up. */
	if (strlen(tz) < sizeof cache.tz && strlen(sched) < sizeof cache.schedule) {
		strcpy(cache.tz, tz);
		strcpy(cache.schedule, sched);
		cache.start = ctx->interval_start;
		cache.end = ctx->interval_end;
		cache.valid = true;
	}
	return &cache;
}

/* ---- rendering ---------------------------------------------------------- */

static const char *conf_value(const struct template_ctx *ctx, const char *name)
{
	for (size_t i = ctx->nconf; i-- > 0;)	/* the last --param K=V given wins */
		if (!strcmp(ctx->conf[i].key, name))
			return ctx->conf[i].value;
	return NULL;
}

/* The value at path ("a.0.b": object keys, array indexes) under v; NULL
 * with the missing key in key when there is none. */
static json_t *json_walk(json_t *v, const char *path, size_t pl, char *key, size_t keylen)
{
	while (v && path) {
		const char *dot = memchr(path, '.', pl);
		size_t kl = dot ? (size_t)(dot - path) : pl;
		snprintf(key, keylen, "%.*s", (int)kl, path);
		json_t *next = NULL;
		if (json_is_object(v)) {
			next = json_object_get(v, key);
		} else if (json_is_array(v)) {
			char *end;
			unsigned long k = strtoul(key, &end, 10);
			if (*key >= '0' && *key <= '9' && !*end)
				next = json_array_get(v, k);
		}
		if (!next)
			return NULL;
		v = next;
		path = dot ? dot + 1 : NULL;
		pl = dot ? pl - kl - 1 : 0;
	}
	return v;
}

/* A JSON value as a template renders it: a string as it is, anything else
 * as compact JSON (malloc'd). */
static char *json_text(json_t *v)
{
	return json_is_string(v) ? xstrdup(json_string_value(v)) : jx_dump(v);
}

/* {{ AS[.KEY...] }} of a mapped task instance: its element, like a result. */
static const char *item_value(const struct tref *r, const struct template_ctx *ctx, char **owned, char *err,
			      size_t errlen)
{
	if (!ctx->map_item) {
		snprintf(err, errlen, "%s: no mapped element in this context", ctx->map_as ? ctx->map_as : "item");
		return NULL;
	}
	json_t *root = json_loads(ctx->map_item, JSON_DECODE_ANY, NULL);
	char key[256] = "";
	json_t *v = json_walk(root, r->arg, r->arglen, key, sizeof key);
	if (!v) {
		if (root)
			snprintf(err, errlen, "%s.%.*s: element %d has no '%s'", ctx->map_as, (int)r->arglen, r->arg,
				 ctx->map_index, key);
		else
			snprintf(err, errlen, "%s: element %d is not JSON", ctx->map_as, ctx->map_index);
		json_decref(root);
		return NULL;
	}
	*owned = json_text(v);
	json_decref(root);
	return *owned;
}

/* {{ ti.TASK.result[.KEY...] }}: a string as it is, anything else as
 * compact JSON; *owned is malloc'd. NULL with err when the task has no
 * result or a key is missing. */
static const char *ti_value(const struct tref *r, const struct template_ctx *ctx, char **owned, char *err,
			    size_t errlen)
{
	size_t tl, pl = 0;
	const char *path = NULL;
	ti_ref_split(r->arg, r->arglen, &tl, &path, &pl);
	char task[256];
	snprintf(task, sizeof task, "%.*s", (int)tl, r->arg);
	const char *text = ctx->result_of ? ctx->result_of(ctx->result_arg, task) : NULL;
	if (!ctx->result_of) {
		snprintf(err, errlen, "ti.%.*s: no results of other tasks here (only in a run of the daemon)",
			 (int)r->arglen, r->arg);
		return NULL;
	}
	if (!text) {
		snprintf(err, errlen, "ti.%.*s: task %s has no stored result in this run (its last stdout line"
			 " was not a JSON object)", (int)r->arglen, r->arg, task);
		return NULL;
	}
	json_t *root = json_loads(text, 0, NULL);
	char key[256] = "";
	json_t *v = json_walk(root, path, pl, key, sizeof key);
	if (!v) {
		if (root)
			snprintf(err, errlen, "ti.%.*s: the result of %s has no '%s'", (int)r->arglen, r->arg, task, key);
		else
			snprintf(err, errlen, "ti.%.*s: the result of %s is not JSON", (int)r->arglen, r->arg, task);
		json_decref(root);
		return NULL;
	}
	*owned = json_text(v);
	json_decref(root);
	return *owned;
}

/* The value of one reference; NULL with err on failure. num is scratch. */
static const char *tref_value(const struct tref *r, const struct template_ctx *ctx, char *num, size_t numlen,
			      char **owned, char *err, size_t errlen)
{
	char name[256];
	const char *v;
	switch (r->kind) {
	case T_DS: return dates_get(ctx)->ds;
	case T_DS_NODASH: return dates_get(ctx)->ds_nodash;
	case T_TS: return dates_get(ctx)->ts;
	case T_DATA_INTERVAL_START: return dates_get(ctx)->dis;
	case T_DATA_INTERVAL_END: return dates_get(ctx)->die;
	case T_PREV_DS: return dates_get(ctx)->prev_ds;
	case T_NEXT_DS: return dates_get(ctx)->next_ds;
	case T_ISO_WEEK: return dates_get(ctx)->iso_week;
	case T_YM: return dates_get(ctx)->ym;
	case T_TRY_NUMBER:
		snprintf(num, numlen, "%d", ctx->try_number);
		return num;
	case T_RUN_ID:
		if (!ctx->run_id)
			snprintf(err, errlen, "run_id: no run id in this context");
		return ctx->run_id;
	case T_DAG_ID:
		return ctx->dag->dag_id;
	case T_TASK_ID:
		if (!ctx->task_id)
			snprintf(err, errlen, "task_id: no task in this context");
		return ctx->task_id;
	case T_TRIGGERING_DATASET_EVENTS:
		/* JSON; "{}" for a run no dataset triggered (docs/datasets.md) */
		return ctx->triggering_dataset_events ? ctx->triggering_dataset_events : "{}";
	case T_PARAM:
		snprintf(name, sizeof name, "%.*s", (int)r->arglen, r->arg);
		v = conf_value(ctx, name);
		if (!v)
			v = dag_param(ctx->dag, name);
		if (!v)
			snprintf(err, errlen, "params.%s: not declared in the DAG's params nor given in the run's conf",
				 name);
		return v;
	case T_ENV:
		snprintf(name, sizeof name, "%.*s", (int)r->arglen, r->arg);
		v = getenv(name);
		if (!v)
			snprintf(err, errlen, "env.%s: environment variable %s is not set", name, name);
		return v;
	case T_TI:
		return ti_value(r, ctx, owned, err, errlen);
	case T_MAP_INDEX:
		snprintf(num, numlen, "%d", ctx->map_index);
		return num;
	case T_MAP_ITEM:
		return item_value(r, ctx, owned, err, errlen);
	case T_LITERAL:
	case T_FIELD:
	case T_BAD:
		break;
	}
	return NULL;
}

char *template_render(const char *s, const struct template_ctx *ctx, char *err, size_t errlen)
{
	const char *p = strstr(s, "{{");
	if (!p)
		return xstrdup(s);
	struct buf b = BUF_INIT;
	size_t done = 0;
	for (; p; p = strstr(s + done, "{{")) {
		struct tref r;
		size_t at = (size_t)(p - s);
		if (tref_parse(s, at, &r, ctx->map_as, err, errlen) != 0)
			goto fail;
		buf_add(&b, s + done, at - done);
		if (r.kind == T_LITERAL) {
			buf_add(&b, r.arg, r.arglen);
		} else {
			char num[24], *owned = NULL;
			const char *v = tref_value(&r, ctx, num, sizeof num, &owned, err, errlen);
			if (!v)
				goto fail;
			buf_puts(&b, v);
			free(owned);
		}
		done = r.end;
	}
	buf_puts(&b, s + done);
	return buf_detach(&b);
fail:
	buf_free(&b);
	return NULL;
}
