/* cmd_notifications.c: `schedctl notifications [--failed] [--pending]
 * [--dag D] [--last N] [--json]`: the alerts outbox (docs/alerts.md), newest
 * first, read through query_notifications, and its depth (pending and given
 * up rows), so an unreachable channel shows here before anyone misses an
 * alert. */
#include "ui-cli/schedctl.h"

#include <string.h>
#include <time.h>

#include "scheduler/tz.h"

#define NOTIFY_ERROR_WIDTH 60

static json_t *n_json(const struct query_notification *x)
{
	json_t *o = json_object();
	jx_set(o, "id", json_integer(x->id));
	jx_set(o, "key", jv_str(x->key));
	jx_set(o, "created", jv_time_us(x->created_us));
	jx_set(o, "event", jv_str(x->event));
	jx_set(o, "dag_id", jv_str(x->dag_id));
	jx_set(o, "run_id", jv_str(x->run_id));
	jx_set(o, "task_id", jv_str(x->task_id));
	jx_set(o, "try_number", x->try_number > 0 ? json_integer(x->try_number) : json_null());
	jx_set(o, "channel", jv_str(x->channel));
	jx_set(o, "state", jv_str(x->state));
	jx_set(o, "attempts", json_integer(x->attempts));
	jx_set(o, "next_attempt", strcmp(x->state, "pending") ? json_null() : jv_time_us(x->next_attempt_us));
	jx_set(o, "done", x->done_us > 0 ? jv_time_us(x->done_us) : json_null());
	jx_set(o, "last_error", jv_str(x->last_error));
	return o;
}

static void print_json(const struct query_notifications *n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n->n; i++)
		json_array_append_new(list, n_json(&n->v[i]));
	json_t *doc = json_object();
	jx_set(doc, "pending", json_integer(n->pending));
	jx_set(doc, "given_up", json_integer(n->given_up));
	jx_set(doc, "notifications", list);
	json_print(doc);
}

static void print_table(const struct cli *cli, const struct query_notifications *n)
{
	if (n->n == 0) {
		printf("no notifications\n");
	} else {
		static const char *const header[] = { "TIME", "EVENT", "DAG", "RUN", "TASK", "TRY", "CHANNEL",
						      "STATE", "ATTEMPTS", "ERROR" };
		struct table t;
		table_init(&t, 10);
		table_add(&t, header);
		for (size_t i = 0; i < n->n; i++) {
			const struct query_notification *x = &n->v[i];
			char time[32], try_n[16], attempts[16], error[NOTIFY_ERROR_WIDTH + 4];
			tz_format("UTC", (time_t)(x->created_us / 1000000), "%Y-%m-%d %H:%M:%S", time, sizeof time);
			snprintf(try_n, sizeof try_n, "%d", x->try_number);
			snprintf(attempts, sizeof attempts, "%d", x->attempts);
			snprintf(error, sizeof error, "%.*s%s", NOTIFY_ERROR_WIDTH, x->last_error ? x->last_error : "-",
				 x->last_error && strlen(x->last_error) > NOTIFY_ERROR_WIDTH ? "..." : "");
			const char *cells[10] = { time, x->event, x->dag_id, x->run_id ? x->run_id : "-",
						  x->task_id ? x->task_id : "-", x->try_number > 0 ? try_n : "-",
						  x->channel ? x->channel : "?", x->state, attempts, error };
			table_add(&t, cells);
			table_color_last(&t, 7, state_color(!strcmp(x->state, "given_up") ? "failed" :
							    !strcmp(x->state, "delivered") ? "success" : x->state));
		}
		table_print(&t, stdout, cli->color);
		table_free(&t);
	}
	printf("outbox: %lld pending, %lld given up\n", (long long)n->pending, (long long)n->given_up);
}

int cmd_notifications(struct cli *cli, int argc, char **argv)
{
	const char *dag = NULL;
	long last = 20;
	bool json = false, failed = false, pending = false;
	const struct opt opts[] = {
		{ OPT_FLAG, "failed", &failed, NULL, "only the notifications given up (never delivered)" },
		{ OPT_FLAG, "pending", &pending, NULL, "only the notifications not delivered yet" },
		{ OPT_STRING, "dag", &dag, "D", "only the notifications of DAG D" },
		{ OPT_INT, "last", &last, "N", "the N newest (default 20, 0 = all)" },
		{ OPT_FLAG, "json", &json, NULL, "JSON output" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl notifications [--failed] [--pending] [--dag D] [--last N] [--json]",
			   "Prints the alerts outbox (docs/alerts.md), newest first, and how many"
			   " notifications are pending or given up. --failed and --pending together:"
			   " either.", NULL, 0, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (last < 0) {
		cli_err("notifications: --last: %ld is negative", last);
		return SC_USAGE;
	}
	struct store *s = cli_open_store(cli, false);
	if (!s)
		return SC_FAIL;
	char err[1024];
	int ret = SC_FAIL;
	struct query_dag d = { 0 };
	if (dag && meta_load(s, dag, &d, err, sizeof err) != Q_OK) {
		cli_err("notifications: %s", err);
		goto out;
	}
	struct query_notification_filter f = { .dag_id = dag, .failed = failed, .pending = pending, .last = last };
	struct query_notifications n;
	if (query_notifications(s, &f, &n, err, sizeof err) != Q_OK) {
		cli_err("notifications: %s", err);
		goto out;
	}
	if (json)
		print_json(&n);
	else
		print_table(cli, &n);
	query_notifications_free(&n);
	ret = SC_OK;
out:
	query_dag_free(&d);
	store_close(s);
	return ret;
}
