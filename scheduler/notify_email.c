/* notify_email.c: the email channel: one message by libcurl's SMTP.
 *
 * Spec (docs/alerts.md): {"type":"email", "smtp": template URL
 * (smtp://host:port or smtps://host:port), "from": address, "to": [address,
 * ...], "subject": template ("[{{ event }}] {{ dag_id }}" by default),
 * "body": template (the summary by default), "starttls": true (smtp:// must
 * upgrade with STARTTLS or the attempt fails, curl's --ssl-reqd; the
 * default when credentials are sent) | false (plain SMTP, for a relay on
 * loopback); absent and no credentials: upgraded when the server offers it, "user_env",
 * "password_env": the names of the environment variables holding the AUTH
 * credentials (never in the DAG, the row, argv or a log), "timeout"
 * duration (30s)}.
 * The message (RFC 5322): Date, From, To, Subject, Message-ID derived from
 * the row key (the same notification sent twice has the same id, so a
 * mail system can drop the duplicate), MIME-Version, a UTF-8 text/plain
 * body with CRLF line ends (libcurl dot-stuffs lines starting with '.').
 * Outcome: delivered when the server accepted DATA; a 5xx answer to MAIL,
 * RCPT or DATA (the address is refused) or a template error: given up;
 * anything else (connection, TLS, 4xx, AUTH): retry. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "lib/buf.h"
#include "lib/xalloc.h"
#include "scheduler/notify_channel.h"

#define EMAIL_TIMEOUT_MS 30000

struct upload {
	const char *p;
	size_t left;
};

static size_t read_message(char *dst, size_t size, size_t n, void *ud)
{
	struct upload *u = ud;
	size_t k = size * n < u->left ? size * n : u->left;
	memcpy(dst, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

/* A header value must not end the header (injection of another one). */
static int header_safe(const char *v)
{
	return !strpbrk(v, "\r\n");
}

/* <key, its bytes outside [A-Za-z0-9._-] as =XX>@schedulerd */
static void email_message_id(struct buf *b, const char *key)
{
	buf_puts(b, "<");
	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		    *p == '-' || *p == '_')
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "=%02X", *p);
	}
	buf_puts(b, "@schedulerd>");
}

static void add_crlf_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n' && (b->len == 0 || b->s[b->len - 1] != '\r'))
			buf_putc(b, '\r');
		buf_putc(b, *s);
	}
}

static int email_message(struct buf *m, const struct notify_item *it, const char *from,
			 const struct curl_slist *to, char *err, size_t errlen)
{
	char *subject = notify_render_field(it, "subject", 0, err, errlen);
	if (!subject && err[0])
		return -1;
	if (!subject) {
		const char *ev = json_string_value(json_object_get(it->payload, "event"));
		const char *dag = json_string_value(json_object_get(it->payload, "dag_id"));
		struct buf s = BUF_INIT;
		buf_printf(&s, "[%s] %s", ev ? ev : "notification", dag ? dag : "?");
		const char *task = json_string_value(json_object_get(it->payload, "task_id"));
		if (task)
			buf_printf(&s, ".%s", task);
		subject = buf_detach(&s);
	}
	char *body = notify_render_field(it, "body", 0, err, errlen);
	if (!body && err[0]) {
		free(subject);
		return -1;
	}
	if (!body)
		body = notify_summary(it->payload);
	if (!header_safe(subject)) {
		snprintf(err, errlen, "subject renders with a line break");
		free(subject);
		free(body);
		return -1;
	}
	char date[64];
	time_t now = (time_t)(it->now_us / 1000000);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_printf(m, "Date: %s\r\nFrom: <%s>\r\nTo: ", date, from);
	for (const struct curl_slist *r = to; r; r = r->next)
		buf_printf(m, "%s<%s>", r == to ? "" : ", ", r->data);
	buf_printf(m, "\r\nSubject: %s\r\nMessage-ID: ", subject);
	email_message_id(m, it->key);
	buf_puts(m, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: 8bit\r\n");
	buf_printf(m, "X-Idempotency-Key: %s\r\n\r\n", it->key);
	add_crlf_text(m, body);
	buf_puts(m, "\r\n");
	free(subject);
	free(body);
	return 0;
}

static const char *env_of(const json_t *channel, const char *key, int *bad)
{
	const json_t *v = json_object_get(channel, key);
	if (!v || json_is_null(v))
		return NULL;
	const char *var = json_string_value(v);
	const char *val = var ? getenv(var) : NULL;
	if (!val)
		*bad = 1;
	return val;
}

/* The recipients, each checked (an address, no line break, no <>). */
static struct curl_slist *email_recipients(const struct notify_item *it, char *err, size_t errlen)
{
	const json_t *to = json_object_get(it->channel, "to");
	if (json_is_string(to)) {
		json_t *one = json_array();
		json_array_append(one, (json_t *)to);
		struct notify_item i2 = *it;
		json_t *c2 = json_deep_copy(it->channel);
		json_object_set_new(c2, "to", one);
		i2.channel = c2;
		struct curl_slist *r = email_recipients(&i2, err, errlen);
		json_decref(c2);
		return r;
	}
	struct curl_slist *list = NULL;
	size_t i;
	const json_t *v;
	json_array_foreach(to, i, v) {
		char e[NOTIFY_ERR_MAX];
		char *a = json_is_string(v) ? notify_render(json_string_value(v), it->payload, e, sizeof e) : NULL;
		if (!a || !strchr(a, '@') || strpbrk(a, "\r\n<>, ")) {
			if (!json_is_string(v))
				snprintf(err, errlen, "to[%zu] is not a string", i);
			else if (!a)
				snprintf(err, errlen, "to[%zu]: %s", i, e);
			else
				snprintf(err, errlen, "to[%zu] is not an email address", i);
			free(a);
			curl_slist_free_all(list);
			return NULL;
		}
		list = curl_slist_append(list, a);
		free(a);
	}
	if (!list)
		snprintf(err, errlen, "channel has no 'to'");
	return list;
}

enum notify_outcome notify_email_deliver(const struct notify_item *it, char *err, size_t errlen)
{
	char *url = notify_render_field(it, "smtp", 1, err, errlen);
	if (!url)
		return NOTIFY_GIVE_UP;
	if (!*url) {
		free(url);
		snprintf(err, errlen, "smtp renders empty: channel disabled");
		return NOTIFY_SKIPPED;
	}
	enum notify_outcome out = NOTIFY_GIVE_UP;
	struct curl_slist *to = NULL;
	struct buf msg = BUF_INIT;
	CURL *c = NULL;
	char *from = notify_render_field(it, "from", 1, err, errlen);
	if (!from)
		goto done;
	if (!strchr(from, '@') || strpbrk(from, "\r\n<>, ")) {
		snprintf(err, errlen, "from is not an email address");
		goto done;
	}
	if (strncmp(url, "smtp://", 7) != 0 && strncmp(url, "smtps://", 8) != 0) {
		snprintf(err, errlen, "smtp is not an smtp:// or smtps:// URL");
		goto done;
	}
	int64_t timeout_ms = notify_duration_field(it->channel, "timeout", EMAIL_TIMEOUT_MS, err, errlen);
	if (timeout_ms < 0 || !(to = email_recipients(it, err, errlen)) ||
	    email_message(&msg, it, from, to, err, errlen) < 0)
		goto done;
	int bad = 0;
	const char *user = env_of(it->channel, "user_env", &bad);
	const char *pass = env_of(it->channel, "password_env", &bad);
	if (bad) {
		snprintf(err, errlen, "user_env or password_env names an environment variable that is not set");
		goto done;
	}
	/* TLS: smtps:// always; smtp:// upgrades with STARTTLS when the server
	 * offers it, and must (or the attempt fails) when "starttls": true or
	 * when credentials are sent: a password never crosses in clear unless
	 * "starttls": false says so (a relay on loopback). */
	const json_t *st = json_object_get(it->channel, "starttls");
	long use_ssl = json_is_true(st) || (!json_is_false(st) && (user || pass)) ? (long)CURLUSESSL_ALL
		     : json_is_false(st)				       ? (long)CURLUSESSL_NONE
										       : (long)CURLUSESSL_TRY;
	c = curl_easy_init();
	if (!c) {
		snprintf(err, errlen, "curl_easy_init failed");
		out = NOTIFY_RETRY;
		goto done;
	}
	struct upload up = { msg.s, msg.len };
	char cerr[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, to);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_INFILESIZE, (long)msg.len);
	curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl);
	if (user)
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
	if (pass)
		curl_easy_setopt(c, CURLOPT_PASSWORD, pass);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK) {
		out = NOTIFY_DELIVERED;
	} else {
		snprintf(err, errlen, "email: %s (SMTP %ld)", cerr[0] ? cerr : curl_easy_strerror(rc), code);
		out = (rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR || code < 500) ? NOTIFY_RETRY
											  : NOTIFY_GIVE_UP;
		if (rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT)
			out = NOTIFY_GIVE_UP;
	}
done:
	if (c)
		curl_easy_cleanup(c);
	curl_slist_free_all(to);
	buf_free(&msg);
	free(from);
	free(url);
	return out;
}
