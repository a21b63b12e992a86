/* render.c: a task + a run + a try -> argv, environment, cwd (see render.h).
 * Every value goes through template_render and straight into an argv slot or
 * an environment entry: nothing is re-split or handed to a shell unless the
 * task said shell: true. */
#include "scheduler/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/xalloc.h"
#include "scheduler/tz.h"

extern char **environ;

struct envbuf {
	char **items;
	size_t n, cap;
};

static void env_set(struct envbuf *e, const char *key, const char *value)
{
	size_t klen = strlen(key);
	struct buf entry = BUF_INIT;
	buf_printf(&entry, "%s=%s", key, value);
	for (size_t i = 0; i < e->n; i++)
		if (strncmp(e->items[i], key, klen) == 0 && e->items[i][klen] == '=') {
			free(e->items[i]);
			e->items[i] = buf_detach(&entry);
			return;
		}
	if (e->n + 2 > e->cap) {
		e->cap = e->cap ? e->cap * 2 : 64;
		e->items = xrealloc(e->items, e->cap * sizeof *e->items);
	}
	e->items[e->n++] = buf_detach(&entry);
	e->items[e->n] = NULL;
}

static void free_vec(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

void rendered_task_free(struct rendered_task *r)
{
	free_vec(r->argv);
	free_vec(r->envp);
	free(r->cwd);
	free(r->wait_path);
	memset(r, 0, sizeof *r);
}

int render_task(const struct dag_task *t, const struct template_ctx *ctx,
		struct rendered_task *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	char terr[256];
	if (t->wait_path) {
		out->wait_path = template_render(t->wait_path, ctx, terr, sizeof terr);
		if (!out->wait_path)
			goto fail_tmpl;
	}
	if (t->command) {
		size_t n = t->shell ? 3 : t->ncommand;
		out->argv = xcalloc(n + 1, sizeof *out->argv);
		size_t first = 0;
		if (t->shell) {
			out->argv[0] = xstrdup("/bin/sh");
			out->argv[1] = xstrdup("-c");
			first = 2;
		}
		for (size_t i = 0; i < (t->shell ? 1 : t->ncommand); i++) {
			out->argv[first + i] = template_render(t->command[i], ctx, terr, sizeof terr);
			if (!out->argv[first + i])
				goto fail_tmpl;
		}
	}
	if (t->cwd) {
		out->cwd = template_render(t->cwd, ctx, terr, sizeof terr);
		if (!out->cwd)
			goto fail_tmpl;
	}

	/* The daemon's environment as it is (its names are unique: setenv keeps
	 * them so), then the try's variables over it. */
	size_t nenv = 0;
	for (char **p = environ; *p; p++)
		nenv++;
	struct envbuf e = { .items = xcalloc(nenv + 16, sizeof *e.items), .cap = nenv + 16 };
	for (char **p = environ; *p; p++)
		if (strchr(*p, '='))
			e.items[e.n++] = xstrdup(*p);
	const char *tz = ctx->dag->timezone;
	char buf[64];
	env_set(&e, "SCHED_DAG_ID", ctx->dag->dag_id);
	env_set(&e, "SCHED_RUN_ID", ctx->run_id);
	env_set(&e, "SCHED_TASK_ID", t->id);
	snprintf(buf, sizeof buf, "%d", ctx->try_number);
	env_set(&e, "SCHED_TRY", buf);
	tz_format(tz, ctx->interval_start, "%Y-%m-%d", buf, sizeof buf);
	env_set(&e, "SCHED_DS", buf);
	tz_format_iso(tz, ctx->interval_start, buf, sizeof buf);
	env_set(&e, "SCHED_TS", buf);
	env_set(&e, "SCHED_DATA_INTERVAL_START", buf);
	tz_format_iso(tz, ctx->interval_end, buf, sizeof buf);
	env_set(&e, "SCHED_DATA_INTERVAL_END", buf);
	out->envp = e.items;
	for (size_t i = 0; i < t->nenv; i++) {
		char *v = template_render(t->env[i].value, ctx, terr, sizeof terr);
		if (!v)
			goto fail_tmpl;
		env_set(&e, t->env[i].key, v);
		out->envp = e.items;
		free(v);
	}
	return 0;
fail_tmpl:
	snprintf(err, errlen, "task %s: %s", t->id, terr);
	rendered_task_free(out);
	return -1;
}
