/* notify_webhook.c: the webhook channel: one HTTP POST by libcurl.
 *
 * Spec (docs/alerts.md): {"type":"webhook", "url": template,
 * "format": "json" (default: the payload document) | "slack" ({"text": the
 * summary}, what Slack-compatible incoming webhooks take) | "text" (the
 * summary, text/plain), "headers_env": {"Header-Name": "ENV_VAR"} (a token
 * read from the environment at delivery, never stored nor logged),
 * "timeout": duration (10s)}.
 * Every request carries X-Idempotency-Key: <row key>, so a receiver drops
 * the duplicate an at-least-once retry may send. TLS is verified (libcurl's
 * default, never turned off); only http and https, no redirects.
 * Outcome: 2xx delivered; 408, 429, 5xx, a network error or timeout: retry;
 * another status: given up (the request itself is wrong, a retry would be
 * too). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "lib/buf.h"
#include "lib/json.h"
#include "lib/xalloc.h"
#include "scheduler/notify_channel.h"

#define WEBHOOK_TIMEOUT_MS 10000
#define WEBHOOK_ANSWER_MAX 200	/* bytes of an error answer kept in last_error */

static size_t keep_answer(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;
	size_t len = size * n;
	if (b->len < WEBHOOK_ANSWER_MAX)
		buf_add(b, p, len < WEBHOOK_ANSWER_MAX - b->len ? len : WEBHOOK_ANSWER_MAX - b->len);
	return len;
}

/* The request body and its content type, by "format". */
static char *webhook_body(const struct notify_item *it, const char **ctype, char *err, size_t errlen)
{
	const json_t *f = json_object_get(it->channel, "format");
	const char *format = json_is_string(f) ? json_string_value(f) : "json";
	if (strcmp(format, "json") == 0) {
		*ctype = "Content-Type: application/json";
		return xstrdup(it->payload_text);
	}
	char *text = notify_summary(it->payload);
	if (strcmp(format, "text") == 0) {
		*ctype = "Content-Type: text/plain; charset=utf-8";
		return text;
	}
	if (strcmp(format, "slack") == 0) {
		json_t *o = json_object();
		jx_set(o, "text", jx_str(text));
		free(text);
		char *s = jx_dump(o);
		json_decref(o);
		*ctype = "Content-Type: application/json";
		return s;
	}
	free(text);
	snprintf(err, errlen, "webhook format '%s' is not json, slack or text", format);
	return NULL;
}

/* The headers: content type, idempotency key, headers_env. */
static struct curl_slist *webhook_headers(const struct notify_item *it, const char *ctype, char *err,
					  size_t errlen)
{
	struct curl_slist *h = curl_slist_append(NULL, ctype);
	struct buf line = BUF_INIT;
	buf_printf(&line, "X-Idempotency-Key: %s", it->key);
	h = curl_slist_append(h, buf_str(&line));
	const json_t *he = json_object_get(it->channel, "headers_env");
	const char *name;
	const json_t *var;
	json_object_foreach((json_t *)he, name, var) {
		const char *v = json_is_string(var) ? getenv(json_string_value(var)) : NULL;
		if (!v || strpbrk(name, ":\r\n") || strpbrk(v, "\r\n")) {
			if (!json_is_string(var))
				snprintf(err, errlen, "headers_env.%s is not the name of an environment variable", name);
			else if (!v)
				snprintf(err, errlen, "headers_env.%s: environment variable %s is not set", name,
					 json_string_value(var));
			else
				snprintf(err, errlen, "headers_env.%s: the name or the value has a line break or ':'",
					 name);
			curl_slist_free_all(h);
			buf_free(&line);
			return NULL;
		}
		buf_reset(&line);
		buf_printf(&line, "%s: %s", name, v);
		h = curl_slist_append(h, buf_str(&line));
	}
	/* The header holding a secret is not kept in this process's heap longer
	 * than needed: curl_slist_append copied it. */
	if (line.s)
		memset(line.s, 0, line.len);
	buf_free(&line);
	return h;
}

enum notify_outcome notify_webhook_deliver(const struct notify_item *it, char *err, size_t errlen)
{
	char *url = notify_render_field(it, "url", 1, err, errlen);
	if (!url)
		return NOTIFY_GIVE_UP;
	if (!*url) {
		free(url);
		snprintf(err, errlen, "url renders empty: channel disabled");
		return NOTIFY_SKIPPED;
	}
	int64_t timeout_ms = notify_duration_field(it->channel, "timeout", WEBHOOK_TIMEOUT_MS, err, errlen);
	const char *ctype = NULL;
	char *body = timeout_ms < 0 ? NULL : webhook_body(it, &ctype, err, errlen);
	struct curl_slist *hdrs = body ? webhook_headers(it, ctype, err, errlen) : NULL;
	if (!hdrs) {
		free(url);
		free(body);
		return NOTIFY_GIVE_UP;
	}
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, errlen, "curl_easy_init failed");
		free(url);
		free(body);
		curl_slist_free_all(hdrs);
		return NOTIFY_RETRY;
	}
	struct buf answer = BUF_INIT;
	char cerr[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "schedulerd-notify");
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(timeout_ms < 5000 ? timeout_ms : 5000));
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_answer);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	enum notify_outcome out;
	if (rc != CURLE_OK) {
		/* curl's message may name the host, never the query (no secret in
		 * the error): the URL itself is not repeated. */
		snprintf(err, errlen, "webhook: %s", cerr[0] ? cerr : curl_easy_strerror(rc));
		out = rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT ? NOTIFY_GIVE_UP : NOTIFY_RETRY;
	} else if (status >= 200 && status < 300) {
		out = NOTIFY_DELIVERED;
	} else {
		for (size_t i = 0; i < answer.len; i++)
			if ((unsigned char)answer.s[i] < 0x20)
				answer.s[i] = ' ';
		while (answer.len && answer.s[answer.len - 1] == ' ')
			buf_truncate(&answer, answer.len - 1);
		snprintf(err, errlen, "webhook: HTTP %ld%s%s", status, answer.len ? ": " : "", buf_str(&answer));
		out = status == 408 || status == 429 || status >= 500 ? NOTIFY_RETRY : NOTIFY_GIVE_UP;
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	buf_free(&answer);
	free(body);
	free(url);
	return out;
}
