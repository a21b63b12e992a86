/* rule.c: loading the overspeed rule file (YAML, libyaml's document API so
 * every error can name the line and column of the offending node), expanding
 * key formats, and polling the file for changes. A rule that fails to parse
 * is never half applied: the caller gets NULL and keeps its current rule. */
#include "jobs/overspeed/rule.h"
#include "jobs/common/evtime.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

static char *xstrdup(const char *s)
{
	char *p = s ? strdup(s) : NULL;
	if (s && !p)
		abort();
	return p;
}

struct ovs_rule *rule_default(void)
{
	struct ovs_rule *r = calloc(1, sizeof *r);
	if (!r)
		abort();
	r->refs = 1;
	r->window_s = 30;
	r->threshold = 80;
	r->lateness_s = 5;
	r->ttl_s = 604800;
	r->key_fmt = xstrdup("{day}");
	r->member_fmt = xstrdup("{car}-{start}");
	r->detail_fmt = xstrdup("overspeed:{day}:{car}-{start}");
	r->min_records = 1;
	r->source = xstrdup("(built-in)");
	return r;
}

struct ovs_rule *rule_ref(struct ovs_rule *r)
{
	r->refs++;
	return r;
}

void rule_unref(struct ovs_rule *r)
{
	if (!r || --r->refs > 0)
		return;
	free(r->key_fmt);
	free(r->member_fmt);
	free(r->detail_fmt);
	for (size_t i = 0; i < r->n_areas; i++)
		free(r->areas[i]);
	free(r->areas);
	free(r->source);
	free(r);
}

int rule_area_ok(const struct ovs_rule *r, const char *area, size_t len)
{
	if (r->n_areas == 0)
		return 1;
	for (size_t i = 0; i < r->n_areas; i++)
		if (strlen(r->areas[i]) == len && memcmp(r->areas[i], area, len) == 0)
			return 1;
	return 0;
}

void rule_describe(const struct ovs_rule *r, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "window=%llds threshold=%g lateness=%llds ttl=%llds key=%s member=%s detail=%s min_records=%u areas=",
				    (long long)r->window_s, r->threshold, (long long)r->lateness_s, (long long)r->ttl_s,
				    r->key_fmt, r->member_fmt, r->detail_fmt ? r->detail_fmt : "none", r->min_records);
	if (r->n_areas == 0 && o < len)
		o += (size_t)snprintf(buf + o, len - o, "all");
	for (size_t i = 0; i < r->n_areas && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "," : "", r->areas[i]);
}

/* ---- formats ---- */

enum { PH_DAY, PH_START, PH_END, PH_CAR, PH_WINDOW, PH_BAD };

static int placeholder(const char *name, size_t n)
{
	static const char *names[] = {"day", "start", "end", "car", "window"};
	for (int i = 0; i < PH_BAD; i++)
		if (strlen(names[i]) == n && memcmp(names[i], name, n) == 0)
			return i;
	return PH_BAD;
}

int rule_format_check(const char *fmt, char *err, size_t errlen)
{
	for (const char *p = fmt; *p; p++) {
		if (*p == '}') {
			snprintf(err, errlen, "'}' without '{' in \"%s\"", fmt);
			return -1;
		}
		if (*p != '{')
			continue;
		const char *e = strchr(p, '}');
		if (!e) {
			snprintf(err, errlen, "unclosed '{' in \"%s\"", fmt);
			return -1;
		}
		if (placeholder(p + 1, (size_t)(e - p - 1)) == PH_BAD) {
			snprintf(err, errlen, "unknown placeholder {%.*s} in \"%s\" (known: {day} {start} {end} {car} {window})",
				 (int)(e - p - 1), p + 1, fmt);
			return -1;
		}
		p = e;
	}
	return 0;
}

int rule_format(const char *fmt, const struct rule_fmt_args *a, char *buf, size_t len)
{
	size_t o = 0;
	char tmp[32];
	for (const char *p = fmt; *p; p++) {
		const char *s = tmp;
		size_t n;
		const char *e;
		if (*p == '{' && (e = strchr(p, '}')) != NULL) {
			switch (placeholder(p + 1, (size_t)(e - p - 1))) {
			case PH_DAY: evtime_format8(a->start, tmp); break;
			case PH_START: evtime_format14(a->start, tmp); break;
			case PH_END: evtime_format14(a->end, tmp); break;
			case PH_CAR: s = a->car; break;
			case PH_WINDOW: snprintf(tmp, sizeof tmp, "%lld", (long long)a->window_s); break;
			default: tmp[0] = 0; break;
			}
			n = strlen(s);
			p = e;
		} else {
			s = p;
			n = 1;
		}
		if (o + n >= len)
			return -1;
		memcpy(buf + o, s, n);
		o += n;
	}
	if (o >= len)
		return -1;
	buf[o] = 0;
	return (int)o;
}

/* ---- YAML ---- */

struct pctx {
	yaml_document_t *doc;
	const char *name;
	char *err;
	size_t errlen;
	int failed;
};

static void perr(struct pctx *c, const yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void perr(struct pctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	if (c->failed)
		return;	/* keep the first error: it is the one to fix */
	c->failed = 1;
	int o = snprintf(c->err, c->errlen, "%s:%zu:%zu: ", c->name, n ? n->start_mark.line + 1 : 0,
			 n ? n->start_mark.column + 1 : 0);
	if (o < 0 || (size_t)o >= c->errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err + o, c->errlen - (size_t)o, fmt, ap);
	va_end(ap);
}

static const char *scalar(struct pctx *c, yaml_node_t *n, const char *key)
{
	if (n->type != YAML_SCALAR_NODE) {
		perr(c, n, "%s: expected a single value", key);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/* "30", "30s", "5m", "1h", "7d" -> seconds (> 0 unless allow_zero). */
static int parse_seconds(struct pctx *c, yaml_node_t *n, const char *key, int allow_zero, int64_t *out)
{
	const char *s = scalar(c, n, key);
	if (!s)
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	int64_t mult = 1;
	if (end != s && *end && !end[1]) {
		switch (*end) {
		case 's': mult = 1; end++; break;
		case 'm': mult = 60; end++; break;
		case 'h': mult = 3600; end++; break;
		case 'd': mult = 86400; end++; break;
		default: break;
		}
	}
	if (end == s || *end || errno || v < 0 || (!allow_zero && v == 0) || v > INT32_MAX) {
		perr(c, n, "%s: \"%s\" is not a duration (seconds, or a number with s, m, h or d%s)", key, s,
		     allow_zero ? "" : ", more than 0");
		return -1;
	}
	*out = v * mult;
	return 0;
}

static int parse_string(struct pctx *c, yaml_node_t *n, const char *key, char **out)
{
	const char *s = scalar(c, n, key);
	char e[256];
	if (!s)
		return -1;
	if (!*s) {
		perr(c, n, "%s: must not be empty", key);
		return -1;
	}
	if (rule_format_check(s, e, sizeof e)) {
		perr(c, n, "%s: %s", key, e);
		return -1;
	}
	free(*out);
	*out = xstrdup(s);
	return 0;
}

static void parse_conditions(struct pctx *c, struct ovs_rule *r, yaml_node_t *m)
{
	if (m->type != YAML_MAPPING_NODE) {
		perr(c, m, "conditions: expected a mapping (areas:, min_records:)");
		return;
	}
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top && !c->failed; p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
		const char *key = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "?";
		if (!strcmp(key, "areas")) {
			if (v->type != YAML_SEQUENCE_NODE) {
				perr(c, v, "conditions.areas: expected a list such as [A10, B02]");
				return;
			}
			for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
				yaml_node_t *a = yaml_document_get_node(c->doc, *it);
				const char *s = scalar(c, a, "conditions.areas");
				if (!s)
					return;
				if (!*s || strlen(s) > RULE_AREA_MAX || strchr(s, ',')) {
					perr(c, a, "conditions.areas: \"%s\" is not an area code (such as A10)", s);
					return;
				}
				char **na = realloc(r->areas, (r->n_areas + 1) * sizeof *na);
				if (!na)
					abort();
				r->areas = na;
				r->areas[r->n_areas++] = xstrdup(s);
			}
			if (r->n_areas == 0) {
				perr(c, v, "conditions.areas: empty list (leave the key out to accept every area)");
				return;
			}
		} else if (!strcmp(key, "min_records")) {
			const char *s = scalar(c, v, "conditions.min_records");
			char *end;
			if (!s)
				return;
			long long n = strtoll(s, &end, 10);
			if (end == s || *end || n < 1 || n > 1000000) {
				perr(c, v, "conditions.min_records: \"%s\" is not a whole number from 1 to 1000000", s);
				return;
			}
			r->min_records = (uint32_t)n;
		} else {
			perr(c, k, "conditions: unknown key \"%s\" (known: areas, min_records)", key);
		}
	}
}

static void parse_top(struct pctx *c, struct ovs_rule *r, yaml_node_t *root)
{
	if (!root) {
		perr(c, NULL, "empty rule file (expected keys such as threshold: 80)");
		return;
	}
	if (root->type != YAML_MAPPING_NODE) {
		perr(c, root, "expected a mapping of rule keys (window:, threshold:, ...)");
		return;
	}
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top && !c->failed; p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
		if (k->type != YAML_SCALAR_NODE) {
			perr(c, k, "expected a key name");
			return;
		}
		const char *key = (const char *)k->data.scalar.value;
		if (!strcmp(key, "window")) {
			if (parse_seconds(c, v, key, 0, &r->window_s) == 0 && 86400 % r->window_s != 0)
				perr(c, v, "window: %llds does not divide a day (86400 s); windows must align to midnight",
				     (long long)r->window_s);
		} else if (!strcmp(key, "lateness")) {
			parse_seconds(c, v, key, 1, &r->lateness_s);
		} else if (!strcmp(key, "ttl")) {
			parse_seconds(c, v, key, 0, &r->ttl_s);
		} else if (!strcmp(key, "threshold")) {
			const char *s = scalar(c, v, key);
			char *end;
			if (!s)
				return;
			double d = strtod(s, &end);
			if (end == s || *end || !isfinite(d) || d < 0)
				perr(c, v, "threshold: \"%s\" is not a speed in km/h (a number >= 0)", s);
			else
				r->threshold = d;
		} else if (!strcmp(key, "key")) {
			parse_string(c, v, key, &r->key_fmt);
		} else if (!strcmp(key, "member")) {
			parse_string(c, v, key, &r->member_fmt);
		} else if (!strcmp(key, "detail")) {
			const char *s = scalar(c, v, key);
			if (!s)
				return;
			if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "none") || !strcmp(s, "false")) {
				free(r->detail_fmt);
				r->detail_fmt = NULL;
			} else {
				parse_string(c, v, key, &r->detail_fmt);
			}
		} else if (!strcmp(key, "conditions")) {
			parse_conditions(c, r, v);
		} else {
			perr(c, k, "unknown key \"%s\" (known: window, threshold, lateness, ttl, key, member, detail, conditions)", key);
		}
	}
}

struct ovs_rule *rule_parse(const char *text, size_t len, const char *name, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct ovs_rule *r = rule_default();
	struct pctx c = {&doc, name, err, errlen, 0};

	free(r->source);
	r->source = xstrdup(name);
	if (!yaml_parser_initialize(&parser))
		abort();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: YAML error: %s%s%s", name, parser.problem_mark.line + 1,
			 parser.problem_mark.column + 1, parser.problem ? parser.problem : "syntax error",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		rule_unref(r);
		return NULL;
	}
	parse_top(&c, r, yaml_document_get_root_node(&doc));
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (c.failed) {
		rule_unref(r);
		return NULL;
	}
	return r;
}

struct ovs_rule *rule_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open rule file: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			if (cap > (1u << 20)) {
				snprintf(err, errlen, "%s: rule file larger than 1 MiB", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			char *nb = realloc(buf, cap);
			if (!nb)
				abort();
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		snprintf(err, errlen, "%s: read error", path);
		free(buf);
		return NULL;
	}
	struct ovs_rule *r = rule_parse(buf, n, path, err, errlen);
	free(buf);
	return r;
}

/* ---- watching ---- */

void rule_watch_init(struct rule_watch *w, const char *path)
{
	memset(w, 0, sizeof *w);
	w->path = xstrdup(path);
	rule_watch_mark(w);
}

void rule_watch_mark(struct rule_watch *w)
{
	struct stat st;
	if (stat(w->path, &st) == 0) {
		w->mtime = st.st_mtim;
		w->size = st.st_size;
		w->ino = st.st_ino;
		w->seen = 1;
	} else {
		w->seen = 0;
	}
}

int rule_watch_changed(const struct rule_watch *w)
{
	struct stat st;
	if (stat(w->path, &st) != 0)
		return 0;	/* a file being replaced may be missing for a moment: wait for it */
	return !w->seen || st.st_mtim.tv_sec != w->mtime.tv_sec || st.st_mtim.tv_nsec != w->mtime.tv_nsec ||
	       st.st_size != w->size || st.st_ino != w->ino;
}

void rule_watch_free(struct rule_watch *w)
{
	free(w->path);
	w->path = NULL;
}
