/* notify_channel.h: the channels that deliver one outbox row
 * (notify_webhook.c, notify_email.c, notify_command.c) and the template
 * renderer they share (notify_template.c). Called by the sender worker
 * (notify_send.c) only, outside any transaction.
 *
 * A channel's spec is the row's `channel` JSON as the DAG file wrote it
 * (templates not rendered, docs/alerts.md); every template is rendered here,
 * at delivery, from the row's payload and the worker's environment (the
 * daemon's), so no secret from the environment is ever stored. */
#ifndef SCHED_NOTIFY_CHANNEL_H
#define SCHED_NOTIFY_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* What an attempt came to; notify_send.c makes the transition. */
enum notify_outcome {
	NOTIFY_DELIVERED,	/* the receiver took it (2xx, 250 after DATA, exit 0) */
	NOTIFY_RETRY,		/* failed for now (5xx, network, timeout, exit != 0): try again later */
	NOTIFY_GIVE_UP,		/* cannot ever succeed as written (a template error, a 4xx, a bad spec) */
	NOTIFY_SKIPPED,		/* the channel's endpoint renders empty: disabled (etc/pipeline.env) */
};

struct notify_item {
	const char *key;	/* the stable idempotency id */
	const json_t *channel;	/* the spec */
	const json_t *payload;	/* the fields templates read */
	const char *payload_text;	/* its JSON text, as stored */
	int64_t now_us;
};

#define NOTIFY_ERR_MAX 512

/* Each returns the outcome, with err saying why when it is not DELIVERED
 * (never a secret: no header value, no password, no rendered URL query). */
enum notify_outcome notify_webhook_deliver(const struct notify_item *it, char *err, size_t errlen);
enum notify_outcome notify_email_deliver(const struct notify_item *it, char *err, size_t errlen);
enum notify_outcome notify_command_deliver(const struct notify_item *it, char *err, size_t errlen);

/* Renders the {{ name }} templates of s: name is a top-level field of
 * payload (a string as is, a number or boolean in JSON form, null as "") or
 * env.NAME (the environment; unset is an error). Returns a malloc'd string,
 * or NULL with err naming the template ("unknown name 'dagid'"). */
char *notify_render(const char *s, const json_t *payload, char *err, size_t errlen);

/* The channel's string field key rendered (NULL with err when absent and
 * required, or when it does not render); *absent set when it is not there. */
char *notify_render_field(const struct notify_item *it, const char *key, int required, char *err,
			  size_t errlen);

/* A channel's optional duration field ("30s"), in ms; def when absent; -1
 * with err when malformed. */
int64_t notify_duration_field(const json_t *channel, const char *key, int64_t def, char *err, size_t errlen);

/* The one-paragraph human text of a notification (Slack's "text", a plain
 * text webhook, the default email body). Malloc'd. */
char *notify_summary(const json_t *payload);

#endif
