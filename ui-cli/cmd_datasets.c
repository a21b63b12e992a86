/* cmd_datasets.c: `schedctl datasets [URI] [--events N] [--json]`: every
 * dataset (docs/datasets.md) with its last event, its producers (literal
 * outlets declared, tasks seen producing it) and consumers (DAGs scheduled
 * on it, and whether an event waits for them); with a URI, that one and its
 * newest events. The rows come from query_datasets. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"

static json_t *event_json(const struct query_dataset_event *e)
{
	if (e->id == 0)
		return json_null();
	json_t *o = json_object();
	jx_set(o, "id", json_integer(e->id));
	jx_set(o, "at", jv_time_us(e->at_us));
	jx_set(o, "dag_id", jv_str(e->dag_id));
	jx_set(o, "task_id", jv_str(e->task_id));
	jx_set(o, "run_id", jv_str(e->run_id));
	jx_set(o, "extra", jv_doc_or_text(e->extra));
	return o;
}

static void print_json(const struct query_datasets *l, bool one)
{
	json_t *list = json_array();
	for (size_t i = 0; i < l->n; i++) {
		const struct query_dataset *d = &l->v[i];
		json_t *o = json_object(), *prod = json_array(), *cons = json_array();
		jx_set(o, "uri", jv_str(d->uri));
		jx_set(o, "events", json_integer(d->nevents));
		jx_set(o, "last_event", event_json(&d->last));
		for (size_t k = 0; k < d->nproducers; k++) {
			json_t *p = json_object();
			jx_set(p, "dag_id", jv_str(d->producers[k].dag_id));
			jx_set(p, "task_id", jv_str(d->producers[k].task_id));
			json_array_append_new(prod, p);
		}
		jx_set(o, "producers", prod);
		for (size_t k = 0; k < d->nconsumers; k++) {
			json_t *c = json_object();
			jx_set(c, "dag_id", jv_str(d->consumers[k].dag_id));
			jx_set(c, "pending", json_boolean(d->consumers[k].pending));
			json_array_append_new(cons, c);
		}
		jx_set(o, "consumers", cons);
		if (one) {
			json_t *ev = json_array();
			for (size_t k = 0; k < d->nevents_listed; k++)
				json_array_append_new(ev, event_json(&d->events[k]));
			jx_set(o, "recent_events", ev);
		}
		json_array_append_new(list, o);
	}
	if (one) {
		json_t *o = json_incref(json_array_get(list, 0));
		json_decref(list);
		json_print(o);
	} else {
		json_t *doc = json_object();
		jx_set(doc, "datasets", list);
		json_print(doc);
	}
}

/* "dag.task run_id" of an event, or "-". */
static void event_text(const struct query_dataset_event *e, char *buf, size_t len, char *when, size_t wlen)
{
	snprintf(buf, len, "-");
	snprintf(when, wlen, "-");
	if (e->id == 0)
		return;
	snprintf(buf, len, "%s.%s %s", e->dag_id ? e->dag_id : "?", e->task_id ? e->task_id : "?",
		 e->run_id ? e->run_id : "(run deleted)");
	date_format_us(e->at_us, "UTC", when, wlen);
}

static char *consumers_text(const struct query_dataset *d)
{
	struct buf b = BUF_INIT;
	for (size_t k = 0; k < d->nconsumers; k++)
		buf_printf(&b, "%s%s%s", k ? ", " : "", d->consumers[k].dag_id,
			   d->consumers[k].pending ? " (event pending)" : "");
	if (!d->nconsumers)
		buf_puts(&b, "-");
	return buf_detach(&b);
}

static char *producers_text(const struct query_dataset *d)
{
	struct buf b = BUF_INIT;
	for (size_t k = 0; k < d->nproducers; k++)
		buf_printf(&b, "%s%s.%s", k ? ", " : "", d->producers[k].dag_id, d->producers[k].task_id);
	if (!d->nproducers)
		buf_puts(&b, "-");
	return buf_detach(&b);
}

static void print_table(const struct cli *cli, const struct query_datasets *l)
{
	struct table t;
	table_init(&t, 6);
	const char *hdr[] = { "URI", "EVENTS", "LAST EVENT", "BY", "PRODUCERS", "CONSUMERS" };
	table_add(&t, hdr);
	for (size_t i = 0; i < l->n; i++) {
		const struct query_dataset *d = &l->v[i];
		char n[24], by[600], when[64];
		snprintf(n, sizeof n, "%lld", (long long)d->nevents);
		event_text(&d->last, by, sizeof by, when, sizeof when);
		char *prod = producers_text(d), *cons = consumers_text(d);
		const char *row[] = { d->uri, n, when, by, prod, cons };
		table_add(&t, row);
		free(prod);
		free(cons);
	}
	if (t.nrows == 1)
		printf("no datasets (no task declares outlets and no DAG is scheduled on datasets)\n");
	else
		table_print(&t, stdout, cli->color);
	table_free(&t);
}

static void print_one(const struct cli *cli, const struct query_dataset *d)
{
	char *prod = producers_text(d), *cons = consumers_text(d);
	printf("dataset %s\n  producers: %s\n  consumers: %s\n  events: %lld\n", tsafe(d->uri), tsafe(prod),
	       tsafe(cons), (long long)d->nevents);
	free(prod);
	free(cons);
	if (!d->nevents_listed)
		return;
	struct table t;
	table_init(&t, 4);
	const char *hdr[] = { "EVENT", "AT", "BY", "EXTRA" };
	table_add(&t, hdr);
	for (size_t k = 0; k < d->nevents_listed; k++) {
		char id[24], by[600], when[64];
		snprintf(id, sizeof id, "%lld", (long long)d->events[k].id);
		event_text(&d->events[k], by, sizeof by, when, sizeof when);
		const char *row[] = { id, when, by, d->events[k].extra ? d->events[k].extra : "-" };
		table_add(&t, row);
	}
	printf("\n");
	table_print(&t, stdout, cli->color);
	table_free(&t);
}

int cmd_datasets(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	long events = 10;
	const struct opt opts[] = {
		{ OPT_INT, "events", &events, "N", "with a URI: its N newest events (default 10)" },
		{ OPT_FLAG, "json", &json, NULL, "JSON output (see docs/schedctl.md)" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl datasets [URI] [--events N] [--json]",
			   "Lists the datasets: last event, producers and consumers; with a URI, that"
			   " dataset and its newest events.", pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (events < 0) {
		cli_err("datasets: --events %ld: must be 0 or more", events);
		return SC_USAGE;
	}
	struct store *s = cli_open_store(cli, false);
	if (!s)
		return SC_FAIL;
	struct query_datasets l;
	char err[1024];
	int q = query_datasets(s, npos ? pos[0] : NULL, events, &l, err, sizeof err);
	store_close(s);
	if (q != Q_OK) {
		cli_err("datasets: %s", err);
		return SC_FAIL;
	}
	if (json)
		print_json(&l, npos == 1);
	else if (npos)
		print_one(cli, &l.v[0]);
	else
		print_table(cli, &l);
	query_datasets_free(&l);
	return SC_OK;
}
