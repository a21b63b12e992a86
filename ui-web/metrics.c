/* metrics.c: GET /metrics, the scheduler's figures in Prometheus' text
 * exposition format 0.0.4 (docs/metrics.md lists every metric).
 *
 * The figures come from one read of the store (scheduler/query_metrics.h),
 * whose cost does not grow with the history: the counts are kept by the
 * schema's triggers and the daemon's status row. This file only prints them:
 * names, HELP and TYPE lines, label values escaped as the format says (\\,
 * \" and \n), histograms as cumulative _bucket{le} series ending in +Inf with
 * _sum and _count.
 *
 * Access: a viewer; the server lets anyone in when schedweb runs with
 * --metrics-anonymous (web-core's option; the route's min_role is VIEWER). */
#include <stdio.h>
#include <string.h>

#include "scheduler/query.h"
#include "scheduler/query_metrics.h"
#include "ui-web/web.h"

#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* A label value, escaped. */
static void label(struct buf *b, const char *name, const char *value)
{
	buf_printf(b, "%s=\"", name);
	for (const char *p = value ? value : ""; *p; p++) {
		if (*p == '\\')
			buf_puts(b, "\\\\");
		else if (*p == '"')
			buf_puts(b, "\\\"");
		else if (*p == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

static void header(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void counts(struct buf *b, const char *name, const char *help, const struct query_metric_count *c,
		   size_t n)
{
	header(b, name, "gauge", help);
	for (size_t i = 0; i < n; i++) {
		buf_printf(b, "%s{", name);
		if (c[i].dag_id) {
			label(b, "dag_id", c[i].dag_id);
			buf_putc(b, ',');
		}
		label(b, "state", c[i].state);
		buf_printf(b, "} %lld\n", (long long)c[i].n);
	}
}

/* One counter per (dag_id, task_id) of try_stats; which field by offset. */
static void try_counter(struct buf *b, const char *name, const char *help, const struct query_metrics *m,
			size_t offset)
{
	header(b, name, "counter", help);
	for (size_t i = 0; i < m->ntries; i++) {
		const struct query_metric_tries *t = &m->tries[i];
		buf_printf(b, "%s{", name);
		label(b, "dag_id", t->dag_id);
		buf_putc(b, ',');
		label(b, "task_id", t->task_id);
		buf_printf(b, "} %lld\n", (long long)*(const int64_t *)((const char *)t + offset));
	}
}

static void task_durations(struct buf *b, const struct query_metrics *m)
{
	static const char name[] = "sched_task_duration_seconds";
	header(b, name, "histogram", "Durations of the tries that ran, from their start to their end.");
	for (size_t i = 0; i < m->ntries; i++) {
		const struct query_metric_tries *t = &m->tries[i];
		struct buf lb = BUF_INIT;
		label(&lb, "dag_id", t->dag_id);
		buf_putc(&lb, ',');
		label(&lb, "task_id", t->task_id);
		for (int k = 0; k < QUERY_TRY_NBUCKETS; k++)
			buf_printf(b, "%s_bucket{%s,le=\"%d\"} %lld\n", name, buf_str(&lb), QUERY_TRY_BOUNDS_S[k],
				   (long long)t->buckets[k]);
		buf_printf(b, "%s_bucket{%s,le=\"+Inf\"} %lld\n", name, buf_str(&lb), (long long)t->duration_count);
		buf_printf(b, "%s_sum{%s} %.6f\n", name, buf_str(&lb), t->duration_sum);
		buf_printf(b, "%s_count{%s} %lld\n", name, buf_str(&lb), (long long)t->duration_count);
		buf_free(&lb);
	}
}

static void gauge(struct buf *b, const char *name, const char *help, double v)
{
	header(b, name, "gauge", help);
	buf_printf(b, "%s %.17g\n", name, v);
}

static void counter(struct buf *b, const char *name, const char *help, int64_t v)
{
	header(b, name, "counter", help);
	buf_printf(b, "%s %lld\n", name, (long long)v);
}

static void daemon_figures(struct buf *b, const struct query_metric_daemon *d, int64_t now_us)
{
	header(b, "sched_scheduler_heartbeat_age_seconds", "gauge",
	       "Seconds since schedulerd last wrote its heartbeat (about every second while it runs);"
	       " absent if no daemon ever ran on this state file.");
	if (d->beating)
		buf_printf(b, "sched_scheduler_heartbeat_age_seconds %.6f\n",
			   (double)(now_us - d->heartbeat_us) / 1e6);
	header(b, "sched_scheduler_start_time_seconds", "gauge", "When the daemon that wrote the heartbeat started.");
	if (d->beating)
		buf_printf(b, "sched_scheduler_start_time_seconds %.6f\n", (double)d->started_us / 1e6);

	static const char loop[] = "sched_scheduler_loop_duration_seconds";
	header(b, loop, "histogram", "Durations of the daemon's passes since it started (as of its heartbeat).");
	for (int i = 0; i < STATUS_LOOP_NBUCKETS; i++)
		buf_printf(b, "%s_bucket{le=\"%g\"} %lld\n", loop, (double)STATUS_LOOP_BOUNDS_US[i] / 1e6,
			   (long long)d->loop_buckets[i]);
	buf_printf(b, "%s_bucket{le=\"+Inf\"} %lld\n", loop, (long long)d->loops);
	buf_printf(b, "%s_sum %.6f\n", loop, (double)d->loop_us_sum / 1e6);
	buf_printf(b, "%s_count %lld\n", loop, (long long)d->loops);
	gauge(b, "sched_scheduler_loop_duration_max_seconds", "The longest pass since the daemon started.",
	      (double)d->loop_us_max / 1e6);
	gauge(b, "sched_scheduler_queue_depth",
	      "Task instances scheduled or queued: ready, waiting for a slot or for their process to start.",
	      (double)d->queue_depth);
	gauge(b, "sched_scheduler_running_tries", "Task processes running (holding a parallelism slot).",
	      (double)d->running_tries);
	counter(b, "sched_stream_restarts_total", "Restarts of stream tasks after their process ended.",
		d->stream_restarts);
	counter(b, "sched_crash_loops_total", "Times a stream task entered crash_loop.", d->crash_loops);
}

/* The whole exposition of m as of now_us. */
void metrics_render(const struct query_metrics *m, int64_t now_us, struct buf *b);
void metrics_render(const struct query_metrics *m, int64_t now_us, struct buf *b)
{
	counts(b, "sched_runs", "DAG runs by DAG and state.", m->runs, m->nruns);
	counts(b, "sched_task_instances", "Task instances by DAG and state.", m->tis, m->ntis);
	try_counter(b, "sched_tries_started_total", "Tries whose process started.", m,
		    offsetof(struct query_metric_tries, started));
	try_counter(b, "sched_tries_failed_total", "Tries that ended failed.", m,
		    offsetof(struct query_metric_tries, failed));
	try_counter(b, "sched_tries_retried_total", "Tries started as a retry (try number above 1).", m,
		    offsetof(struct query_metric_tries, retried));
	task_durations(b, m);
	daemon_figures(b, &m->daemon, now_us);
	counts(b, "sched_notifications", "Notifications in the outbox by state (delivered ones apart).",
	       m->notifications, m->nnotifications);
}

static void metrics_get(const struct web_req *r, struct web_resp *resp)
{
	struct store *s = web_store(r, resp);
	if (!s)
		return;
	struct query_metrics m;
	char err[600];
	if (query_metrics(s, &m, err, sizeof err) != Q_OK) {
		web_problem(resp, 500, "%s", err);
		return;
	}
	struct buf b = BUF_INIT;
	metrics_render(&m, store_now_us(), &b);
	query_metrics_free(&m);
	web_text(resp, 200, PROM_CONTENT_TYPE, buf_str(&b), b.len);
	buf_free(&b);
}

const struct web_route web_metrics_routes[] = {
	{ "GET", "/metrics", WEB_ROLE_VIEWER, metrics_get },
	{ NULL, NULL, WEB_ROLE_NONE, NULL },
};
