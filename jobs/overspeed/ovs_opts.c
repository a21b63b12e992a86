/* ovs_opts.c: overspeed's options (ovs_opts.h). Names, defaults and ranges are
 * those of docs/jobs-stream.md. */
#include "jobs/overspeed/ovs_opts.h"

#include <string.h>

#include "lib/options.h"

/* The table's destinations: the raw strings, checked and converted by
 * ovs_opts_parse. One parse at a time (a process parses its argv once). */
static struct {
	const char *rule, *redis, *brokers, *topic, *group, *from_file, *instance, *session_ms, *commit_ms,
		*rule_poll_ms, *max_pending, *max_bad_ratio, *kafka_config;
	bool exit_at_eof;
	struct opt_list kafka_opts;
} in;

static const struct opt ovs_table[] = {
	{ OPT_STRING, "rule", &in.rule, "FILE",
	  "YAML rule (window, threshold, lateness, key, member, detail,\nttl, conditions); re-read on change and on SIGHUP. Default:\n"
	  "built-in 30 s, > 80 km/h, lateness 5 s, ttl 604800 s" },
	{ OPT_STRING, "redis", &in.redis, "URI", "redis://HOST:PORT/DB (default redis://127.0.0.1:6379/0)" },
	{ OPT_STRING, "brokers", &in.brokers, "LIST", "Kafka bootstrap servers (default localhost:9092)" },
	{ OPT_STRING, "topic", &in.topic, "NAME", "topic to consume (default SmartCar-Topic)" },
	{ OPT_STRING, "group", &in.group, "ID", "consumer group (default overspeed)" },
	{ OPT_STRING, "session-timeout-ms", &in.session_ms, "MS", "Kafka session.timeout.ms (default librdkafka's, 45000)" },
	{ OPT_STRING, "group-instance-id", &in.instance, "ID",
	  "static group membership: auto (default) derives a stable id\nfrom the task when schedulerd runs the job, none = dynamic,\n"
	  "or an explicit id (A-Z a-z 0-9 . _ -)" },
	{ OPT_STRING, "kafka-config", &in.kafka_config, "FILE",
	  "librdkafka consumer properties, key=value lines (secrets go here\nor in -X key=@FILE, never in argv)" },
	{ OPT_LIST, "kafka-opt|X", &in.kafka_opts, "K=V",
	  "extra librdkafka consumer property; K=@FILE reads the value from FILE" },
	{ OPT_STRING, "from-file", &in.from_file, "PATH",
	  "read records from PATH ('-' for stdin) instead of Kafka;\nevery window is closed at end of input" },
	{ OPT_FLAG, "exit-at-eof", &in.exit_at_eof, NULL,
	  "Kafka: when every partition is read to its end, close all\nwindows, write, commit and exit" },
	{ OPT_STRING, "commit-interval", &in.commit_ms, "MS", "how often offsets are committed (default 1000)" },
	{ OPT_STRING, "rule-poll", &in.rule_poll_ms, "MS", "how often the rule file's mtime is checked (default 1000)" },
	{ OPT_STRING, "max-pending", &in.max_pending, "N",
	  "closed windows held unwritten before consumption pauses\n(default 64)" },
	{ OPT_STRING, "max-bad-ratio", &in.max_bad_ratio, "R",
	  "--from-file: exit 3 when more than R of the lines are\nrejected (default 0.01)" },
	{ OPT_END, NULL, NULL, NULL, NULL },
};

static const struct opts_cmd ovs_cmd = {
	.usage = "overspeed [--rule FILE] [--redis URI] [--brokers LIST] [--topic NAME] [--group ID]\n"
		 "                 [--from-file PATH] [--exit-at-eof] [options]",
	.description = "Flags every car whose average speed over a window of event time is above the rule's\n"
		       "threshold: SADD <day> <car>-<window start> in Redis, plus a detail hash, with an expiry.",
	.epilog = "Exit: 0 done, 1 failed (Kafka or Redis), 2 usage or rule error, 3 too many bad lines.",
	.opts = ovs_table,
};

void ovs_opts_help(FILE *f)
{
	opts_help(&ovs_cmd, f);
}

static int num(const char *flag, const char *s, long long lo, long long hi, long long *out, job_err *e)
{
	return s ? job_parse_int(flag, s, lo, hi, out, e) : 0;
}

int ovs_opts_parse(int argc, char **argv, struct ovs_opts *o, job_err *e)
{
	opt_list_free(&in.kafka_opts);
	memset(&in, 0, sizeof in);
	*o = (struct ovs_opts){ .redis_uri = "redis://127.0.0.1:6379/0", .brokers = "localhost:9092",
				.topic = "SmartCar-Topic", .group = "overspeed", .commit_ms = 1000,
				.rule_poll_ms = 1000, .max_pending = 64, .max_bad_ratio = 0.01 };
	size_t npos;
	int rc = opts_parse(&ovs_cmd, argc, argv, NULL, &npos, e->msg, sizeof e->msg);
	if (rc != OPTS_OK)
		goto out;
	rc = OPTS_USAGE;
	if (num("--session-timeout-ms", in.session_ms, 1000, 3600000, &o->session_ms, e) < 0 ||
	    num("--commit-interval", in.commit_ms, 10, 3600000, &o->commit_ms, e) < 0 ||
	    num("--rule-poll", in.rule_poll_ms, 10, 3600000, &o->rule_poll_ms, e) < 0 ||
	    num("--max-pending", in.max_pending, 1, 1000000, &o->max_pending, e) < 0 ||
	    (in.max_bad_ratio && job_parse_ratio("--max-bad-ratio", in.max_bad_ratio, &o->max_bad_ratio, e) < 0))
		goto out;
	o->rule_path = in.rule;
	if (in.redis)
		o->redis_uri = in.redis;
	if (in.brokers)
		o->brokers = in.brokers;
	if (in.topic)
		o->topic = in.topic;
	if (in.group)
		o->group = in.group;
	o->from_file = in.from_file;
	o->instance = in.instance;
	o->exit_at_eof = in.exit_at_eof;
	char err[512];
	if (kgroup_instance_id(o->instance, o->instance_id, sizeof o->instance_id, err, sizeof err) < 0) {
		job_err_set(e, "%s", err);
		goto out;
	}
	if (in.kafka_config && kconf_load_file(&o->kafka, in.kafka_config, e) < 0)
		goto out;
	for (size_t i = 0; i < in.kafka_opts.n; i++)
		if (kconf_add_arg(&o->kafka, "--kafka-opt", in.kafka_opts.items[i], e) < 0)
			goto out;
	rc = OPTS_OK;
out:
	opt_list_free(&in.kafka_opts);
	return rc;
}

void ovs_opts_free(struct ovs_opts *o)
{
	kconf_free(&o->kafka);
}
