/* job.c: the manners every job shares (see job.h). Logging writes each line
 * with one write(2) so lines from threads never interleave; the signal handler
 * only sets a flag; progress is atomics plus lib/progress.h's coarse clock
 * check so hot loops can call it per record. */
#include "jobs/common/job.h"

#include "lib/buf.h"
#include "lib/json.h"
#include "lib/civil.h"
#include "lib/logfmt.h"
#include "lib/progress.h"
#include "lib/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char job_name_buf[64] = "job";
static struct timespec job_t0;
static job_level job_min_level = JOB_INFO;
static volatile sig_atomic_t job_stop_sig;

void job_err_set(job_err *e, const char *fmt, ...)
{
	if (!e)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}

void job_err_prefix(job_err *e, const char *fmt, ...)
{
	if (!e)
		return;
	char old[sizeof e->msg], pre[sizeof e->msg];
	memcpy(old, e->msg, sizeof old);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	size_t pl = strnlen(pre, sizeof pre - 1);
	if (pl > sizeof e->msg - 3)
		pl = sizeof e->msg - 3;
	memcpy(e->msg, pre, pl);
	memcpy(e->msg + pl, ": ", 2);
	size_t room = sizeof e->msg - pl - 3;
	size_t ol = strnlen(old, room);
	memcpy(e->msg + pl + 2, old, ol);
	e->msg[pl + 2 + ol] = 0;
}

static void on_stop_signal(int sig)
{
	job_stop_sig = sig;
}

void job_init(const char *name, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	snprintf(job_name_buf, sizeof job_name_buf, "%s", name);
	clock_gettime(CLOCK_MONOTONIC, &job_t0);
	const char *lvl = getenv("JOB_LOG_LEVEL");
	if (lvl && logfmt_level_parse(lvl) >= 0)
		job_min_level = (job_level)logfmt_level_parse(lvl);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: blocking waits return EINTR and see the flag */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

const char *job_name(void) { return job_name_buf; }

double job_elapsed(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)(ts.tv_sec - job_t0.tv_sec) + (ts.tv_nsec - job_t0.tv_nsec) / 1e9;
}

int job_stopping(void) { return job_stop_sig != 0; }
int job_stop_signal(void) { return job_stop_sig; }
void job_request_stop(int sig) { job_stop_sig = sig ? sig : SIGTERM; }

/* ---- logging ------------------------------------------------------------ */

void job_set_log_level(job_level lvl) { job_min_level = lvl; }

size_t job_format_kv(char *buf, size_t size, const char *kvfmt, va_list ap)
{
	struct buf b = BUF_INIT;
	logfmt_vkv(&b, 0, kvfmt, ap);
	if (size) {
		size_t n = b.len < size - 1 ? b.len : size - 1;
		memcpy(buf, buf_str(&b), n);
		buf[n] = 0;
	}
	size_t len = b.len;
	buf_free(&b);
	return len;
}

static struct progress job_progress;	/* lib/progress.h: a bar on screen is cleared before a log line */

void job_vlog(job_level lvl, const char *msg, const char *kvfmt, va_list ap)
{
	if (lvl < job_min_level)
		return;
	struct buf b = BUF_INIT;
	if (progress_take_bar(&job_progress))
		buf_puts(&b, "\r\033[K");
	buf_puts(&b, "ts=");
	logfmt_timestamp(&b);
	buf_puts(&b, " level=");
	buf_puts(&b, logfmt_level_name((enum logfmt_level)lvl));
	buf_puts(&b, " job=");
	logfmt_value(&b, job_name_buf, strlen(job_name_buf));
	buf_puts(&b, " msg=");
	logfmt_quoted(&b, msg ? msg : "", msg ? strlen(msg) : 0);
	if (kvfmt && *kvfmt) {
		buf_putc(&b, ' ');
		logfmt_vkv(&b, 0, kvfmt, ap);
	}
	buf_putc(&b, '\n');
	logfmt_write(STDERR_FILENO, b.s, b.len);
	buf_free(&b);
}

void job_log(job_level lvl, const char *msg, const char *kvfmt, ...)
{
	va_list ap;
	va_start(ap, kvfmt);
	job_vlog(lvl, msg, kvfmt, ap);
	va_end(ap);
}

/* ---- result line -------------------------------------------------------- */

enum rtype { R_INT, R_DOUBLE, R_STR };
struct rval {
	char *name;
	enum rtype type;
	int64_t i;
	double d;
	char *s;
};
static struct rval *results;
static size_t nresults, capresults;
static pthread_mutex_t results_mu = PTHREAD_MUTEX_INITIALIZER;

static struct rval *result_slot(const char *name)
{
	for (size_t i = 0; i < nresults; i++)
		if (strcmp(results[i].name, name) == 0)
			return &results[i];
	if (nresults == capresults) {
		capresults = capresults ? capresults * 2 : 16;
		results = xrealloc(results, capresults * sizeof *results);
	}
	struct rval *r = &results[nresults];
	memset(r, 0, sizeof *r);
	r->name = xstrdup(name);
	nresults++;
	return r;
}

void job_result_add(const char *name, int64_t delta)
{
	pthread_mutex_lock(&results_mu);
	struct rval *r = result_slot(name);
	if (r) {
		if (r->type != R_INT) {
			free(r->s);
			r->s = NULL;
			r->type = R_INT;
			r->i = 0;
		}
		r->i += delta;
	}
	pthread_mutex_unlock(&results_mu);
}

void job_result_set_int(const char *name, int64_t v)
{
	pthread_mutex_lock(&results_mu);
	struct rval *r = result_slot(name);
	if (r) {
		free(r->s);
		r->s = NULL;
		r->type = R_INT;
		r->i = v;
	}
	pthread_mutex_unlock(&results_mu);
}

void job_result_set_double(const char *name, double v)
{
	pthread_mutex_lock(&results_mu);
	struct rval *r = result_slot(name);
	if (r) {
		free(r->s);
		r->s = NULL;
		r->type = R_DOUBLE;
		r->d = v;
	}
	pthread_mutex_unlock(&results_mu);
}

void job_result_set_str(const char *name, const char *v)
{
	pthread_mutex_lock(&results_mu);
	struct rval *r = result_slot(name);
	if (r) {
		free(r->s);
		r->type = R_STR;
		r->s = xstrdup(v ? v : "");
	}
	pthread_mutex_unlock(&results_mu);
}

int64_t job_result_get_int(const char *name)
{
	int64_t v = 0;
	pthread_mutex_lock(&results_mu);
	for (size_t i = 0; i < nresults; i++)
		if (strcmp(results[i].name, name) == 0 && results[i].type == R_INT)
			v = results[i].i;
	pthread_mutex_unlock(&results_mu);
	return v;
}

/* A double as "%.6g" prints it (the result line's figures), as a JSON real. */
static json_t *result_real(double v, const char *fmt)
{
	if (!isfinite(v))
		return json_null();
	char num[64];
	snprintf(num, sizeof num, fmt, v);
	return json_real(strtod(num, NULL));
}

void job_result_print(void)
{
	json_t *o = json_object();
	jx_set(o, "job", jx_str(job_name_buf));
	pthread_mutex_lock(&results_mu);
	for (size_t i = 0; i < nresults; i++) {
		struct rval *r = &results[i];
		jx_set(o, r->name, r->type == R_INT ? json_integer(r->i)
				 : r->type == R_DOUBLE ? result_real(r->d, "%.6g")
				 : jx_str(r->s ? r->s : ""));
		free(r->name);
		free(r->s);
	}
	free(results);
	results = NULL;
	nresults = capresults = 0;
	pthread_mutex_unlock(&results_mu);
	jx_set(o, "seconds", result_real(job_elapsed(), "%.3f"));
	struct buf b = BUF_INIT;
	jx_buf(&b, o);
	buf_putc(&b, '\n');
	json_decref(o);
	fflush(stdout);
	fwrite(b.s, 1, b.len, stdout);
	fflush(stdout);
	buf_free(&b);
}

/* ---- progress ----------------------------------------------------------- */

static struct {
	char what[64], unit[16];
	uint64_t total;
	atomic_uint_fast64_t done;
	double t0;
	int active;
} prog;

int64_t job_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void progress_report(int final)
{
	uint64_t done = atomic_load(&prog.done);
	double secs = job_mono_ms() / 1e3 - prog.t0;
	int bytes = strcmp(prog.unit, "bytes") == 0;
	double shown = bytes ? done / 1048576.0 : (double)done;
	double rate = secs > 0 ? shown / secs : 0;
	const char *u = bytes ? "MB" : prog.unit;
	if (job_progress.tty) {
		char text[128];
		snprintf(text, sizeof text, "%.1f %s %.1f %s/s", shown, u, rate, u);
		progress_bar(&job_progress, prog.what, prog.total ? (double)done / (double)prog.total : -1, text,
			     final);
	} else if (!final) {
		if (prog.total)
			job_info("progress", "what=%s done=%.1f total=%.1f unit=%s percent=%.1f rate=%.1f", prog.what,
				 shown, bytes ? prog.total / 1048576.0 : (double)prog.total, u,
				 100.0 * (double)done / (double)prog.total, rate);
		else
			job_info("progress", "what=%s done=%.1f unit=%s rate=%.1f", prog.what, shown, u, rate);
	}
}

void job_progress_start(const char *what, uint64_t total, const char *unit)
{
	snprintf(prog.what, sizeof prog.what, "%s", what);
	snprintf(prog.unit, sizeof prog.unit, "%s", unit ? unit : "items");
	prog.total = total;
	atomic_store(&prog.done, 0);
	prog.t0 = job_mono_ms() / 1e3;
	const char *iv = getenv("JOB_PROGRESS_SECONDS");
	progress_init(&job_progress, STDERR_FILENO, iv ? atof(iv) : 5.0, false);
	prog.active = 1;
}

static void progress_tick(void)
{
	if (prog.active && progress_due(&job_progress))
		progress_report(0);
}

void job_progress_add(uint64_t delta)
{
	atomic_fetch_add(&prog.done, delta);
	progress_tick();
}

void job_progress_set(uint64_t done)
{
	atomic_store(&prog.done, done);
	progress_tick();
}

void job_progress_finish(void)
{
	if (!prog.active)
		return;
	if (job_progress.tty)
		progress_report(1);
	prog.active = 0;
}

/* ---- option values ------------------------------------------------------ */

int job_parse_size(const char *flag, const char *s, uint64_t *out, job_err *e)
{
	char *end;
	errno = 0;
	if (!s || !*s || !isdigit((unsigned char)*s))
		goto bad;
	double v = strtod(s, &end);
	if (errno || end == s)
		goto bad;
	double mul = 1;
	switch (toupper((unsigned char)*end)) {
	case 0: break;
	case 'B': break;
	case 'K': mul = 1024.0; break;
	case 'M': mul = 1048576.0; break;
	case 'G': mul = 1073741824.0; break;
	case 'T': mul = 1099511627776.0; break;
	default: goto bad;
	}
	if (*end) {
		end++;
		if (toupper((unsigned char)*end) == 'I')
			end++;
		if (toupper((unsigned char)*end) == 'B')
			end++;
		if (*end)
			goto bad;
	}
	v *= mul;
	if (v < 0 || v > 9.0e18)
		goto bad;
	*out = (uint64_t)v;
	return 0;
bad:
	job_err_set(e, "%s: '%s' is not a size (use a number with an optional K, M, G or T suffix, e.g. 64M)", flag,
		    s ? s : "");
	return -1;
}

int job_parse_int_opt(const char *flag, const char *s, long long min, long long max, long long *out, job_err *e)
{
	return s ? job_parse_int(flag, s, min, max, out, e) : 0;
}

int job_parse_int(const char *flag, const char *s, long long min, long long max, long long *out, job_err *e)
{
	char *end;
	errno = 0;
	long long v = s && *s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || errno) {
		job_err_set(e, "%s: '%s' is not an integer", flag, s ? s : "");
		return -1;
	}
	if (v < min || v > max) {
		job_err_set(e, "%s: %lld is out of range [%lld, %lld]", flag, v, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int job_parse_double(const char *flag, const char *s, double min, double max, double *out, job_err *e)
{
	char *end;
	errno = 0;
	double v = s && *s ? strtod(s, &end) : 0;
	if (!s || !*s || *end || errno || !isfinite(v)) {
		job_err_set(e, "%s: '%s' is not a number", flag, s ? s : "");
		return -1;
	}
	if (v < min || v > max) {
		job_err_set(e, "%s: %g is out of range [%g, %g]", flag, v, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int job_parse_ratio(const char *flag, const char *s, double *out, job_err *e)
{
	return job_parse_double(flag, s, 0.0, 1.0, out, e);
}

int job_parse_date(const char *flag, const char *s, char out[9], job_err *e)
{
	int y, m, d;
	const char *end = civil_scan_date(s, CIVIL_COMPACT, &y, &m, &d);
	if (end == NULL || *end != '\0' || y < 1)
		goto bad;
	memcpy(out, s, 8);
	out[8] = 0;
	return 0;
bad:
	job_err_set(e, "%s: '%s' is not a date YYYYMMDD", flag, s ? s : "");
	return -1;
}
