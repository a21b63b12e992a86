/* slurm_client.h: slurmrestd over HTTP (libcurl), one connection reused.
 * Every call is bounded (connect 2 s, whole request 5 s) so an unreachable
 * slurmrestd or a hung slurmctld delays the daemon's loop by at most that,
 * once every 2 s (slurm_dispatch.c asks nothing more meanwhile). The token is sent as X-SLURM-USER-TOKEN and
 * is never logged; errors name the URL's path, not the token.
 *
 * Results: 0 done; SLURM_UNREACHABLE (-1) the request did not get an answer
 * (connection refused, timeout, a 5xx without Slurm's errors: slurmrestd or
 * slurmctld down) -- the caller waits and tries again, nothing failed;
 * SLURM_REFUSED (-2) slurmctld answered with an error (bad partition, no such
 * job) -- err holds its words; SLURM_UNSURE (-3, submissions only) the
 * request went out and no answer came back (a timeout, a connection cut):
 * slurmctld may have taken the job, so it must be looked for by name before
 * any new submission. */
#ifndef EXEC_SLURM_CLIENT_H
#define EXEC_SLURM_CLIENT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "executors/slurm_api.h"

#define SLURM_UNREACHABLE (-1)
#define SLURM_REFUSED (-2)
#define SLURM_UNSURE (-3)

struct slurm_client;

/* url "http://HOST:PORT" (no path), api "v0.0.38", user the token's user
 * name (X-SLURM-USER-NAME). NULL with err if the URL is not http(s). */
struct slurm_client *slurm_client_new(const char *url, const char *api, const char *user, const char *token,
				      char *err, size_t errlen);
void slurm_client_free(struct slurm_client *c);

/* A longer bound for a client used off the daemon's loop (the job list of a
 * busy cluster takes seconds to build), and a flag that aborts a request in
 * flight once set (another thread stopping this one). */
void slurm_client_set_timeout(struct slurm_client *c, long ms);
void slurm_client_set_abort(struct slurm_client *c, const atomic_bool *flag);

int slurm_client_submit(struct slurm_client *c, const struct slurm_submit *s, int64_t *job_id, char *err,
			size_t errlen);
/* GET /jobs?update_time=since (since 0: every job slurmctld holds); fn per job. */
int slurm_client_jobs(struct slurm_client *c, int64_t since, void (*fn)(void *arg, const struct slurm_job *j),
		      void *arg, char *err, size_t errlen);
/* DELETE /job/{id} (scancel): SLURM_REFUSED when slurmctld no longer has it
 * or it had ended. */
int slurm_client_cancel(struct slurm_client *c, int64_t job_id, char *err, size_t errlen);

#endif
