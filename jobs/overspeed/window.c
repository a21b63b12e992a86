/* window.c: the overspeed window engine (see window.h for the model and the
 * offset argument). Built for throughput: a record costs the shared driver
 * parser (records.h: one comma scan, checks of a few bytes, a cached
 * timestamp) and one open-addressing probe in the pane of its window;
 * the watermark is recomputed only when a partition's highest timestamp moves
 * (once per simulated second per partition, not per record). */
#include "jobs/overspeed/window.h"
#include "jobs/common/evtime.h"

#include <stdlib.h>
#include <string.h>

struct win_acc {
	uint32_t hash;
	uint32_t count;	/* 0: empty slot */
	uint64_t sum;
	char car[WIN_CAR_MAX + 1];
};

struct epoch {
	int64_t from;	/* first second this rule's windows cover; WIN_NONE for the first */
	struct ovs_rule *rule;
};

struct part {
	int64_t max_ts;
	int64_t next_off;	/* one past the highest offset seen; -1 none */
	int64_t floor;
	int tracked, at_eof;
};

struct win_engine {
	struct epoch *ep;
	size_t n_ep;
	int64_t max_end_opened;
	struct win_pane *open;	/* ascending start */
	struct win_pane *last;	/* the pane the previous record went to */
	struct win_pane *pend_head, *pend_tail;
	size_t n_open, n_pend;
	struct part *parts;
	size_t n_parts;
	int64_t wm, acked_through;
	struct win_stats st;
	int64_t (*clock)(void);
};

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);
	if (!p)
		abort();
	return p;
}

/* ---- record parsing ---- */

int win_parse_driver(const char *line, size_t len, struct win_record *out, rec_tscache *cache, job_err *e)
{
	rec_driver_view v;
	if (rec_driver_scan(line, len, &v, cache, e) < 0)
		return -1;
	out->ts = v.ts;
	out->car = v.f[REC_D_CAR_NUMBER].p;
	out->car_len = v.f[REC_D_CAR_NUMBER].n;
	out->speed = v.speed;
	out->area = v.f[REC_D_AREA_NUMBER].p;
	out->area_len = v.f[REC_D_AREA_NUMBER].n;
	return 0;
}

/* ---- engine ---- */

struct win_engine *win_new(struct ovs_rule *rule)
{
	struct win_engine *e = xcalloc(1, sizeof *e);
	e->ep = xcalloc(1, sizeof *e->ep);
	e->ep[0].from = WIN_NONE;
	e->ep[0].rule = rule_ref(rule);
	e->n_ep = 1;
	e->max_end_opened = WIN_NONE;
	e->wm = WIN_NONE;
	e->acked_through = WIN_NONE;
	return e;
}

static void pane_free(struct win_pane *p)
{
	rule_unref(p->rule);
	free(p->slots);
	free(p->min_off);
	free(p->det);
	free(p);
}

static void drop_panes(struct win_engine *e)
{
	for (struct win_pane *p = e->open, *n; p; p = n) {
		n = p->next;
		pane_free(p);
	}
	for (struct win_pane *p = e->pend_head, *n; p; p = n) {
		n = p->next;
		pane_free(p);
	}
	e->open = e->last = e->pend_head = e->pend_tail = NULL;
	e->n_open = e->n_pend = 0;
}

void win_free(struct win_engine *e)
{
	if (!e)
		return;
	drop_panes(e);
	for (size_t i = 0; i < e->n_ep; i++)
		rule_unref(e->ep[i].rule);
	free(e->ep);
	free(e->parts);
	free(e);
}

struct ovs_rule *win_current_rule(const struct win_engine *e)
{
	return e->ep[e->n_ep - 1].rule;
}

void win_set_rule(struct win_engine *e, struct ovs_rule *rule)
{
	struct epoch *last = &e->ep[e->n_ep - 1];
	int64_t from = WIN_NONE;
	if (e->max_end_opened != WIN_NONE) {
		int64_t w = rule->window_s;
		from = evtime_floor_div(e->max_end_opened + w - 1, w) * w;
	}
	if (from <= last->from) {	/* no window opened under the last rule yet: replace it */
		rule_unref(last->rule);
		last->rule = rule_ref(rule);
		return;
	}
	struct epoch *n = realloc(e->ep, (e->n_ep + 1) * sizeof *n);
	if (!n)
		abort();
	e->ep = n;
	e->ep[e->n_ep].from = from;
	e->ep[e->n_ep].rule = rule_ref(rule);
	e->n_ep++;
}

static struct part *part_get(struct win_engine *e, int part)
{
	if (part < 0)
		part = 0;
	if ((size_t)part >= e->n_parts) {
		size_t n = (size_t)part + 1;
		struct part *np = realloc(e->parts, n * sizeof *np);
		if (!np)
			abort();
		for (size_t i = e->n_parts; i < n; i++)
			np[i] = (struct part){WIN_NONE, -1, WIN_NONE, 0, 0};
		e->parts = np;
		e->n_parts = n;
	}
	return &e->parts[part];
}

void win_set_clock(struct win_engine *e, int64_t (*now_ns)(void))
{
	e->clock = now_ns;
}

static int cmp_det(const void *a, const void *b)
{
	return strcmp(((const struct win_detection *)a)->car, ((const struct win_detection *)b)->car);
}

/* Computes the detections of the head open pane and queues it. */
static void close_head(struct win_engine *e)
{
	struct win_pane *p = e->open;
	const struct ovs_rule *r = p->rule;
	size_t n = 0;

	e->open = p->next;
	e->n_open--;
	if (e->last == p)
		e->last = NULL;
	for (size_t i = 0; i < p->cap; i++)
		if (p->slots[i].count) {
			const struct win_acc *a = &p->slots[i];
			double avg = (double)a->sum / a->count;
			p->cars++;
			if (a->count >= r->min_records && avg > r->threshold)
				n++;
		}
	p->det = xcalloc(n, sizeof *p->det);
	for (size_t i = 0; i < p->cap; i++) {
		const struct win_acc *a = &p->slots[i];
		if (!a->count)
			continue;
		double avg = (double)a->sum / a->count;
		if (a->count >= r->min_records && avg > r->threshold) {
			struct win_detection *d = &p->det[p->n_det++];
			memcpy(d->car, a->car, sizeof d->car);
			d->avg = avg;
			d->count = a->count;
		}
	}
	qsort(p->det, p->n_det, sizeof *p->det, cmp_det);
	free(p->slots);
	p->slots = NULL;
	p->cap = p->used = 0;
	p->closed_ns = e->clock ? e->clock() : 0;
	p->next = NULL;
	if (e->pend_tail)
		e->pend_tail->next = p;
	else
		e->pend_head = p;
	e->pend_tail = p;
	e->n_pend++;
	e->st.windows_closed++;
	e->st.detections += p->n_det;
}

static void close_ready(struct win_engine *e)
{
	while (e->open && e->open->end <= e->wm)
		close_head(e);
	/* epochs whose successor has started can receive no more records */
	while (e->n_ep >= 2 && e->ep[1].from <= e->wm) {
		rule_unref(e->ep[0].rule);
		memmove(e->ep, e->ep + 1, (e->n_ep - 1) * sizeof *e->ep);
		e->n_ep--;
	}
}

static void recompute_wm(struct win_engine *e)
{
	int64_t lo = INT64_MAX, hi = WIN_NONE;
	int active = 0;
	for (size_t i = 0; i < e->n_parts; i++) {
		const struct part *p = &e->parts[i];
		if (!p->tracked)
			continue;
		if (p->max_ts > hi)
			hi = p->max_ts;
		if (p->at_eof)
			continue;
		active = 1;
		if (p->max_ts < lo)
			lo = p->max_ts;
	}
	int64_t base = active ? lo : hi;
	if (base == WIN_NONE)
		return;	/* a partition has not spoken yet: hold */
	int64_t cand = base - win_current_rule(e)->lateness_s;
	if (cand > e->wm)
		e->wm = cand;
	close_ready(e);
}

void win_track_partition(struct win_engine *e, int part)
{
	part_get(e, part)->tracked = 1;
}

void win_set_eof(struct win_engine *e, int part, int at_eof)
{
	struct part *p = part_get(e, part);
	p->tracked = 1;
	p->at_eof = at_eof;
	recompute_wm(e);
}

void win_set_floor(struct win_engine *e, int part, int64_t floor)
{
	part_get(e, part)->floor = floor;
	if (floor > e->acked_through)
		e->acked_through = floor;
}

int64_t win_get_floor(const struct win_engine *e, int part)
{
	return part >= 0 && (size_t)part < e->n_parts ? e->parts[part].floor : WIN_NONE;
}

void win_advance(struct win_engine *e)
{
	recompute_wm(e);
}

void win_close_all(struct win_engine *e)
{
	while (e->open)
		close_head(e);
}

static void acc_grow(struct win_pane *p);

static struct win_acc *acc_find(struct win_pane *p, const char *car, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)car[i]) * 16777619u;
	for (;;) {
		size_t mask = p->cap - 1;
		for (size_t i = h & mask;; i = (i + 1) & mask) {
			struct win_acc *a = &p->slots[i];
			if (!a->count) {
				if ((p->used + 1) * 4 > p->cap * 3)
					break;	/* grow first, then insert */
				p->used++;
				a->hash = h;
				memcpy(a->car, car, len);
				a->car[len] = 0;
				return a;
			}
			if (a->hash == h && a->car[len] == 0 && memcmp(a->car, car, len) == 0)
				return a;
		}
		acc_grow(p);
	}
}

static void acc_grow(struct win_pane *p)
{
	size_t ncap = p->cap * 2;
	struct win_acc *ns = xcalloc(ncap, sizeof *ns);
	for (size_t i = 0; i < p->cap; i++) {
		struct win_acc *a = &p->slots[i];
		if (!a->count)
			continue;
		size_t j = a->hash & (ncap - 1);
		while (ns[j].count)
			j = (j + 1) & (ncap - 1);
		ns[j] = *a;
	}
	free(p->slots);
	p->slots = ns;
	p->cap = ncap;
}

static struct win_pane *pane_get(struct win_engine *e, int64_t start, int64_t end, struct ovs_rule *rule)
{
	struct win_pane **pp = &e->open;
	while (*pp && (*pp)->start < start)
		pp = &(*pp)->next;
	if (*pp && (*pp)->start == start)
		return *pp;
	struct win_pane *p = xcalloc(1, sizeof *p);
	p->start = start;
	p->end = end;
	p->rule = rule_ref(rule);
	p->cap = 1024;
	p->slots = xcalloc(p->cap, sizeof *p->slots);
	p->next = *pp;
	*pp = p;
	e->n_open++;
	if (end > e->max_end_opened)
		e->max_end_opened = end;
	return p;
}

static void note_offset(struct win_pane *p, int part, int64_t off)
{
	if (off < 0 || part < 0)
		return;
	if ((size_t)part >= p->n_min_off) {
		size_t n = (size_t)part + 1;
		int64_t *m = realloc(p->min_off, n * sizeof *m);
		if (!m)
			abort();
		for (size_t i = p->n_min_off; i < n; i++)
			m[i] = -1;
		p->min_off = m;
		p->n_min_off = n;
	}
	if (p->min_off[part] < 0 || off < p->min_off[part])
		p->min_off[part] = off;
}

enum win_add_result win_add(struct win_engine *e, const struct win_record *r, int part, int64_t off)
{
	struct part *pt = part_get(e, part);
	struct win_pane *p = e->last;
	enum win_add_result res = WIN_ADDED;

	e->st.records++;
	pt->tracked = 1;
	if (off >= 0 && off + 1 > pt->next_off)
		pt->next_off = off + 1;
	if (r->ts > pt->max_ts) {
		pt->max_ts = r->ts;
		recompute_wm(e);
		p = e->last;	/* closing may have released it */
	}
	if (!(p && r->ts >= p->start && r->ts < p->end)) {
		size_t i = e->n_ep - 1;
		while (i > 0 && e->ep[i].from > r->ts)
			i--;
		struct ovs_rule *rule = e->ep[i].rule;
		int64_t w = rule->window_s;
		int64_t start = evtime_floor_div(r->ts, w) * w;
		int64_t end = start + w;
		if (i + 1 < e->n_ep && end > e->ep[i + 1].from)
			end = e->ep[i + 1].from;	/* the window at a rule switch is cut short */
		if (start < e->ep[i].from)
			start = e->ep[i].from;
		if (end <= pt->floor) {
			e->st.replayed++;
			return WIN_REPLAYED;
		}
		if (end <= e->wm) {
			e->st.late++;
			return WIN_LATE;
		}
		if (!rule_area_ok(rule, r->area, r->area_len)) {
			e->st.filtered++;
			return WIN_FILTERED;
		}
		p = pane_get(e, start, end, rule);
		e->last = p;
	} else if (p->end <= pt->floor) {
		e->st.replayed++;
		return WIN_REPLAYED;
	} else if (!rule_area_ok(p->rule, r->area, r->area_len)) {
		e->st.filtered++;
		return WIN_FILTERED;
	}
	struct win_acc *a = acc_find(p, r->car, r->car_len);
	a->count++;
	a->sum += (uint64_t)r->speed;
	p->records++;
	note_offset(p, part, off);
	return res;
}

void win_skip_offset(struct win_engine *e, int part, int64_t off)
{
	struct part *pt = part_get(e, part);
	if (off >= 0 && off + 1 > pt->next_off)
		pt->next_off = off + 1;
}

struct win_pane *win_pending(struct win_engine *e)
{
	return e->pend_head;
}

void win_ack(struct win_engine *e, struct win_pane *p)
{
	if (!p || p != e->pend_head)
		abort();	/* a caller bug: acknowledgements are in order */
	e->pend_head = p->next;
	if (!e->pend_head)
		e->pend_tail = NULL;
	e->n_pend--;
	if (p->end > e->acked_through)
		e->acked_through = p->end;
	e->st.windows_acked++;
	pane_free(p);
}

size_t win_pending_count(const struct win_engine *e)
{
	return e->n_pend;
}

static int64_t pane_min(const struct win_pane *p, int part, int64_t lo)
{
	if ((size_t)part < p->n_min_off && p->min_off[part] >= 0 && p->min_off[part] < lo)
		return p->min_off[part];
	return lo;
}

int64_t win_safe_offset(const struct win_engine *e, int part)
{
	if (part < 0 || (size_t)part >= e->n_parts || e->parts[part].next_off < 0)
		return -1;
	int64_t lo = e->parts[part].next_off;
	for (const struct win_pane *p = e->open; p; p = p->next)
		lo = pane_min(p, part, lo);
	for (const struct win_pane *p = e->pend_head; p; p = p->next)
		lo = pane_min(p, part, lo);
	return lo;
}

int64_t win_acked_through(const struct win_engine *e)
{
	return e->acked_through;
}

int64_t win_watermark(const struct win_engine *e)
{
	return e->wm;
}

size_t win_open_count(const struct win_engine *e)
{
	return e->n_open;
}

const struct win_stats *win_stats(const struct win_engine *e)
{
	return &e->st;
}

void win_reset(struct win_engine *e)
{
	drop_panes(e);
	for (size_t i = 0; i + 1 < e->n_ep; i++)
		rule_unref(e->ep[i].rule);
	e->ep[0] = e->ep[e->n_ep - 1];
	e->ep[0].from = WIN_NONE;
	e->n_ep = 1;
	free(e->parts);
	e->parts = NULL;
	e->n_parts = 0;
	e->wm = WIN_NONE;
	e->max_end_opened = WIN_NONE;
}
