/* cmd_events.c: `schedctl events [DAG] [--run-id ID | --date D] [--task T]
 * [--last N] [--follow] [--json]`: the event log the store already keeps (one
 * row per state transition, with its cause), oldest first, read through
 * query_events.
 *
 * --follow prints the last N, then polls for events newer than the last one
 * seen (by id, every EVENTS_POLL_MS) until SIGINT or SIGTERM, or until its
 * reader goes away (SIGPIPE is ignored so the failed write is seen and the
 * command ends with exit 0, as `tail -f | head` does). Where it starts: the
 * newest event printed, or, when none matched, the newest event of the whole
 * log read before the first query, so no event is printed twice or skipped.
 * Each poll reads only ids above that mark (a range of the rowid, or of
 * events_by_run with --run), so following costs nothing as history grows.
 * Followed output is one line per event (JSON Lines with --json): a table
 * cannot be aligned before its rows are known. */
#include "ui-cli/schedctl.h"

#include <signal.h>
#include <string.h>
#include <time.h>

#include "scheduler/mapindex.h"
#include "scheduler/tz.h"

#define EVENTS_POLL_MS 200
#define EVENTS_CAUSE_WIDTH 80

static volatile sig_atomic_t events_stop;

static void on_stop(int sig)
{
	(void)sig;
	events_stop = 1;
}

/* The cells of one event: TIME DAG RUN TASK TRY CHANGE CAUSE. */
struct ev_cells {
	char time[40], try_n[16], change[80], cause[EVENTS_CAUSE_WIDTH + 4];
	const char *cells[7];
};

static void ev_cells(const struct query_event *e, const char *tz, struct ev_cells *c)
{
	char sec[32];
	tz_format(tz, (time_t)(e->at_us / 1000000), "%Y-%m-%d %H:%M:%S", sec, sizeof sec);
	snprintf(c->time, sizeof c->time, "%s.%03d", sec, (int)(e->at_us / 1000 % 1000));
	snprintf(c->try_n, sizeof c->try_n, "%d", e->try_number);
	snprintf(c->change, sizeof c->change, "%s%s%s", e->old_state ? e->old_state : "",
		 e->old_state ? " -> " : "", e->new_state ? e->new_state : "-");
	snprintf(c->cause, sizeof c->cause, "%.*s%s", EVENTS_CAUSE_WIDTH, e->cause ? e->cause : "-",
		 e->cause && strlen(e->cause) > EVENTS_CAUSE_WIDTH ? "..." : "");
	const char *cells[7] = { c->time, e->dag_id ? e->dag_id : "-", e->run_id ? e->run_id : "-",
				 e->task_id ? e->task_id : "-", e->try_number > 0 ? c->try_n : "-",
				 c->change, c->cause };
	memcpy(c->cells, cells, sizeof cells);
}

static json_t *ev_json(const struct query_event *e)
{
	json_t *o = json_object();
	jx_set(o, "id", json_integer(e->id));
	jx_set(o, "at", jv_time_us(e->at_us));
	jx_set(o, "at_us", json_integer(e->at_us));
	jx_set(o, "dag_id", jv_str(e->dag_id));
	jx_set(o, "run_id", jv_str(e->run_id));
	jx_set(o, "task_id", jv_str(e->task_id));
	jx_set(o, "try_number", e->try_number > 0 ? json_integer(e->try_number) : json_null());
	jx_set(o, "old_state", jv_str(e->old_state));
	jx_set(o, "new_state", jv_str(e->new_state));
	jx_set(o, "cause", jv_str(e->cause));
	jx_set(o, "actor", jv_str(e->actor));
	jx_set(o, "map_index", e->task_id ? json_integer(map_name_index(e->task_id)) : json_null());
	return o;
}

static const char *const ev_header[] = { "TIME", "DAG", "RUN", "TASK", "TRY", "CHANGE", "CAUSE" };

static void print_table(const struct cli *cli, const struct query_events *ev, const char *tz)
{
	if (ev->n == 0) {
		printf("no events\n");
		return;
	}
	struct table t;
	table_init(&t, 7);
	table_add(&t, ev_header);
	for (size_t i = 0; i < ev->n; i++) {
		struct ev_cells c;
		ev_cells(&ev->v[i], tz, &c);
		table_add(&t, c.cells);
		if (ev->v[i].new_state)
			table_color_last(&t, 5, state_color(ev->v[i].new_state));
	}
	table_print(&t, stdout, cli->color);
	table_free(&t);
}

static void print_json(const struct query_events *ev)
{
	json_t *list = json_array();
	for (size_t i = 0; i < ev->n; i++)
		json_array_append_new(list, ev_json(&ev->v[i]));
	json_t *doc = json_object();
	jx_set(doc, "events", list);
	json_print(doc);
}

/* One line per event (following); false once stdout is gone. */
static bool print_lines(const struct query_events *ev, const char *tz, bool json)
{
	for (size_t i = 0; i < ev->n; i++) {
		if (json) {
			json_print(ev_json(&ev->v[i]));	/* JSON Lines */
			continue;
		}
		struct ev_cells c;
		ev_cells(&ev->v[i], tz, &c);
		for (size_t k = 0; k < 7; k++)
			printf("%s%s", k ? "  " : "", tsafe(c.cells[k]));
		fputc('\n', stdout);
	}
	return fflush(stdout) == 0 && !ferror(stdout);
}

/* SIGINT and SIGTERM end the following at the next poll (no SA_RESTART:
 * the sleep ends at once); SIGPIPE is ignored so a closed reader shows as a
 * failed write. */
static void follow_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Polls for events after *after until stopped. SC_OK when stopped by a
 * signal or a closed stdout, SC_FAIL on a read error (printed). */
static int follow(struct store *s, struct query_event_filter f, const char *tz, bool json)
{
	char err[1024];
	while (!events_stop) {
		struct query_events ev;
		f.last = 0;
		if (query_events(s, &f, &ev, err, sizeof err) != Q_OK) {
			cli_err("events: %s", err);
			return SC_FAIL;
		}
		if (ev.n)
			f.after_id = ev.v[ev.n - 1].id;
		bool out = print_lines(&ev, tz, json);
		query_events_free(&ev);
		if (!out)
			break;	/* the reader is gone (EPIPE) */
		nanosleep(&(struct timespec){ 0, EVENTS_POLL_MS * 1000L * 1000 }, NULL);
	}
	return SC_OK;
}

int cmd_events(struct cli *cli, int argc, char **argv)
{
	const char *run_id = NULL, *run_old = NULL, *date = NULL, *task = NULL;
	long last = 20;
	bool json = false, follow_flag = false;
	const struct opt opts[] = {
		{ OPT_STRING, "run-id", &run_id, "ID", "only the events of that run (as `runs` prints it)" },
		{ OPT_STRING, "run", &run_old, "ID", "the same as --run-id (its earlier name)" },
		{ OPT_STRING, "date", &date, "D", "only the events of the run of logical date D (needs DAG)" },
		{ OPT_STRING, "task", &task, "T", "only the events of task T (a mapped task's: with its instances; one instance: T[N])" },
		{ OPT_INT, "last", &last, "N", "the N newest events (default 20, 0 = the whole log)" },
		{ OPT_FLAG, "follow", &follow_flag, NULL, "then keep printing new events until interrupted" },
		{ OPT_FLAG, "json", &json, NULL, "JSON output (JSON Lines with --follow)" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts,
			   "schedctl events [DAG] [--run-id ID | --date D] [--task T] [--last N]"
			   " [--follow] [--json]",
			   "Prints the event log: every state change of DAGs, runs and tasks, with"
			   " its cause, oldest first.", pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (date && npos != 1) {
		cli_err("events: --date needs a DAG: schedctl events DAG --date D");
		return SC_USAGE;
	}
	if (run_old && run_id) {
		cli_err("events: --run and --run-id both name a run; give one");
		return SC_USAGE;
	}
	if (run_old)
		run_id = run_old;
	if (date && run_id) {
		cli_err("events: --run-id and --date both name a run; give one");
		return SC_USAGE;
	}
	struct store *s = cli_open_store(cli, false);
	if (!s)
		return SC_FAIL;
	struct query_dag d = { 0 };
	/* A task's events include its mapped instances' (task[N]); an
	 * instance's name selects that one. */
	struct query_event_filter f = { .task_id = task, .task_instances = task && !map_name_parse(task, NULL, NULL),
					.last = last };
	char err[1024];
	int ret = SC_FAIL;
	if (npos == 1) {
		if (meta_load(s, pos[0], &d, err, sizeof err) != Q_OK) {
			cli_err("events: %s", err);
			goto out;
		}
		f.dag_id = d.dag_id;
		if (task && query_ti_task_index(&d, task) < 0) {
			meta_unknown_task(&d, task, err, sizeof err);
			cli_err("events: %s", err);
			goto out;
		}
	}
	struct query_run r;
	if (date) {
		int k = run_find(s, &d, NULL, date, &r, err, sizeof err);
		if (k != SC_OK) {
			cli_err("events: %s", err);
			ret = k;
			goto out;
		}
		f.run = r.id;
	} else if (run_id) {
		if (query_run_by_run_id(s, f.dag_id, run_id, &r, NULL, err, sizeof err) != Q_OK) {
			cli_err("events: %s", err);
			goto out;
		}
		f.run = r.id;
	}
	/* Where following starts when nothing matches yet: read before the
	 * first query, so an event committed in between is not skipped. */
	int64_t newest = 0;
	if (follow_flag && query_events_last_id(s, &newest, err, sizeof err) != Q_OK) {
		cli_err("events: %s", err);
		goto out;
	}
	struct query_events ev;
	if (query_events(s, &f, &ev, err, sizeof err) != Q_OK) {
		cli_err("events: %s", err);
		goto out;
	}
	const char *tz = d.timezone ? d.timezone : "UTC";
	ret = SC_OK;
	if (!follow_flag) {
		if (json)
			print_json(&ev);
		else
			print_table(cli, &ev, tz);
		query_events_free(&ev);
		goto out;
	}
	follow_signals();
	if (!json) {
		for (size_t k = 0; k < 7; k++)
			printf("%s%s", k ? "  " : "", ev_header[k]);
		fputc('\n', stdout);
	}
	f.after_id = ev.n ? ev.v[ev.n - 1].id : newest;
	bool alive = print_lines(&ev, tz, json);
	query_events_free(&ev);
	if (alive)
		ret = follow(s, f, tz, json);
out:
	query_dag_free(&d);
	store_close(s);
	return ret;
}
