/* t2k_opts.c: tail2kafka's options (t2k_opts.h). Names, defaults and ranges are
 * those of docs/jobs-stream.md. */
#include "jobs/tail2kafka/t2k_opts.h"

#include <string.h>

#include "jobs/tail2kafka/t2k_line.h"
#include "lib/options.h"

/* The table's destinations: the raw strings, checked and converted by
 * t2k_opts_parse. One parse at a time (a process parses its argv once). */
static struct {
	const char *file, *brokers, *topic, *pattern, *position_file, *key_field, *max_inflight, *max_line,
		*poll_ms, *position_ms, *flush_ms, *kafka_config;
	bool once;
	struct opt_list kafka_opts;
} in;

static const struct opt t2k_table[] = {
	{ OPT_STRING, "file", &in.file, "PATH", "the log file to follow (may not exist yet)" },
	{ OPT_STRING, "brokers", &in.brokers, "LIST", "Kafka bootstrap servers" },
	{ OPT_STRING, "topic", &in.topic, "NAME", "topic to produce to (e.g. SmartCar-Topic)" },
	{ OPT_STRING, "pattern", &in.pattern, "REGEX",
	  "POSIX extended regex a line must match (\\d = [0-9]);\ndefault ^[0-9]{14}; other lines are counted as rejected" },
	{ OPT_STRING, "key-field", &in.key_field, "N",
	  "comma-separated field used as message key\n(default 2, car number; 0 = no key)" },
	{ OPT_STRING, "position-file", &in.position_file, "P",
	  "where the acknowledged position is kept (default PATH.pos)" },
	{ OPT_STRING, "max-inflight", &in.max_inflight, "N",
	  "lines read but not yet acknowledged before reading pauses\n(default 30000)" },
	{ OPT_STRING, "max-line-bytes", &in.max_line, "N", "longer lines are rejected (default 1048576)" },
	{ OPT_STRING, "poll-ms", &in.poll_ms, "MS",
	  "at end of file, the longest sleep before looking for new data,\nrotation and truncation; inotify ends it early (default 50)" },
	{ OPT_STRING, "position-interval-ms", &in.position_ms, "MS",
	  "how often the position file is rewritten (default 200)" },
	{ OPT_STRING, "flush-timeout-ms", &in.flush_ms, "MS",
	  "on SIGTERM, how long to wait for deliveries (default 30000)" },
	{ OPT_FLAG, "once", &in.once, NULL,
	  "send what the file holds now, wait for every acknowledgement,\nsave the position and exit (a one-shot catch-up)" },
	{ OPT_STRING, "kafka-config", &in.kafka_config, "FILE",
	  "librdkafka producer properties, key=value lines (secrets go here\nor in -X key=@FILE, never in argv)" },
	{ OPT_LIST, "kafka-opt|X", &in.kafka_opts, "K=V",
	  "a librdkafka producer property; K=@FILE reads the value from FILE" },
	{ OPT_END, NULL, NULL, NULL, NULL },
};

static const struct opts_cmd t2k_cmd = {
	.usage = "tail2kafka --file PATH --brokers HOST:PORT[,...] --topic NAME [options]",
	.description = "Follows PATH like tail -F and sends every line matching the pattern to Kafka.",
	.epilog = "Exit codes: 0 stopped by SIGTERM/SIGINT, 1 failed, 2 usage error.",
	.opts = t2k_table,
};

void t2k_opts_help(FILE *f)
{
	opts_help(&t2k_cmd, f);
}

static int num(const char *flag, const char *s, long long lo, long long hi, long long *out, job_err *e)
{
	return s ? job_parse_int(flag, s, lo, hi, out, e) : 0;
}

int t2k_opts_parse(int argc, char **argv, struct t2k_opts *o, job_err *e)
{
	opt_list_free(&in.kafka_opts);
	memset(&in, 0, sizeof in);
	*o = (struct t2k_opts){ .pattern = T2K_DEFAULT_PATTERN, .key_field = 2, .poll_ms = 50, .position_ms = 200,
				.flush_ms = 30000, .max_inflight = 30000, .max_line = 1 << 20 };
	size_t npos;
	int rc = opts_parse(&t2k_cmd, argc, argv, NULL, &npos, e->msg, sizeof e->msg);
	if (rc != OPTS_OK)
		goto out;
	rc = OPTS_USAGE;
	long long v[6] = { o->key_field, o->max_inflight, (long long)o->max_line, o->poll_ms, o->position_ms,
			   o->flush_ms };
	if (num("--key-field", in.key_field, 0, 1000, &v[0], e) < 0 ||
	    num("--max-inflight", in.max_inflight, 1, 100000000, &v[1], e) < 0 ||
	    num("--max-line-bytes", in.max_line, 16, 100 << 20, &v[2], e) < 0 ||
	    num("--poll-ms", in.poll_ms, 1, 60000, &v[3], e) < 0 ||
	    num("--position-interval-ms", in.position_ms, 0, 3600000, &v[4], e) < 0 ||
	    num("--flush-timeout-ms", in.flush_ms, 0, 3600000, &v[5], e) < 0)
		goto out;
	o->key_field = (int)v[0];
	o->max_inflight = (long)v[1];
	o->max_line = (size_t)v[2];
	o->poll_ms = (int)v[3];
	o->position_ms = (int)v[4];
	o->flush_ms = (int)v[5];
	o->file = in.file;
	o->brokers = in.brokers;
	o->topic = in.topic;
	if (in.pattern)
		o->pattern = in.pattern;
	o->position_file = in.position_file;
	o->once = in.once;
	const char *missing = !o->file ? "--file" : !o->brokers ? "--brokers" : !o->topic ? "--topic" : NULL;
	if (missing) {
		job_err_set(e, "%s is required (see --help)", missing);
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

void t2k_opts_free(struct t2k_opts *o)
{
	kconf_free(&o->kafka);
}
