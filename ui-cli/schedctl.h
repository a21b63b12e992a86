/* schedctl.h: what the subcommands of schedctl share: the context built by
 * main (state path, output manners), the option parser, the output helpers
 * and the DAG metadata read from the state file.
 *
 * Exit codes of every subcommand: SC_OK 0, SC_FAIL 1 (failed or not found),
 * SC_USAGE 2. */
#ifndef SCHEDCTL_H
#define SCHEDCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "lib/json.h"
#include "lib/options.h"
#include "lib/progress.h"
#include "scheduler/dagmeta.h"
#include "scheduler/query.h"
#include "scheduler/store.h"

enum { SC_OK = 0, SC_FAIL = 1, SC_USAGE = 2 };

struct cli {
	const char *state_path;	/* --state, $SCHED_STATE or the daemon's default */
	bool color;		/* stdout is a terminal and NO_COLOR is unset */
	bool tty_out;		/* stdout is a terminal */
	bool tty_in;		/* stdin is a terminal */
	bool wrote;		/* the store was opened for writing: ring the daemon */
};

#define SCHED_DEFAULT_STATE "./sched-state.db"

typedef int (*cmd_fn)(struct cli *cli, int argc, char **argv);

struct cmd {
	const char *name;
	cmd_fn fn;
	const char *summary;
};

int cmd_dags(struct cli *, int, char **);
int cmd_validate(struct cli *, int, char **);
int cmd_trigger(struct cli *, int, char **);
int cmd_backfill(struct cli *, int, char **);
int cmd_clear(struct cli *, int, char **);
int cmd_runs(struct cli *, int, char **);
int cmd_status(struct cli *, int, char **);
int cmd_logs(struct cli *, int, char **);
int cmd_events(struct cli *, int, char **);
int cmd_notifications(struct cli *, int, char **);
int cmd_pause(struct cli *, int, char **);
int cmd_unpause(struct cli *, int, char **);
int cmd_test(struct cli *, int, char **);
int cmd_graph(struct cli *, int, char **);
int cmd_grid(struct cli *, int, char **);
int cmd_db(struct cli *, int, char **);
int cmd_stop(struct cli *, int, char **);
int cmd_mark(struct cli *, int, char **);
int cmd_delete(struct cli *, int, char **);
int cmd_datasets(struct cli *, int, char **);
int cmd_pools(struct cli *, int, char **);
/* cmd_runops.c: schedctl backfill DAG --cancel N [--yes]. */
int backfill_cancel(struct cli *cli, const char *dag, long backfill_id, bool yes);
int dags_versions(struct cli *cli, const char *dag_id, bool json);	/* dags DAG --versions */

/* ---- options.c: every subcommand parses with the one option parser of the
 * project (lib/options.h: long options, "--name value" or "--name=value",
 * "--" ends options, --help prints the usage and the option list). */
/* Parses argv[1..] (argv[0] is the subcommand). Positional arguments are
 * compacted into pos (borrowed pointers), at most maxpos of them, *npos set.
 * Returns 0, SC_USAGE after printing a message naming the flag, or -1 when
 * --help was printed (the caller exits 0). */
int opt_parse(int argc, char **argv, const struct opt *opts, const char *usage,
	      const char *description, char **pos, size_t maxpos, size_t *npos);

/* ---- dates.c */
/* Parses "YYYY-MM-DD" or "YYYYMMDD" into y, m (1-12), d; 0 or -1. Checks the
 * day exists in that month (leap years included). */
int date_parse_ymd(const char *s, int *y, int *m, int *d);
/* Midnight of that date in zone tz; 0 or -1 with err naming the flag. */
int date_parse_in_zone(const char *flag, const char *s, const char *tz, time_t *out, char *err,
		       size_t errlen);
/* A logical date as --date takes it: a day (midnight in zone tz, *has_time
 * false) or a time of day "YYYY-MM-DDTHH:MM[:SS]" in zone tz, or with an
 * offset ("+02:00", "-05:00", "Z") as an absolute instant (*has_time true).
 * A wall time that a clock change skips is refused. 0 or -1 with err naming
 * the flag. */
int date_parse_when(const char *flag, const char *s, const char *tz, time_t *out, bool *has_time,
		    char *err, size_t errlen);
/* "2026-03-04 10:00:05" in local (tz) wall time, or "-" for 0. */
void date_format_us(int64_t us, const char *tz, char *buf, size_t len);
/* "1m05s", "350ms", "-" */
void date_format_duration_us(int64_t us, char *buf, size_t len);

/* ---- nearest.c */
/* The closest of names to want, or NULL if none is close enough
 * (distance <= max(2, strlen(want)/3)). */
const char *nearest_name(const char *want, const char *const *names, size_t n);
/* Writes "did you mean 'x'?" or "known: a, b, c" into buf. */
void nearest_hint(const char *want, const char *const *names, size_t n, char *buf, size_t len);

/* ---- scheduler/dagmeta.h: meta_load, meta_pin_run, meta_unknown_task,
 * meta_closure (shared with schedweb). */

/* ---- runsel.c: finding runs */
/* The run a person names: by run_id, or by date (date_parse_when: a time
 * names that instant, a day names the runs of that day in the DAG's zone),
 * or, both NULL, the latest run. Returns SC_OK; SC_USAGE for a date that does
 * not parse, both given, or a day with several runs (err lists their run ids
 * and asks for --run-id); SC_FAIL not found (err lists the nearest dates that
 * exist) or a read error (err names the state). */
int run_find(struct store *s, const struct query_dag *d, const char *run_id, const char *date,
	     struct query_run *out, char *err, size_t errlen);
/* The logical date a new run (trigger) or a test gets for --date: a time of
 * day is exactly that instant; a day alone is the day's first fire time of
 * cron c in zone tz (01:30 for "30 1 * * *"; midnight for @daily, an hourly
 * cron, a cron that does not fire that day, or c NULL). 0 or -1 with err. */
struct cron;
int logical_of_date(const char *date, const char *tz, const struct cron *c, time_t *out,
		    char *err, size_t errlen);
/* The interval [*from, *to) of logical dates that --date names in zone tz
 * (one instant, or a whole day). 0 or -1 with err. */
int run_when(const char *date, const char *tz, time_t *from, time_t *to, char *err, size_t errlen);

/* ---- params.c: --param K=V of trigger, backfill and test, checked against
 * the params the DAG file declares (else exit 2 naming the nearest). */
struct dag;
struct dag_kv;
/* The run conf as a JSON object (malloc'd), or NULL after printing why. */
char *params_conf_json(const char *cmd, const struct dag *dag, const struct opt_list *params);
/* The same, loading the DAG file the daemon recorded for d. */
char *params_conf_of_file(const char *cmd, const struct query_dag *d,
			  const struct opt_list *params);
/* The conf as pairs for a template context (*out malloc'd, NULL if none);
 * 0, or -1 after printing why. */
int params_conf_kv(const char *cmd, const struct dag *dag, const struct opt_list *params,
		   struct dag_kv **out, size_t *n);
void params_kv_free(struct dag_kv *kv, size_t n);

/* ---- table.c: human tables and colours */
struct table {
	size_t ncols, nrows, cap;
	char **cells;	/* nrows * ncols, malloc'd; row 0 is the header */
	const char **colors;	/* per cell ANSI code or NULL */
};
void table_init(struct table *t, size_t ncols);
/* Appends one row of ncols cells (copied). */
void table_add(struct table *t, const char *const *cells);
void table_color_last(struct table *t, size_t col, const char *ansi);
void table_print(const struct table *t, FILE *f, bool color);
void table_free(struct table *t);
/* ANSI colour for a task or run state ("success" green, "failed" red, ...). */
const char *state_color(const char *state);
/* One letter per state for grids without colour. */
char state_letter(const char *state);

/* ---- json_out.c: --json documents are jansson trees (lib/json.h) */
void json_str(FILE *f, const char *s);	/* quoted and escaped (also DOT IDs), null for NULL */
json_t *jv_str(const char *s);			/* null for NULL */
json_t *jv_time_us(int64_t us);			/* ISO 8601 UTC string or null */
json_t *jv_date(time_t t, const char *tz);	/* ISO 8601 in tz */
json_t *jv_doc_or_text(const char *text);	/* stored JSON, or the text as a string; null for NULL or "" */
/* Writes doc compact on one line of stdout and drops it. */
void json_print(json_t *doc);

/* ---- common.c */
/* Opens the state file; it must exist (schedctl never creates one). Prints the
 * error. */
struct store *cli_open_store(struct cli *cli, bool write);
/* Opens the state and loads DAG name into *d; on failure prints why (naming
 * the DAGs that exist) and returns NULL. */
struct store *cli_open_dag(struct cli *cli, bool write, const char *name, struct query_dag *d);
/* Who asks, for events.actor: the login name of the effective user
 * (getpwuid), else $USER, else "uid N". Static storage. */
const char *cli_actor(void);
/* The question on stderr, "[y/N] " after it; true for an answer starting with
 * y or Y. Callers ask only when stdin is a terminal (cli->tty_in) and
 * refuse without --yes otherwise. */
bool cli_confirm(const char *question);
/* Prints "schedctl: <message>" on stderr, the message escaped (tsafe). */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* s made safe for a terminal (lib/termsafe.h): s itself when it needs no
 * escaping, else an escaped copy valid until 16 more escaped copies were
 * made. Every string from a DAG file, a file name or the state file goes
 * through it (or through table_add, which escapes its cells) before plain
 * or table output; JSON output is escaped by JSON's rules instead. */
const char *tsafe(const char *s);

/* Progress of a wait (--wait), by lib/progress.h: a bar on stderr when it is a
 * terminal, else one line every 5 s (and the last one). what: "runs",
 * "tasks"; extra: text after the counts. */
void cli_progress_show(struct progress *p, const char *label, int done, int total, const char *what,
		       const char *extra, bool final);

/* ---- grid.c: layout of the grid view, kept apart from output so it can be
 * tested: cell[task][col] is a state name or NULL (no task instance). */
struct grid {
	size_t ntasks, nruns;
	char **task_ids;	/* rows */
	struct query_run *runs;	/* columns, oldest first */
	const char **cells;	/* ntasks * nruns, pointers into interned state names */
	/* Mapped tasks (expand:): a task's row holds its aggregate state and
	 * counts[row * nruns + col] its instances in that run; the instances
	 * get rows of their own (map_index[row] = N, right after their task
	 * once grid_finish ran) only with mapped set (grid --mapped), since a
	 * task of 2,000 instances must not make the grid 2,000 rows tall. */
	int *map_index;		/* per row: -1 for a task */
	int *counts;		/* ntasks * nruns */
	bool mapped;
	/* The rows found last (an instance's, its task's): input in name order
	 * finds its row there or right after. */
	size_t hint, task_hint;
};
/* Places task instance (run index, task id, state) into the grid; task ids
 * not yet known are appended as rows (an instance's task too, without a
 * state). An instance "NAME[N]" counts for NAME's row, and with g->mapped
 * gets its own row. grid_finish puts instance rows after their task's, by
 * index (x[2] before x[10]). */
void grid_init(struct grid *g, const struct query_dag *d, struct query_run *runs, size_t nruns);
void grid_set(struct grid *g, size_t col, const char *task_id, const char *state);
void grid_finish(struct grid *g);
const char *grid_cell(const struct grid *g, size_t row, size_t col);
/* Instances of a task's row in a run (0: not mapped or not expanded there). */
int grid_count(const struct grid *g, size_t row, size_t col);
/* The instance count shown after a mapped task's name: that of the newest
 * run where it expanded; -1 if the row's task never did. */
int grid_map_count(const struct grid *g, size_t row);
void grid_free(struct grid *g);

#endif
