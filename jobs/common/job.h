/* job.h: the manners every job shares (docs/jobs-common.md): exit codes,
 * logfmt logging on stderr, the stop flag set by SIGTERM/SIGINT, the one-line
 * JSON result on stdout, progress reporting, and option-value parsers whose
 * errors name the flag. One job per process, so the state here is global. */
#ifndef JOB_JOB_H
#define JOB_JOB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum {
	JOB_EXIT_OK = 0,	/* done */
	JOB_EXIT_FAILED = 1,	/* failed, worth a retry */
	JOB_EXIT_USAGE = 2,	/* usage or configuration error, not retried */
	JOB_EXIT_REJECTED = 3,	/* input rejected beyond the allowed ratio, not retried */
};

/* An error as a value: library functions fill one and return -1; the caller
 * at the edge logs it once. */
typedef struct job_err {
	char msg[1024];
} job_err;
void job_err_set(job_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefixes the existing message: "<prefix>: <old message>". */
void job_err_prefix(job_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets the job name used in logs and the result line, installs the SIGTERM and
 * SIGINT handlers, starts the clock of "seconds", and reads JOB_LOG_LEVEL
 * (debug|info|warn|error, default info) from the environment. */
void job_init(const char *name, int argc, char **argv);
const char *job_name(void);
double job_elapsed(void);	/* seconds since job_init */

/* ---- logging ------------------------------------------------------------ */
typedef enum { JOB_DEBUG, JOB_INFO, JOB_WARN, JOB_ERROR } job_level;
void job_set_log_level(job_level lvl);
/* Parses "debug", "info", "warn" or "error"; -1 if none. */
int job_parse_log_level(const char *s);

/* One line on stderr:
 *   ts=2026-11-23T10:00:00.123Z level=info job=NAME msg="..." key=value ...
 * kvfmt is a printf format of the tail ("file=%s lines=%zu"), or NULL. Every
 * converted value is quoted (with \" and \\ escaped) when it is empty or holds
 * a space, a quote, '=' or a control character; literal text is copied as is.
 * Supported conversions: d i u x X o c s p f e g (with h hh l ll z j t
 * modifiers, flags, width, precision, '*'), and %%. */
void job_log(job_level lvl, const char *msg, const char *kvfmt, ...);
void job_vlog(job_level lvl, const char *msg, const char *kvfmt, va_list ap);
#define job_debug(msg, ...) job_log(JOB_DEBUG, msg, __VA_ARGS__)
#define job_info(msg, ...) job_log(JOB_INFO, msg, __VA_ARGS__)
#define job_warn(msg, ...) job_log(JOB_WARN, msg, __VA_ARGS__)
#define job_error(msg, ...) job_log(JOB_ERROR, msg, __VA_ARGS__)

/* Formats the key=value tail into buf as job_log would (for tests and for
 * callers that build lines themselves). Returns the length it needed. */
size_t job_format_kv(char *buf, size_t size, const char *kvfmt, va_list ap);

/* ---- stop flag ---------------------------------------------------------- */
/* True once SIGTERM or SIGINT arrived: stop reading, flush, commit, exit. */
int job_stopping(void);
int job_stop_signal(void);	/* the signal that set the flag, 0 if none */
void job_request_stop(int sig);	/* what the handler does; also for callers */

/* ---- result line -------------------------------------------------------- */
/* Named values printed, in the order first set, as one JSON object on stdout
 * by job_result_print: {"job":"NAME",...,"seconds":1.234}. */
void job_result_add(const char *name, int64_t delta);	/* integer counter */
void job_result_set_int(const char *name, int64_t v);
void job_result_set_double(const char *name, double v);
void job_result_set_str(const char *name, const char *v);
int64_t job_result_get_int(const char *name);	/* 0 when unset */
/* Prints the line (adding "seconds") and frees the values. */
void job_result_print(void);

/* ---- clock -------------------------------------------------------------- */
/* Milliseconds of the monotonic clock: for intervals and deadlines. */
int64_t job_mono_ms(void);

/* ---- progress ----------------------------------------------------------- */
/* Progress of one piece of long work: on a terminal, a bar on stderr redrawn
 * at most 10 times a second; otherwise an info log line every few seconds
 * (JOB_PROGRESS_SECONDS, default 5). total 0 = unknown; unit names what is
 * counted ("bytes" is shown as MB). Updates are thread-safe and cheap. */
void job_progress_start(const char *what, uint64_t total, const char *unit);
void job_progress_add(uint64_t delta);
void job_progress_set(uint64_t done);
void job_progress_finish(void);

/* ---- option values ------------------------------------------------------ */
/* Each returns 0, or -1 with e naming the flag: "--roll-size: '64Q' is not a
 * size (use a number with an optional K, M, G or T suffix)". */
int job_parse_size(const char *flag, const char *s, uint64_t *out, job_err *e);	/* 64M, 1G, 512K, 100 */
int job_parse_int(const char *flag, const char *s, long long min, long long max, long long *out, job_err *e);
int job_parse_double(const char *flag, const char *s, double min, double max, double *out, job_err *e);
int job_parse_ratio(const char *flag, const char *s, double *out, job_err *e);	/* 0..1 */
/* --max-reject-ratio of the batch jobs (spool-loader, rollup status-day):
 * above this share of rejected lines among the lines read, exit
 * JOB_EXIT_REJECTED and store nothing. */
#define JOB_MAX_REJECT_RATIO 0.1
/* YYYYMMDD, a real calendar date; *out gets the same 8 characters. */
int job_parse_date(const char *flag, const char *s, char out[9], job_err *e);

#endif
