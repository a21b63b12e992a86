/* kconf.h: the librdkafka properties of every Kafka client job (tail2kafka,
 * kafka2hbase, overspeed), from the command line without putting secrets in
 * argv (where `ps` and /proc/PID/cmdline show them to every user):
 *
 *   --kafka-config FILE   a properties file: "key=value" lines, '#' comment
 *                         lines, blank lines; spaces around key and value are
 *                         trimmed; a bad line is an error naming FILE:LINE.
 *   -X key=value          one property (repeatable);
 *   -X key=@FILE          the value is FILE's content, one trailing newline
 *                         (\n or \r\n) stripped: sasl.password=@/run/secrets/kafka.
 *
 * Order: the file's properties first, then every -X in the order given, so a
 * -X overrides the file. Values are never logged: an error names the file,
 * line or key, never the value (librdkafka's own message is dropped when it
 * quotes the value). Invariant: keys and values are owned copies, so the
 * caller may wipe nothing and argv may be reused. */
#ifndef JOB_KCONF_H
#define JOB_KCONF_H

#include <stddef.h>

#include <librdkafka/rdkafka.h>

#include "jobs/common/job.h"

#define KCONF_MAX_VALUE (64 * 1024)	/* longest value from a file (@FILE or line) */

struct kconf {
	char **keys, **vals;
	size_t n;
};

/* Adds the properties of a properties file. 0, or -1 with e naming file:line. */
int kconf_load_file(struct kconf *k, const char *path, job_err *e);
/* Adds "key=value" or "key=@FILE" (flag names the option in errors). */
int kconf_add_arg(struct kconf *k, const char *flag, const char *kv, job_err *e);
/* Sets every property on conf in order; -1 with e naming the key. */
int kconf_apply(const struct kconf *k, rd_kafka_conf_t *conf, job_err *e);
void kconf_free(struct kconf *k);

#endif
