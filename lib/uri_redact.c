/* uri_redact.c: secrets out of logged URIs; see uri_redact.h.
 * Invariant: no byte of a password or a secret parameter's value reaches out,
 * even when out is too small (the cut happens after redaction). */
#include "lib/uri_redact.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

struct out {
	char *s;
	size_t n, len;	/* len < n; s[len] is the NUL */
	int cut;
};

static void put(struct out *o, const char *p, size_t k)
{
	if (o->cut)
		return;
	if (k >= o->n - o->len) {
		/* no room: keep what fits, leaving 3 bytes for "..." */
		size_t room = o->n - 1 - o->len;
		size_t keep = room > 3 ? room - 3 : 0;
		if (keep > k)
			keep = k;
		memcpy(o->s + o->len, p, keep);
		o->len += keep;
		size_t dots = o->n - 1 - o->len < 3 ? o->n - 1 - o->len : 3;
		memcpy(o->s + o->len, "...", dots);
		o->len += dots;
		o->cut = 1;
	} else {
		memcpy(o->s + o->len, p, k);
		o->len += k;
	}
	o->s[o->len] = 0;
}

static void puts_(struct out *o, const char *p) { put(o, p, strlen(p)); }

int uri_secret_param(const char *k, size_t kl)
{
	static const char *const words[] = { "pass", "pwd", "secret", "token", "credential", "delegation" };
	for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
		size_t wl = strlen(words[w]);
		for (size_t i = 0; i + wl <= kl; i++)
			if (strncasecmp(k + i, words[w], wl) == 0)
				return 1;
	}
	return 0;
}

/* q points after '?', end at '#' or the NUL. */
static void put_query(struct out *o, const char *q, const char *end)
{
	while (q < end) {
		const char *amp = memchr(q, '&', (size_t)(end - q));
		const char *pe = amp ? amp : end;
		const char *eq = memchr(q, '=', (size_t)(pe - q));
		if (eq && uri_secret_param(q, (size_t)(eq - q))) {
			put(o, q, (size_t)(eq - q) + 1);
			puts_(o, "***");
		} else {
			put(o, q, (size_t)(pe - q));
		}
		if (amp)
			put(o, "&", 1);
		q = amp ? amp + 1 : end;
	}
}

/* Where the authority starts (after "scheme://"), or NULL. */
static const char *authority(const char *uri)
{
	const char *sep = strstr(uri, "://");
	if (!sep || sep == uri)
		return NULL;
	for (const char *p = uri; p < sep; p++)
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.')
			return NULL;
	return sep + 3;
}

int uri_has_userinfo(const char *uri)
{
	const char *a = uri ? authority(uri) : NULL;
	if (!a)
		return 0;
	size_t al = strcspn(a, "/?#");
	return memchr(a, '@', al) != NULL;
}

const char *uri_redact(const char *uri, char *out, size_t n)
{
	struct out o = { out, n, 0, 0 };
	out[0] = 0;
	if (!uri)
		return out;
	const char *p = uri, *a = authority(uri);
	if (a) {
		put(&o, uri, (size_t)(a - uri));
		size_t al = strcspn(a, "/?#");
		const char *at = NULL;
		for (const char *q = a; q < a + al; q++)
			if (*q == '@')
				at = q;	/* the last '@': a password may hold one */
		if (at) {
			const char *colon = memchr(a, ':', (size_t)(at - a));
			if (colon && colon > a)
				put(&o, a, (size_t)(colon - a) + 1);
			puts_(&o, "***");
			p = at;	/* "@host..." */
		} else {
			p = a;
		}
	}
	const char *qm = strchr(p, '?');
	if (!qm) {
		puts_(&o, p);
		return out;
	}
	put(&o, p, (size_t)(qm - p) + 1);
	const char *hash = strchr(qm, '#');
	const char *qend = hash ? hash : qm + strlen(qm);
	put_query(&o, qm + 1, qend);
	puts_(&o, qend);
	return out;
}
