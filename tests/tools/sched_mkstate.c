/* sched_mkstate.c: test helper for schedctl's daemon-down integration tests:
 * creates a state file with the store's own schema (store_open) and records
 * the given DAG files in the dags table the way the daemon describes it in
 * store.h (tasks as [{"id","upstream","retries","trigger_rule"}]), so tests
 * can then add runs and task instances with the sqlite3 CLI.
 * usage: sched_mkstate STATE [DAGFILE...] */
#include <stdio.h>
#include <stdlib.h>

#include "lib/json.h"
#include "scheduler/dag.h"
#include "scheduler/store.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: sched_mkstate STATE [DAGFILE...]\n");
		return 2;
	}
	char err[512];
	struct store *s = store_open(argv[1], STORE_CREATE, err, sizeof err);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	int rc = 0;
	for (int i = 2; i < argc; i++) {
		struct diag_list diags = { 0 };
		struct dag *d = dag_load_file(argv[i], &diags);
		if (!d) {
			for (size_t k = 0; k < diags.n; k++) {
				char *m = diag_format(&diags.items[k]);
				fprintf(stderr, "%s\n", m);
				free(m);
			}
			diag_list_clear(&diags);
			rc = 1;
			continue;
		}
		json_t *list = json_array();
		for (size_t t = 0; t < d->ntasks; t++) {
			json_t *up = json_array();
			for (size_t u = 0; u < d->tasks[t].nupstream; u++)
				json_array_append_new(up, jx_str(d->tasks[d->tasks[t].upstream[u]].id));
			json_t *o = json_object();
			jx_set(o, "id", jx_str(d->tasks[t].id));
			jx_set(o, "upstream", up);
			jx_set(o, "retries", json_integer(d->tasks[t].retries));
			jx_set(o, "trigger_rule", jx_str(trigger_rule_name(d->tasks[t].trigger_rule)));
			json_array_append_new(list, o);
		}
		char *tasks = jx_dump(list);
		json_decref(list);
		sqlite3_stmt *st = store_prepare(
			s, "INSERT OR REPLACE INTO dags(dag_id, file, hash, schedule, timezone,"
			   " description, tasks, loaded_us) VALUES(?,?,?,?,?,?,?,?)");
		sqlite3_bind_text(st, 1, d->dag_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, argv[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, d->hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, d->schedule, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, d->timezone, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, d->description, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, tasks, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 8, store_now_us());
		if (sqlite3_step(st) != SQLITE_DONE) {
			fprintf(stderr, "%s: %s\n", argv[i], sqlite3_errmsg(s->db));
			rc = 1;
		}
		sqlite3_finalize(st);
		free(tasks);
		dag_free(d);
	}
	store_close(s);
	return rc;
}
