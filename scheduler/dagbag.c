/* dagbag.c: the DAG folder -> loaded DAGs, mirrored into the dags and
 * dag_files tables so schedctl sees what the daemon sees.
 *
 * A broken file is reported (dag_files.errors, and a log line) and skipped;
 * if it had loaded before, its last good definition stays in force so a typo
 * never stops a production DAG. A file that disappears deactivates its DAG
 * (dags.active = 0): no new runs, history kept. Files are re-parsed only when
 * their size or modification time changed.
 *
 * Parsing never happens on the loop nor in a transaction: dagbag_reload only
 * scans the folder (readdir, stat) and submits changed files to the parse
 * worker (dag_parse.h, a child process with a time budget per file);
 * dagbag_collect, called by every pass inside its transaction, applies the
 * results that finished. A file's result is applied only if the file was not
 * submitted again meanwhile (seen_file.gen); while it is being parsed, its
 * last good definition stays in force. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scheduler/daemon.h"
#include "scheduler/dag_parse.h"
#include "scheduler/slog.h"
#include "scheduler/store_daemon.h"
#include "lib/buf.h"
#include "lib/json.h"

struct seen_file {
	char *path;
	struct timespec mtime;
	off_t size;
	uint64_t gen;		/* submissions to the parser; a result of an older one is stale */
};
static struct seen_file *seen;
static size_t nseen;
static uint64_t next_gen;
static struct dag_parser *parser;

static struct seen_file *seen_find(const char *path)
{
	for (size_t i = 0; i < nseen; i++)
		if (strcmp(seen[i].path, path) == 0)
			return &seen[i];
	return NULL;
}

struct dagslot *dagbag_find(struct daemon *d, const char *dag_id)
{
	for (size_t i = 0; i < d->nslots; i++)
		if (strcmp(d->slots[i]->dag_id, dag_id) == 0)
			return d->slots[i];
	return NULL;
}

/* The task list the store keeps with a DAG version (schedctl reads it back):
 * [{"id":...,"upstream":[...],"retries":N,"trigger_rule":"...","sensor":B,
 *   "mapped":true (only for a mapped task, expand:),
 *   "outlets":["URI template",...] (only when it has some),
 *   "pool":"name","pool_slots":N (only when it has a pool)},...] */
static char *tasks_json(const struct dag *g)
{
	json_t *list = json_array();
	for (size_t i = 0; i < g->ntasks; i++) {
		const struct dag_task *t = &g->tasks[i];
		json_t *up = json_array();
		for (size_t k = 0; k < t->nupstream; k++)
			json_array_append_new(up, jx_str(g->tasks[t->upstream[k]].id));
		json_t *o = json_object();
		jx_set(o, "id", jx_str(t->id));
		jx_set(o, "upstream", up);
		jx_set(o, "retries", json_integer(t->retries));
		jx_set(o, "trigger_rule", jx_str(trigger_rule_name(t->trigger_rule)));
		jx_set(o, "sensor", json_boolean(dag_task_is_sensor(t)));
		if (dag_task_is_mapped(t))	/* the views: is_mapped, listMapped */
			jx_set(o, "mapped", json_true());
		if (t->noutlets) {	/* templates as written (schedctl datasets) */
			json_t *out = json_array();
			for (size_t k = 0; k < t->noutlets; k++)
				json_array_append_new(out, jx_str(t->outlets[k]));
			jx_set(o, "outlets", out);
		}
		if (t->pool && !dag_task_is_sensor(t)) {	/* schedctl pools: slots held */
			jx_set(o, "pool", jx_str(t->pool));
			jx_set(o, "pool_slots", json_integer(t->pool_slots));
		}
		json_array_append_new(list, o);
	}
	char *text = jx_dump(list);
	json_decref(list);
	return text;
}

static int record_file(struct daemon *d, const char *path, const char *dag_id, const char *errors)
{
	return store_dag_file_record(d->store, path, dag_id, errors);
}

/* Upserts the dags row and stores g's content as a version; reads back
 * paused and next_interval. *version: its id (0 if the store failed). */
static int record_dag(struct daemon *d, struct dagslot *slot, const struct dag *g, int64_t *version)
{
	char *tasks = tasks_json(g);
	struct store_dag_row row = { g->dag_id, g->file, g->hash, g->schedule, g->timezone, g->description,
				     tasks, g->source };
	/* The file's paused_on_create, else the daemon's --paused-on-create:
	 * read only when the row is new. */
	bool poc = g->has_paused_on_create ? g->paused_on_create : d->cfg.paused_on_create;
	*version = 0;
	int rc = store_dag_record(d->store, &row, poc, &slot->paused, &slot->next_interval, version);
	free(tasks);
	if (rc == 0)
		slot->row_stale = false;
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_dag_file(const char *name)
{
	size_t n = strlen(name);
	if (name[0] == '.')
		return false;
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) || (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* Slots whose DAG came from path are still in force. */
static void claim_file(struct daemon *d, const char *path, bool *claimed)
{
	for (size_t i = 0; i < d->nslots; i++)
		if (d->slots[i]->dag && strcmp(d->slots[i]->dag->file, path) == 0)
			claimed[i] = true;
}

/* Submits one file to the parser if it changed. Until its result, whatever
 * it gave before stays. */
static void scan_one(struct daemon *d, const char *path, const struct stat *sb, bool *claimed)
{
	struct seen_file *sf = seen_find(path);
	claim_file(d, path, claimed);
	if (sf && sf->size == sb->st_size && sf->mtime.tv_sec == sb->st_mtim.tv_sec &&
	    sf->mtime.tv_nsec == sb->st_mtim.tv_nsec)
		return;
	if (!sf) {
		seen = realloc(seen, (nseen + 1) * sizeof *seen);
		sf = &seen[nseen++];
		sf->path = strdup(path);
	}
	sf->size = sb->st_size;
	sf->mtime = sb->st_mtim;
	sf->gen = ++next_gen;
	dag_parser_submit(parser, path, sf->gen);
}

static void deactivate(struct daemon *d, struct dagslot *s, const char *reason)
{
	s->active = false;
	if (store_dag_deactivate(d->store, s->dag_id, reason) < 0)
		slog(SLOG_ERROR, "store_error", "dag=%s error=%s", s->dag_id, d->store->err);
	else
		s->row_stale = false;
	slog(SLOG_WARN, "dag_deactivated", "dag=%s reason=%s", s->dag_id, reason);
	d->need_sync = true;
}

/* Applies one finished parse of path (takes g and diags). */
static void apply_one(struct daemon *d, const char *path, struct dag *g, struct diag_list *diags)
{
	if (g) {
		struct dagslot *other = dagbag_find(d, g->dag_id);
		if (other && other->dag && strcmp(other->dag->file, path) != 0) {
			struct stat osb;
			if (stat(other->dag->file, &osb) == 0) {
				diag_add(diags, path, 0, 0, "dag id '%s' is already defined in %s",
					 g->dag_id, other->dag->file);
				dag_free(g);
				g = NULL;
			}
		}
	}
	if (!g) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < diags->n; i++) {
			char *m = diag_format(&diags->items[i]);
			slog(SLOG_ERROR, "dag_file_error", "file=%s error=%s", path, m);
			buf_puts(&b, m);
			buf_putc(&b, '\n');
			free(m);
		}
		if (record_file(d, path, NULL, buf_str(&b)) < 0)
			slog(SLOG_ERROR, "store_error", "file=%s error=%s", path, d->store->err);
		buf_free(&b);
		/* The last good definition of this file (if any) stays. */
		return;
	}
	/* The file now defines another DAG than before: the old one has no file. */
	for (size_t i = 0; i < d->nslots; i++) {
		struct dagslot *s = d->slots[i];
		if (s->active && s->dag && strcmp(s->dag->file, path) == 0 && strcmp(s->dag_id, g->dag_id) != 0)
			deactivate(d, s, "DAG file now defines another DAG");
	}
	struct dagslot *slot = dagbag_find(d, g->dag_id);
	bool changed = true;
	if (!slot) {
		slot = calloc(1, sizeof *slot);
		slot->dag_id = strdup(g->dag_id);
		d->slots = realloc(d->slots, (d->nslots + 1) * sizeof *d->slots);
		d->slots[d->nslots++] = slot;
	} else if (slot->dag && slot->active && !slot->row_stale && strcmp(slot->dag->hash, g->hash) == 0 &&
		   strcmp(slot->dag->file, path) == 0) {
		changed = false;
	}
	if (!changed) {
		dag_free(g);
		if (record_file(d, path, slot->dag_id, NULL) < 0)
			slog(SLOG_ERROR, "store_error", "file=%s error=%s", path, d->store->err);
		return;
	}
	/* The new content becomes the current version; runs keep theirs (the
	 * rebuild, need_sync, finds them in dagver.c). */
	int64_t version;
	if (record_dag(d, slot, g, &version) < 0 || record_file(d, path, slot->dag_id, NULL) < 0)
		slog(SLOG_ERROR, "store_error", "file=%s error=%s", path, d->store->err);
	if (!slot->dag)	/* its first load in this process (alerts.c) */
		slot->planned_since_us = store_now_us();
	dagver_put(slot->ver);
	slot->ver = dagver_adopt(d, version, g);
	slot->dag = slot->ver->dag;
	slot->active = true;
	slog(SLOG_INFO, "dag_loaded", "dag=%s file=%s tasks=%zu schedule=%s version=%lld", slot->dag->dag_id,
	     path, slot->dag->ntasks, slot->dag->schedule, (long long)version);
	d->need_sync = true;
}

static bool parser_ready(struct daemon *d)
{
	if (parser)
		return true;
	struct dag_limits lim = { .max_bytes = d->cfg.max_dag_bytes, .max_depth = d->cfg.max_dag_depth };
	parser = dag_parser_new(NULL, &lim, d->cfg.parse_timeout_ms);
	if (!parser)
		slog(SLOG_ERROR, "parser_failed", "error=%s", "out of memory");
	return parser != NULL;
}

int dagbag_collect(struct daemon *d)
{
	if (!parser)
		return 0;
	dag_parser_pump(parser, store_now_us());
	struct dag_parse_result r;
	bool began = false;
	while (dag_parser_next(parser, &r)) {
		struct seen_file *sf = seen_find(r.path);
		struct stat sb;
		/* Stale (submitted again since) or gone: the newer parse or the
		 * next scan decides. */
		if (sf && sf->gen == r.gen && stat(r.path, &sb) == 0) {
			if (!began && store_begin(d->store) < 0) {
				/* Not applied: parsed again at the next scan. */
				sf->size = -1;
				dag_parse_result_free(&r);
				continue;
			}
			began = true;
			apply_one(d, r.path, r.dag, &r.diags);
			r.dag = NULL;
		}
		dag_parse_result_free(&r);
	}
	if (began && store_commit(d->store) < 0) {
		dagbag_pass_rolled_back(d);	/* (inside a pass, the pass rolls back too) */
		return -1;
	}
	return 0;
}

int dagbag_parse_fd(const struct daemon *d)
{
	(void)d;
	return dag_parser_fd(parser);
}

void dagbag_settle(struct daemon *d)
{
	if (parser)
		dag_parser_wait(parser);
	dagbag_collect(d);
}

int dagbag_reload(struct daemon *d)
{
	DIR *dir = opendir(d->cfg.dags_dir);
	if (!dir) {
		slog(SLOG_ERROR, "dags_dir_error", "dir=%s error=%s", d->cfg.dags_dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dir)))
		if (is_dag_file(e->d_name)) {
			names = realloc(names, (n + 1) * sizeof *names);
			names[n++] = strdup(e->d_name);
		}
	closedir(dir);
	qsort(names, n, sizeof *names, cmp_str);

	/* claimed[i]: slot i still has a file. Slots appended during the loop
	 * are claimed by construction. */
	bool *claimed = calloc(d->nslots + n + 1, sizeof *claimed);
	size_t before = d->nslots;
	if (!parser_ready(d) || store_begin(d->store) < 0) {
		free(claimed);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", d->cfg.dags_dir, names[i]);
		struct stat sb;
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			scan_one(d, path, &sb, claimed);
	}
	for (size_t i = 0; i < before; i++) {
		struct dagslot *s = d->slots[i];
		if (!claimed[i] && (s->active || s->row_stale))
			deactivate(d, s, "DAG file removed");
	}
	/* Files that vanished: forget them in dag_files. */
	for (size_t i = 0; i < nseen;) {
		struct stat sb;
		if (stat(seen[i].path, &sb) < 0) {
			if (store_dag_file_forget(d->store, seen[i].path) < 0)
				slog(SLOG_ERROR, "store_error", "file=%s error=%s", seen[i].path, d->store->err);
			free(seen[i].path);
			seen[i] = seen[--nseen];
		} else {
			i++;
		}
	}
	store_commit(d->store);
	free(claimed);
	dagbag_collect(d);	/* starts the parser on what was submitted */
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return 0;
}

static void set_paused(void *arg, const char *dag_id, bool paused)
{
	struct dagslot *s = dagbag_find(arg, dag_id);
	if (s && s->paused != paused) {
		s->paused = paused;
		slog(SLOG_INFO, paused ? "dag_paused" : "dag_unpaused", "dag=%s", s->dag_id);
	}
}

int dagbag_refresh_flags(struct daemon *d)
{
	return store_dag_paused_each(d->store, set_paused, d);
}

/* The pass rolled back: whatever it wrote of the DAG files (dags and
 * dag_files rows, deactivations, forgotten files) is gone, while the slots
 * and the seen list say it was done. Every file is submitted again at the
 * next scan, and every DAG's row is written again when its parse comes back
 * (row_stale), unchanged or not. */
void dagbag_pass_rolled_back(struct daemon *d)
{
	for (size_t i = 0; i < nseen; i++)
		seen[i].size = -1;
	for (size_t i = 0; i < d->nslots; i++)
		d->slots[i]->row_stale = true;
	d->need_reload = true;
}

void dagbag_free(struct daemon *d)
{
	for (size_t i = 0; i < d->nslots; i++) {
		dagver_put(d->slots[i]->ver);
		free(d->slots[i]->dag_id);
		free(d->slots[i]);
	}
	free(d->slots);
	d->slots = NULL;
	d->nslots = 0;
	for (size_t i = 0; i < nseen; i++)
		free(seen[i].path);
	free(seen);
	seen = NULL;
	nseen = 0;
	dag_parser_free(parser);
	parser = NULL;
	dagver_free_all(d);
}
