/* sched_mkstate.c: test helper for schedctl's daemon-down integration tests:
 * creates a state file with the store's own schema (store_open) and records
 * the given DAG files in the dags table the way the daemon describes it in
 * store.h (tasks as [{"id","upstream","retries","trigger_rule"}]), so tests
 * can then add runs and task instances with the sqlite3 CLI.
 * usage: sched_mkstate STATE [DAGFILE...] */
#include <stdio.h>
#include <stdlib.h>

#include "scheduler/dag.h"
#include "scheduler/store.h"

static void put_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

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
		char *tasks = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&tasks, &len);
		fputc('[', f);
		for (size_t t = 0; t < d->ntasks; t++) {
			fprintf(f, "%s{\"id\":", t ? "," : "");
			put_json_str(f, d->tasks[t].id);
			fprintf(f, ",\"upstream\":[");
			for (size_t u = 0; u < d->tasks[t].nupstream; u++) {
				if (u)
					fputc(',', f);
				put_json_str(f, d->tasks[d->tasks[t].upstream[u]].id);
			}
			fprintf(f, "],\"retries\":%d,\"trigger_rule\":\"%s\"}", d->tasks[t].retries,
				trigger_rule_name(d->tasks[t].trigger_rule));
		}
		fputc(']', f);
		fclose(f);
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
