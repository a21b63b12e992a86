/* fuzz_slurm_json.c: slurmrestd's answers as executors/slurm_api.c reads
 * them: the answer to a submission (slurm_parse_submit), to GET /jobs
 * (slurm_parse_jobs, every job handed over with its fields in bounds and its
 * exit status decoded) and the errors list of any answer. Oracle: a job id
 * handed over is positive, its state word maps to a known state, a decoded
 * exit is 0..255 or a signal 1..127; plus memory safety. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "executors/slurm_api.h"

static void check_job(void *arg, const struct slurm_job *j)
{
	(void)arg;
	if (j->job_id <= 0 || !j->name || !j->job_state)
		abort();
	if (j->state != slurm_state_of(j->job_state))
		abort();
	size_t n = strlen(j->name) + strlen(j->job_state);	/* readable, NUL-terminated */
	(void)n;
	int code, sig;
	slurm_decode_exit(j->exit_code, &code, &sig);
	if (code < -1 || code > 255 || sig < 0 || sig > 127 || (code >= 0 && sig))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;	/* libcurl's body: bytes and a length */
	char err[512];
	int64_t id = 0;
	if (slurm_parse_submit(body, size, &id, err, sizeof err) == 1 && id <= 0)
		abort();
	slurm_parse_jobs(body, size, check_job, NULL, err, sizeof err);
	err[sizeof err - 1] = '\0';
	slurm_answer_errors(body, size, err, sizeof err);
	if (strlen(err) >= sizeof err)
		abort();
	return 0;
}
