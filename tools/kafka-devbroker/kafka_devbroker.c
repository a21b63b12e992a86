/* kafka_devbroker.c: kafka-devbroker, an in-memory Kafka cluster for development
 * and tests, built on librdkafka's mock cluster (rdkafka_mock.h).
 *
 * Nothing is persisted and the mock implements only the requests librdkafka
 * clients need (docs/protocols.md §3.3), so this is never a production broker;
 * the jobs do not know they talk to it (they get bootstrap servers like any
 * cluster). The process prints its bootstrap address on stdout, writes it to
 * --bootstrap-file atomically (write + rename, so a reader never sees half an
 * address), then sleeps in poll() until SIGTERM/SIGINT, applying fault commands
 * read from --control (a FIFO it creates, or a regular file it follows).
 * Signals arrive through a signalfd: they are blocked before librdkafka starts
 * its threads, so no thread of the mock is interrupted by them. */
#include "jobs/common/job.h"
#include "lib/options.h"
#include "tools/kafka-devbroker/devbroker_cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_TOPICS 64

/* The option table's destinations (lib/options.h), checked in main. */
static struct {
	const char *brokers, *bootstrap_file, *control;
	struct opt_list topics;
} in;

static const struct opt devbroker_table[] = {
	{ OPT_STRING, "brokers", &in.brokers, "N", "brokers in the cluster (1..16, default 1)" },
	{ OPT_LIST, "topic", &in.topics, "NAME:PARTS",
	  "create a topic with PARTS partitions;\nunknown topics are auto-created with 4 partitions" },
	{ OPT_STRING, "bootstrap-file", &in.bootstrap_file, "PATH", "also write the address to PATH (atomically)" },
	{ OPT_STRING, "control", &in.control, "PATH",
	  "read fault commands from PATH, one per line (a FIFO is\n"
	  "created if PATH does not exist; a regular file is followed):\n"
	  "  broker-down ID|all      broker-up ID|all\n"
	  "  rtt ID|all MS           topic NAME PARTITIONS [REPLICATION]\n"
	  "  error API COUNT ERROR   broker-error ID API COUNT ERROR [RTT_MS]\n"
	  "  clear-errors API        leader TOPIC PARTITION ID|none\n"
	  "API: Produce, Fetch, Metadata, OffsetCommit, JoinGroup, ... or a number;\n"
	  "ERROR: a librdkafka name (NOT_LEADER_FOR_PARTITION, _TRANSPORT) or a number" },
	{ OPT_END, NULL, NULL, NULL, NULL },
};

static const struct opts_cmd devbroker_cmd = {
	.usage = "kafka-devbroker [--brokers N] [--topic NAME:PARTITIONS]... [--bootstrap-file PATH]\n"
		 "                       [--control PATH]",
	.description = "An in-memory Kafka cluster (librdkafka mock) for development and tests only.\n"
		       "Prints the bootstrap address, then runs until SIGTERM or SIGINT.",
	.epilog = "Exit codes: 0 stopped by a signal, 1 failed, 2 usage error.",
	.opts = devbroker_table,
};

static int write_atomically(const char *path, const char *text)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		return -1;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

/* The control channel: bytes read so far that do not end in a newline yet. */
struct control {
	const char *path;
	int fd, is_fifo, created;
	char buf[4096];
	size_t len;
	long applied, failed;
};

static int control_open(struct control *c)
{
	struct stat st;
	if (stat(c->path, &st) < 0) {
		if (errno != ENOENT || mkfifo(c->path, 0600) < 0)
			return -1;
		c->created = 1;
		st.st_mode = S_IFIFO;
	}
	c->is_fifo = S_ISFIFO(st.st_mode);
	/* O_RDWR on our own FIFO: we count as a writer, so writers coming and
	 * going never make us see end-of-file. */
	c->fd = open(c->path, (c->is_fifo ? O_RDWR : O_RDONLY) | O_NONBLOCK | O_CLOEXEC);
	return c->fd < 0 ? -1 : 0;
}

static void control_line(struct control *c, rd_kafka_mock_cluster_t *mc, int brokers, const char *line)
{
	struct devbroker_cmd cmd;
	char err[512];
	if (devbroker_cmd_parse(line, &cmd, err, sizeof err) < 0 ||
	    devbroker_cmd_apply(mc, brokers, &cmd, err, sizeof err) < 0) {
		c->failed++;
		job_error("control command rejected", "command=%s error=%s", line, err);
		return;
	}
	if (cmd.op != DEVBROKER_NOP) {
		c->applied++;
		job_info("control command applied", "command=%s", line);
	}
}

/* Reads what is available and applies every complete line. */
static void control_read(struct control *c, rd_kafka_mock_cluster_t *mc, int brokers)
{
	for (;;) {
		ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);
		if (n <= 0)
			return;
		c->len += (size_t)n;
		c->buf[c->len] = 0;
		char *start = c->buf, *nl;
		while ((nl = memchr(start, '\n', c->len - (size_t)(start - c->buf)))) {
			*nl = 0;
			control_line(c, mc, brokers, start);
			start = nl + 1;
		}
		c->len -= (size_t)(start - c->buf);
		memmove(c->buf, start, c->len);
		if (c->len == sizeof c->buf - 1) {
			job_error("control line too long, dropped", "bytes=%zu", c->len);
			c->len = 0;
		}
	}
}

static int parse_topic_opt(const char *arg, struct devbroker_cmd *cmd)
{
	char line[600];
	const char *colon = strrchr(arg, ':');
	if (!colon || colon == arg)
		return -1;
	if (snprintf(line, sizeof line, "topic %.*s %s", (int)(colon - arg), arg, colon + 1) >= (int)sizeof line)
		return -1;
	char err[256];
	return devbroker_cmd_parse(line, cmd, err, sizeof err);
}

int main(int argc, char **argv)
{
	struct devbroker_cmd topics[MAX_TOPICS];
	int ntopics = 0, brokers = 1;
	const char *bootstrap_file = NULL;
	struct control ctl = {.fd = -1};
	char *end;

	job_init("kafka-devbroker", argc, argv);
	size_t npos;
	char perr[1024];
	int orc = opts_parse(&devbroker_cmd, argc, argv, NULL, &npos, perr, sizeof perr);
	if (orc == OPTS_HELP) {
		opts_help(&devbroker_cmd, stdout);
		return 0;
	}
	if (orc != OPTS_OK) {
		fprintf(stderr, "kafka-devbroker: %s\n", perr);
		opt_list_free(&in.topics);
		return 2;
	}
	if (in.brokers) {
		brokers = (int)strtol(in.brokers, &end, 10);
		if (!*in.brokers || *end || brokers < 1 || brokers > 16) {
			fprintf(stderr, "kafka-devbroker: --brokers: '%s' is not a number from 1 to 16\n", in.brokers);
			opt_list_free(&in.topics);
			return 2;
		}
	}
	for (size_t i = 0; i < in.topics.n; i++) {
		if (ntopics == MAX_TOPICS || parse_topic_opt(in.topics.items[i], &topics[ntopics]) < 0) {
			fprintf(stderr, "kafka-devbroker: --topic: '%s' is not NAME:PARTITIONS (at most %d topics)\n",
				in.topics.items[i], MAX_TOPICS);
			opt_list_free(&in.topics);
			return 2;
		}
		ntopics++;
	}
	opt_list_free(&in.topics);
	bootstrap_file = in.bootstrap_file;
	ctl.path = in.control;

	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL) < 0)
		return 1;
	int sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sfd < 0) {
		job_error("signalfd failed", "error=%s", strerror(errno));
		return 1;
	}

	char errstr[512];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_conf_set(conf, "log_level", "4", errstr, sizeof errstr);
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
	if (!rk) {
		job_error("cannot create the librdkafka handle", "error=%s", errstr);
		return 1;
	}
	rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, brokers);
	if (!mc) {
		job_error("cannot create the mock cluster", "brokers=%d", brokers);
		rd_kafka_destroy(rk);
		return 1;
	}
	int rc = 0;
	for (int i = 0; i < ntopics; i++)
		if (devbroker_cmd_apply(mc, brokers, &topics[i], errstr, sizeof errstr) < 0) {
			job_error("cannot create topic", "topic=%s error=%s", topics[i].topic, errstr);
			rc = 1;
			goto out;
		}
	if (ctl.path && control_open(&ctl) < 0) {
		job_error("cannot open the control file", "control=%s error=%s", ctl.path, strerror(errno));
		rc = 1;
		goto out;
	}
	const char *bootstrap = rd_kafka_mock_cluster_bootstraps(mc);
	if (bootstrap_file) {
		char text[1024];
		snprintf(text, sizeof text, "%s\n", bootstrap);
		if (write_atomically(bootstrap_file, text) < 0) {
			job_error("cannot write the bootstrap file", "bootstrap_file=%s error=%s", bootstrap_file, strerror(errno));
			rc = 1;
			goto out;
		}
	}
	printf("%s\n", bootstrap);
	fflush(stdout);
	job_info("in-memory development cluster up", "brokers=%d bootstrap=%s topics=%d", brokers, bootstrap, ntopics);

	for (;;) {
		struct pollfd p[2] = {{.fd = sfd, .events = POLLIN}, {.fd = ctl.fd, .events = POLLIN}};
		int nfds = ctl.fd >= 0 && ctl.is_fifo ? 2 : 1;
		int timeout = ctl.fd >= 0 && !ctl.is_fifo ? 100 : -1;
		if (poll(p, (nfds_t)nfds, timeout) < 0 && errno != EINTR) {
			job_error("poll failed", "error=%s", strerror(errno));
			rc = 1;
			break;
		}
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
				job_info("stopping; all topics and offsets are lost", "signal=%u", si.ssi_signo);
				break;
			}
		}
		if (ctl.fd >= 0)
			control_read(&ctl, mc, brokers);
	}
	if (ctl.path) {
		job_result_set_int("commands_applied", ctl.applied);
		job_result_set_int("commands_rejected", ctl.failed);
		job_result_print();
	}
out:
	if (ctl.fd >= 0)
		close(ctl.fd);
	if (ctl.created)
		unlink(ctl.path);
	if (bootstrap_file && rc == 0)
		unlink(bootstrap_file);
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	close(sfd);
	return rc;
}
