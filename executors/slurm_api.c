/* slurm_api.c: request bodies and answers of slurmrestd v0.0.38 (slurm_api.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executors/slurm_api.h"
#include "lib/json.h"
#include "lib/xalloc.h"

void slurm_job_name(char *buf, size_t len, long long run, int try_number, const char *task_id)
{
	snprintf(buf, len, "sched.%lld.%d.%s", run, try_number, task_id);
}

void slurm_quote(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

char *slurm_script(const struct slurm_submit *s)
{
	struct buf b = { 0 };
	buf_puts(&b, "#!/bin/sh\n# schedulerd try ");
	/* The comment line is a comment: no newline may end it early. */
	for (const char *c = s->comment ? s->comment : ""; *c; c++)
		buf_putc(&b, *c == '\n' || *c == '\r' ? ' ' : *c);
	buf_putc(&b, '\n');
	for (size_t i = 0; s->argv && s->argv[i]; i++) {
		if (i)
			buf_putc(&b, ' ');
		slurm_quote(&b, s->argv[i]);
	}
	buf_puts(&b, "\nrc=$?\n");
	if (s->exit_path) {
		struct buf tmp = { 0 };
		buf_printf(&tmp, "%s.tmp", s->exit_path);
		buf_puts(&b, "printf '%s\\n' \"$rc\" > ");
		slurm_quote(&b, buf_str(&tmp));
		buf_puts(&b, " && mv -f ");
		slurm_quote(&b, buf_str(&tmp));
		buf_putc(&b, ' ');
		slurm_quote(&b, s->exit_path);
		buf_putc(&b, '\n');
		buf_free(&tmp);
	}
	buf_puts(&b, "exit $rc\n");
	return buf_detach(&b);
}

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		jx_set(o, k, jx_str(v));
}

char *slurm_submit_body(const struct slurm_submit *s)
{
	json_t *job = json_object(), *env = json_object();
	if (!job || !env)
		xalloc_die(0);
	set_str(job, "name", s->name);
	set_str(job, "comment", s->comment);
	set_str(job, "current_working_directory", s->cwd);
	set_str(job, "standard_output", s->log_path);
	set_str(job, "standard_error", s->log_path);
	set_str(job, "partition", s->partition);
	set_str(job, "account", s->account);
	set_str(job, "qos", s->qos);
	/* The log is the try's: several tries never share one, and a restarted
	 * daemon's resubmission (never of the same try) appends. */
	jx_set(job, "open_mode", jx_str("append"));
	if (s->cpus > 0)
		jx_set(job, "cpus_per_task", json_integer(s->cpus));
	if (s->mem_mb > 0)
		jx_set(job, "memory_per_node", json_integer(s->mem_mb));
	if (s->time_min > 0)
		jx_set(job, "time_limit", json_integer(s->time_min));
	/* Never requeued by the cluster: a second run of the same try is what
	 * the daemon's retries decide, not Slurm. */
	jx_set(job, "requeue", json_false());
	for (size_t i = 0; s->envp && s->envp[i]; i++) {
		const char *eq = strchr(s->envp[i], '=');
		if (!eq || eq == s->envp[i])
			continue;
		char *k = xstrndup(s->envp[i], (size_t)(eq - s->envp[i]));
		jx_set(env, k, jx_str(eq + 1));
		free(k);
	}
	/* Slurm refuses a job without any environment. */
	if (json_object_size(env) == 0)
		jx_set(env, "PATH", jx_str("/usr/local/bin:/usr/bin:/bin"));
	jx_set(job, "environment", env);
	json_t *root = json_object();
	if (!root)
		xalloc_die(0);
	char *script = slurm_script(s);
	jx_set(root, "script", jx_str(script));
	free(script);
	jx_set(root, "job", job);
	char *out = jx_dump(root);
	json_decref(root);
	return out;
}

static json_t *load(const char *body, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		snprintf(err, errlen, "answer is not JSON: %s (line %d)", je.text, je.line);
	else if (!json_is_object(root)) {
		snprintf(err, errlen, "answer is not a JSON object");
		json_decref(root);
		return NULL;
	}
	return root;
}

static int errors_of(json_t *root, char *err, size_t errlen)
{
	json_t *errs = json_object_get(root, "errors");
	if (!json_is_array(errs) || json_array_size(errs) == 0)
		return 0;
	size_t off = 0, i;
	json_t *e;
	if (errlen)
		err[0] = '\0';
	json_array_foreach(errs, i, e) {
		const char *msg = json_string_value(json_object_get(e, "error"));
		const char *desc = json_string_value(json_object_get(e, "description"));
		json_t *code = json_object_get(e, "error_code");
		if (!code)
			code = json_object_get(e, "error_number");
		if (off + 1 >= errlen)
			break;
		int n = snprintf(err + off, errlen - off, "%s%s%s%s (%lld)", i ? "; " : "", msg ? msg : "error",
				 desc && (!msg || strcmp(desc, msg)) ? ": " : "",
				 desc && (!msg || strcmp(desc, msg)) ? desc : "",
				 json_is_integer(code) ? (long long)json_integer_value(code) : -1LL);
		if (n < 0)
			break;
		off += (size_t)n < errlen - off ? (size_t)n : errlen - off - 1;
	}
	return 1;
}

int slurm_answer_errors(const char *body, size_t len, char *err, size_t errlen)
{
	char e2[8];
	json_t *root = load(body, len, e2, sizeof e2);
	if (!root)
		return 0;
	int r = errors_of(root, err, errlen);
	json_decref(root);
	return r;
}

int slurm_parse_submit(const char *body, size_t len, int64_t *job_id, char *err, size_t errlen)
{
	json_t *root = load(body, len, err, errlen);
	if (!root)
		return 0;
	int ok = 0;
	json_t *id = json_object_get(root, "job_id");
	if (errors_of(root, err, errlen))
		ok = 0;
	else if (!json_is_integer(id) || json_integer_value(id) <= 0)
		snprintf(err, errlen, "answer has no job_id");
	else {
		*job_id = (int64_t)json_integer_value(id);
		ok = 1;
	}
	json_decref(root);
	return ok;
}

static const struct {
	const char *name;
	enum slurm_state state;
} states[] = {
	{ "PENDING", SLURM_ST_QUEUED },	       { "REQUEUED", SLURM_ST_QUEUED },
	{ "REQUEUE_FED", SLURM_ST_QUEUED },    { "REQUEUE_HOLD", SLURM_ST_QUEUED },
	{ "CONFIGURING", SLURM_ST_QUEUED },    { "RESIZING", SLURM_ST_QUEUED },
	{ "SUSPENDED", SLURM_ST_QUEUED },      { "RUNNING", SLURM_ST_RUNNING },
	{ "COMPLETING", SLURM_ST_RUNNING },    { "STAGE_OUT", SLURM_ST_RUNNING },
	{ "SIGNALING", SLURM_ST_RUNNING },     { "COMPLETED", SLURM_ST_SUCCESS },
	{ "FAILED", SLURM_ST_FAILED },	       { "TIMEOUT", SLURM_ST_FAILED },
	{ "OUT_OF_MEMORY", SLURM_ST_FAILED },  { "NODE_FAIL", SLURM_ST_FAILED },
	{ "PREEMPTED", SLURM_ST_FAILED },      { "CANCELLED", SLURM_ST_FAILED },
	{ "BOOT_FAIL", SLURM_ST_FAILED },      { "DEADLINE", SLURM_ST_FAILED },
	{ "REVOKED", SLURM_ST_FAILED },	       { "SPECIAL_EXIT", SLURM_ST_FAILED },
};

enum slurm_state slurm_state_of(const char *job_state)
{
	for (size_t i = 0; job_state && i < sizeof states / sizeof *states; i++)
		if (strcmp(job_state, states[i].name) == 0)
			return states[i].state;
	return SLURM_ST_UNKNOWN;
}

bool slurm_state_final(enum slurm_state s)
{
	return s == SLURM_ST_SUCCESS || s == SLURM_ST_FAILED;
}

void slurm_decode_exit(long raw, int *code, int *sig)
{
	/* The layout of a wait status (WIFEXITED, WEXITSTATUS, WTERMSIG),
	 * written out: raw comes from another machine's slurmctld. */
	if (raw < 0 || raw > 0xffff) {
		*code = -1;
		*sig = 0;
	} else if ((raw & 0x7f) == 0) {
		*code = (int)((raw >> 8) & 0xff);
		*sig = 0;
	} else {
		*code = -1;
		*sig = (int)(raw & 0x7f);
	}
}

static int64_t int_of(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

int slurm_parse_jobs(const char *body, size_t len, void (*fn)(void *arg, const struct slurm_job *j), void *arg,
		     char *err, size_t errlen)
{
	json_t *root = load(body, len, err, errlen);
	if (!root)
		return 0;
	json_t *jobs = json_object_get(root, "jobs");
	if (errors_of(root, err, errlen) || !json_is_array(jobs)) {
		if (!json_is_array(jobs) && !json_is_array(json_object_get(root, "errors")))
			snprintf(err, errlen, "answer has no \"jobs\" list");
		else if (!json_is_array(jobs) && json_array_size(json_object_get(root, "errors")) == 0)
			snprintf(err, errlen, "answer has no \"jobs\" list");
		json_decref(root);
		return 0;
	}
	size_t i;
	json_t *j;
	json_array_foreach(jobs, i, j) {
		if (!json_is_object(j))
			continue;
		struct slurm_job sj = { .job_id = int_of(j, "job_id") };
		if (sj.job_id <= 0)
			continue;
		sj.name = json_string_value(json_object_get(j, "name"));
		sj.job_state = json_string_value(json_object_get(j, "job_state"));
		if (!sj.name)
			sj.name = "";
		if (!sj.job_state)
			sj.job_state = "";
		sj.state = slurm_state_of(sj.job_state);
		sj.exit_code = (long)int_of(j, "exit_code");
		sj.start_time = int_of(j, "start_time");
		sj.end_time = int_of(j, "end_time");
		fn(arg, &sj);
	}
	json_decref(root);
	return 1;
}
