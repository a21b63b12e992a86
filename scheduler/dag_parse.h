/* dag_parse.h: DAG files parsed off the daemon's loop, in a child process
 * with a time budget (dag_parse.c).
 *
 * The daemon submits paths; a child ("schedulerd --parse-dags ...", the same
 * executable) loads them one after the other with dag_load_file_limits and
 * writes each result (the validated model, or its diagnostics) back on a
 * pipe. The loop polls the pipe and applies finished results inside its own
 * transaction. A file that takes longer than the budget, or kills the child
 * (out of its memory limit), gets an error of its own and the child is
 * replaced for the files after it: a slow or hostile file never stalls the
 * loop or affects another file. */
#ifndef SCHED_DAG_PARSE_H
#define SCHED_DAG_PARSE_H

#include <spawn.h>

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "scheduler/dag.h"
#include "scheduler/diag.h"

struct dag_parser;

struct dag_parse_result {
	char *path;
	uint64_t gen;		/* as submitted */
	struct dag *dag;	/* NULL if the file did not load */
	struct diag_list diags;
};

/* exe: the executable that understands --parse-dags (NULL: /proc/self/exe).
 * budget_ms: per file; 0 = none. */
struct dag_parser *dag_parser_new(const char *exe, const struct dag_limits *lim, int64_t budget_ms);
void dag_parser_free(struct dag_parser *p);	/* kills a running child */

/* Queues path (copied); gen comes back with its result. */
void dag_parser_submit(struct dag_parser *p, const char *path, uint64_t gen);
/* Starts a child for queued files, reads what arrived, enforces the budget.
 * Never blocks. */
void dag_parser_pump(struct dag_parser *p, int64_t now_us);
/* The next finished result (the caller owns it: dag_parse_result_free). */
bool dag_parser_next(struct dag_parser *p, struct dag_parse_result *out);
void dag_parse_result_free(struct dag_parse_result *r);
/* The child's pipe, to poll for POLLIN; -1 when no child runs. */
int dag_parser_fd(const struct dag_parser *p);
/* Files queued or being parsed. */
bool dag_parser_busy(const struct dag_parser *p);
/* Blocks until every submitted file has a result (each within its budget). */
void dag_parser_wait(struct dag_parser *p);

/* The child's side: argv after "--parse-dags" is MAX_BYTES MAX_DEPTH PATH...
 * Writes one record per path on fd 1; returns the exit status. */
int dag_parse_child_main(int argc, char **argv);

/* The record format, exposed for its unit test: a DAG (or NULL) and its
 * diagnostics to bytes and back. */
unsigned char *dag_wire_encode(const struct dag *d, const struct diag_list *diags, size_t *len);
/* 0, or -1 if the bytes are not a whole record. file names the diagnostics. */
int dag_wire_decode(const unsigned char *buf, size_t len, const char *file, struct dag **d, struct diag_list *diags);

/* Starts exe (this program again) as a worker with argv: the default
 * signal mask and dispositions for SIGPIPE and SIGTERM, not the daemon's
 * (its signals go to a signalfd). fa may be NULL. posix_spawn's result. */
int dag_worker_spawn(pid_t *pid, const char *exe, const posix_spawn_file_actions_t *fa, char *const argv[]);

#endif
