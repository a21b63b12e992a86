/* k2h_opts.c: kafka2hbase's options (k2h_opts.h). Names, defaults and ranges
 * are those of docs/jobs-stream.md. */
#include "jobs/kafka2hbase/k2h_opts.h"

#include <string.h>

#include "lib/options.h"

/* The table's destinations: the raw strings, checked and converted by
 * k2h_opts_parse. One parse at a time (a process parses its argv once). */
static struct {
	const char *brokers, *topic, *group, *store, *table, *dead_letter, *instance, *batch, *flush_ms,
		*session_ms, *max_backoff_ms, *store_retries, *kafka_config;
	struct opt_list kafka_opts;
} in;

static const struct opt k2h_table[] = {
	{ OPT_STRING, "brokers", &in.brokers, "LIST", "Kafka bootstrap servers" },
	{ OPT_STRING, "topic", &in.topic, "NAME", "topic to consume (e.g. SmartCar-Topic)" },
	{ OPT_STRING, "group", &in.group, "G", "consumer group; instances of one group share partitions" },
	{ OPT_STRING, "store", &in.store, "URI", "sqlite:PATH or hbase://HOST:PORT" },
	{ OPT_STRING, "table", &in.table, "NAME",
	  "row store table (e.g. DriverCarInfo), created with family cf1\nif missing" },
	{ OPT_STRING, "batch", &in.batch, "N", "records per write (default 5000)" },
	{ OPT_STRING, "flush-ms", &in.flush_ms, "MS", "write a partial batch after this long (default 100)" },
	{ OPT_STRING, "dead-letter", &in.dead_letter, "PATH",
	  "append malformed messages here (default: only counted and logged)" },
	{ OPT_STRING, "session-timeout-ms", &in.session_ms, "MS",
	  "Kafka session.timeout.ms (default 45000): how long a crashed\nmember keeps its partitions when static membership cannot help" },
	{ OPT_STRING, "group-instance-id", &in.instance, "ID",
	  "static group membership (KIP-345): auto (default) derives a\nstable id from the task when schedulerd runs the job\n"
	  "(SCHED_DAG_ID.SCHED_TASK_ID.SCHED_RUN_ID), so a restarted\nmember takes its partitions back at once; none = dynamic\n"
	  "membership; or an explicit id (A-Z a-z 0-9 . _ -)" },
	{ OPT_STRING, "max-backoff-ms", &in.max_backoff_ms, "MS", "longest wait between store retries (default 5000)" },
	{ OPT_STRING, "store-retries", &in.store_retries, "N",
	  "tries the store client makes inside one write before kafka2hbase\nbacks off (hbase: default 5)" },
	{ OPT_STRING, "kafka-config", &in.kafka_config, "FILE",
	  "librdkafka consumer properties, key=value lines (secrets go here\nor in -X key=@FILE, never in argv)" },
	{ OPT_LIST, "kafka-opt|X", &in.kafka_opts, "K=V",
	  "a librdkafka consumer property; K=@FILE reads the value from FILE" },
	{ OPT_END, NULL, NULL, NULL, NULL },
};

static const struct opts_cmd k2h_cmd = {
	.usage = "kafka2hbase --brokers LIST --topic NAME --group G --store URI --table NAME [options]",
	.description = "Writes every driver record of a Kafka topic into the row store, at least once.",
	.epilog = "Exit codes: 0 stopped by SIGTERM/SIGINT, 1 failed, 2 usage or configuration error.",
	.opts = k2h_table,
};

void k2h_opts_help(FILE *f)
{
	opts_help(&k2h_cmd, f);
}

static int num(const char *flag, const char *s, long long lo, long long hi, long long *out, job_err *e)
{
	return s ? job_parse_int(flag, s, lo, hi, out, e) : 0;
}

int k2h_opts_parse(int argc, char **argv, struct k2h_opts *o, job_err *e)
{
	opt_list_free(&in.kafka_opts);
	memset(&in, 0, sizeof in);
	*o = (struct k2h_opts){ .batch = 5000, .flush_ms = 100, .max_backoff_ms = 5000, .store_retries = -1 };
	size_t npos;
	int rc = opts_parse(&k2h_cmd, argc, argv, NULL, &npos, e->msg, sizeof e->msg);
	if (rc != OPTS_OK)
		goto out;
	rc = OPTS_USAGE;
	if (num("--batch", in.batch, 1, 1000000, &o->batch, e) < 0 ||
	    num("--flush-ms", in.flush_ms, 1, 3600000, &o->flush_ms, e) < 0 ||
	    num("--session-timeout-ms", in.session_ms, 1000, 3600000, &o->session_ms, e) < 0 ||
	    num("--max-backoff-ms", in.max_backoff_ms, 10, 3600000, &o->max_backoff_ms, e) < 0 ||
	    num("--store-retries", in.store_retries, 0, 100, &o->store_retries, e) < 0)
		goto out;
	o->brokers = in.brokers;
	o->topic = in.topic;
	o->group = in.group;
	o->store = in.store;
	o->table = in.table;
	o->dead_letter = in.dead_letter;
	o->instance = in.instance;
	const char *missing = !o->brokers ? "--brokers" : !o->topic ? "--topic" : !o->group ? "--group"
			    : !o->store ? "--store" : !o->table ? "--table" : NULL;
	if (missing) {
		job_err_set(e, "%s is required (see --help)", missing);
		goto out;
	}
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

void k2h_opts_free(struct k2h_opts *o)
{
	kconf_free(&o->kafka);
}
