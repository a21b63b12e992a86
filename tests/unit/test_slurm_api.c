/* test_slurm_api.c: executors/slurm_api.c without a cluster: Slurm's job
 * states mapped to the executor's, the raw wait status of exit_code decoded,
 * the batch script's quoting (run through a real /bin/sh), the submission
 * body, and the answers to a submission and to GET /jobs as slurmrestd
 * v0.0.38 writes them (errors included). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "executors/slurm_api.h"

static void test_states(void **state)
{
	(void)state;
	assert_int_equal(slurm_state_of("PENDING"), SLURM_ST_QUEUED);
	assert_int_equal(slurm_state_of("RUNNING"), SLURM_ST_RUNNING);
	assert_int_equal(slurm_state_of("COMPLETING"), SLURM_ST_RUNNING);
	assert_int_equal(slurm_state_of("COMPLETED"), SLURM_ST_SUCCESS);
	const char *failed[] = { "FAILED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "CANCELLED",
				 "BOOT_FAIL", "DEADLINE" };
	for (size_t i = 0; i < sizeof failed / sizeof *failed; i++) {
		assert_int_equal(slurm_state_of(failed[i]), SLURM_ST_FAILED);
		assert_true(slurm_state_final(slurm_state_of(failed[i])));
	}
	assert_int_equal(slurm_state_of("running"), SLURM_ST_UNKNOWN);
	assert_int_equal(slurm_state_of(""), SLURM_ST_UNKNOWN);
	assert_int_equal(slurm_state_of(NULL), SLURM_ST_UNKNOWN);
	assert_false(slurm_state_final(SLURM_ST_RUNNING));
	assert_false(slurm_state_final(SLURM_ST_UNKNOWN));
}

static void test_exit_decoding(void **state)
{
	(void)state;
	int code, sig;
	slurm_decode_exit(1792, &code, &sig);	/* exit 7, as slurmrestd reports it */
	assert_int_equal(code, 7);
	assert_int_equal(sig, 0);
	slurm_decode_exit(0, &code, &sig);
	assert_int_equal(code, 0);
	assert_int_equal(sig, 0);
	slurm_decode_exit(255 << 8, &code, &sig);
	assert_int_equal(code, 255);
	slurm_decode_exit(15, &code, &sig);	/* scancel: SIGTERM */
	assert_int_equal(code, -1);
	assert_int_equal(sig, 15);
	slurm_decode_exit(9 | 0x80, &code, &sig);	/* SIGKILL with a core */
	assert_int_equal(sig, 9);
	slurm_decode_exit(-1, &code, &sig);
	assert_int_equal(code, -1);
	assert_int_equal(sig, 0);
	slurm_decode_exit(1L << 20, &code, &sig);
	assert_int_equal(code, -1);
	/* the same layout as this machine's wait status */
	assert_int_equal(WEXITSTATUS(1792), 7);
}

/* Runs the script with sh and returns what it printed; its exit code too. */
static char *run_script(const char *script, int *rc)
{
	char path[] = "/tmp/test_slurm_api.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, script, strlen(script)), (ssize_t)strlen(script));
	close(fd);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "sh %s", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	static char out[4096];
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	*rc = WEXITSTATUS(pclose(p));
	unlink(path);
	return out;
}

static void test_script_quoting(void **state)
{
	(void)state;
	char exit_path[] = "/tmp/test_slurm_api_exit.XXXXXX";
	int fd = mkstemp(exit_path);
	assert_true(fd >= 0);
	close(fd);
	unlink(exit_path);
	char *argv[] = { "printf", "[%s]\\n", "it's", "\"$HOME\"", "a b", "*", "`id`", "$(id)", "\\n", "", NULL };
	struct slurm_submit s = { .argv = argv, .exit_path = exit_path, .comment = "dag=d\nrm -rf / run=1" };
	char *script = slurm_script(&s);
	assert_non_null(strstr(script, "#!/bin/sh\n# schedulerd try dag=d rm -rf / run=1\n"));
	int rc;
	char *out = run_script(script, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "[it's]\n[\"$HOME\"]\n[a b]\n[*]\n[`id`]\n[$(id)]\n[\\n]\n[]\n");
	FILE *f = fopen(exit_path, "r");
	assert_non_null(f);
	char buf[16] = "";
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "0\n");
	unlink(exit_path);
	free(script);

	/* the command's exit status is the job's, and the record's */
	char *fail_argv[] = { "sh", "-c", "exit 7", NULL };
	s.argv = fail_argv;
	script = slurm_script(&s);
	run_script(script, &rc);
	assert_int_equal(rc, 7);
	f = fopen(exit_path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "7\n");
	unlink(exit_path);
	free(script);
}

static void test_submit_body(void **state)
{
	(void)state;
	char *argv[] = { "echo", "hi", NULL };
	char *envp[] = { "PATH=/bin", "A=b=c", "=bad", "NOEQ", NULL };
	struct slurm_submit s = { .argv = argv, .envp = envp, .cwd = "/tmp", .log_path = "/l/try-1.log",
				  .exit_path = "/l/try-1.exit", .name = "sched.1.1.t", .comment = "dag=d",
				  .partition = "batch", .cpus = 4, .mem_mb = 8192, .time_min = 120 };
	char *body = slurm_submit_body(&s);
	json_error_t je;
	json_t *root = json_loads(body, 0, &je);
	assert_non_null(root);
	json_t *job = json_object_get(root, "job");
	assert_string_equal(json_string_value(json_object_get(job, "name")), "sched.1.1.t");
	assert_string_equal(json_string_value(json_object_get(job, "partition")), "batch");
	assert_string_equal(json_string_value(json_object_get(job, "standard_output")), "/l/try-1.log");
	assert_string_equal(json_string_value(json_object_get(job, "standard_error")), "/l/try-1.log");
	assert_string_equal(json_string_value(json_object_get(job, "current_working_directory")), "/tmp");
	assert_int_equal(json_integer_value(json_object_get(job, "cpus_per_task")), 4);
	assert_int_equal(json_integer_value(json_object_get(job, "memory_per_node")), 8192);
	assert_int_equal(json_integer_value(json_object_get(job, "time_limit")), 120);
	assert_true(json_is_false(json_object_get(job, "requeue")));
	assert_null(json_object_get(job, "account"));	/* not given: not sent */
	assert_null(json_object_get(job, "argv"));	/* crashes slurmrestd 22.05 */
	json_t *env = json_object_get(job, "environment");
	assert_int_equal(json_object_size(env), 2);
	assert_string_equal(json_string_value(json_object_get(env, "A")), "b=c");
	const char *script = json_string_value(json_object_get(root, "script"));
	assert_non_null(strstr(script, "'echo' 'hi'\n"));
	json_decref(root);
	free(body);
}

static void test_job_name(void **state)
{
	(void)state;
	char b[64];
	slurm_job_name(b, sizeof b, 42, 3, "load");
	assert_string_equal(b, "sched.42.3.load");
}

static void test_parse_submit(void **state)
{
	(void)state;
	int64_t id = 0;
	char err[256] = "";
	const char *ok = "{\"meta\": {}, \"errors\": [], \"job_id\": 17, \"step_id\": \"BATCH\"}";
	assert_int_equal(slurm_parse_submit(ok, strlen(ok), &id, err, sizeof err), 1);
	assert_int_equal(id, 17);
	const char *bad = "{\"errors\": [{\"error_code\": 2000, \"error\": \"Invalid partition name specified\"}]}";
	assert_int_equal(slurm_parse_submit(bad, strlen(bad), &id, err, sizeof err), 0);
	assert_string_equal(err, "Invalid partition name specified (2000)");
	assert_int_equal(slurm_parse_submit("nope", 4, &id, err, sizeof err), 0);
	assert_non_null(strstr(err, "not JSON"));
	assert_int_equal(slurm_parse_submit("{}", 2, &id, err, sizeof err), 0);
	assert_string_equal(err, "answer has no job_id");
	assert_int_equal(slurm_parse_submit("[]", 2, &id, err, sizeof err), 0);
	const char *zero = "{\"job_id\": 0}";
	assert_int_equal(slurm_parse_submit(zero, strlen(zero), &id, err, sizeof err), 0);
}

struct seen {
	int n;
	int64_t ids[8];
	enum slurm_state states[8];
	long codes[8];
	char names[8][32];
};

static void collect(void *arg, const struct slurm_job *j)
{
	struct seen *s = arg;
	if (s->n < 8) {
		s->ids[s->n] = j->job_id;
		s->states[s->n] = j->state;
		s->codes[s->n] = j->exit_code;
		snprintf(s->names[s->n], sizeof s->names[s->n], "%s", j->name);
	}
	s->n++;
}

static void test_parse_jobs(void **state)
{
	(void)state;
	const char *body = "{\"meta\": {}, \"errors\": [], \"jobs\": ["
			   "{\"job_id\": 1, \"name\": \"sched.1.1.a\", \"job_state\": \"FAILED\", \"exit_code\": 1792,"
			   " \"start_time\": 10, \"end_time\": 11},"
			   "{\"job_id\": 2, \"name\": \"sched.1.1.b\", \"job_state\": \"RUNNING\", \"exit_code\": 0},"
			   "{\"job_id\": 0, \"name\": \"no id\"}, 7, {\"name\": \"missing id\"},"
			   "{\"job_id\": 3, \"job_state\": 5}]}";
	struct seen s = { 0 };
	char err[256];
	assert_int_equal(slurm_parse_jobs(body, strlen(body), collect, &s, err, sizeof err), 1);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ids[0], 1);
	assert_int_equal(s.states[0], SLURM_ST_FAILED);
	assert_int_equal(s.codes[0], 1792);
	assert_string_equal(s.names[0], "sched.1.1.a");
	assert_int_equal(s.states[1], SLURM_ST_RUNNING);
	assert_int_equal(s.states[2], SLURM_ST_UNKNOWN);
	assert_string_equal(s.names[2], "");

	s = (struct seen){ 0 };
	const char *empty = "{\"jobs\": []}";	/* update_time: no change */
	assert_int_equal(slurm_parse_jobs(empty, strlen(empty), collect, &s, err, sizeof err), 1);
	assert_int_equal(s.n, 0);
	const char *down = "{\"errors\": [{\"error_number\": 1007, \"error\": \"Unable to contact slurm controller\"}]}";
	assert_int_equal(slurm_parse_jobs(down, strlen(down), collect, &s, err, sizeof err), 0);
	assert_string_equal(err, "Unable to contact slurm controller (1007)");
	assert_int_equal(slurm_parse_jobs("{}", 2, collect, &s, err, sizeof err), 0);
	assert_string_equal(err, "answer has no \"jobs\" list");
	assert_int_equal(slurm_parse_jobs("{\"jobs\": 1", 10, collect, &s, err, sizeof err), 0);
	assert_int_equal(s.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states),	      cmocka_unit_test(test_exit_decoding),
		cmocka_unit_test(test_script_quoting), cmocka_unit_test(test_submit_body),
		cmocka_unit_test(test_job_name),      cmocka_unit_test(test_parse_submit),
		cmocka_unit_test(test_parse_jobs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
