/* fuzz_web_auth.c: what schedweb parses before anyone is authenticated.
 * The whole input goes to the users file parser (ui-web/users.c: a file
 * taken is formatted and read back to the same text), as a Cookie header to
 * auth_cookie_value, as an Authorization header to auth_parse_basic and as
 * a URL to web_decode (path and query rules) and as a query string to
 * web_parse_query. Checks besides the sanitizers:
 * a decoded value is never longer than its source and holds no '%' escape
 * left undone; Basic's user never holds ':' or a control byte. Token checks
 * (users_check_token) get the input against a file of one token. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "ui-web/auth.h"
#include "ui-web/server.h"
#include "ui-web/users.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct users u;
	char err[256];
	if (users_parse(text, size, &u, err, sizeof err) == 0) {
		struct buf a = BUF_INIT, b = BUF_INIT;
		users_format(&u, &a);
		struct users v;
		if (users_parse(a.s, a.len, &v, err, sizeof err) != 0)
			abort();
		users_format(&v, &b);
		if (a.len != b.len || memcmp(a.s, b.s, a.len) != 0)
			abort();
		users_free(&v);
		buf_free(&a);
		buf_free(&b);
		users_free(&u);
	} else if (!err[0]) {
		abort();
	}

	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	char v[128];
	if (auth_cookie_value(s, AUTH_COOKIE, v, sizeof v) && strlen(v) >= sizeof v)
		abort();
	char user[USERS_NAME_MAX + 2], pass[USERS_PASSWORD_MAX + 2];
	if (auth_parse_basic(s, user, sizeof user, pass, sizeof pass)) {
		if (strchr(user, ':'))
			abort();
		for (const char *p = user; *p; p++)
			if ((unsigned char)*p < 0x20)
				abort();
	}
	char *dec = malloc(size + 1);
	for (int plus = 0; plus < 2; plus++) {
		long n = web_decode(s, size, dec, plus);
		if (n > (long)size)
			abort();
	}
	free(dec);
	struct web_query_pair *pairs = NULL;
	size_t np = 0;
	int qrc = web_parse_query(s, &pairs, &np);
	for (size_t i = 0; i < np; i++) {
		if (qrc == 0 && (strlen(pairs[i].name) > size || strlen(pairs[i].value) > size))
			abort();
		free(pairs[i].name);
		free(pairs[i].value);
	}
	free(pairs);

	static struct users one;
	static char tok[USERS_TOKEN_LEN + 1];
	if (!one.nuser) {
		users_crypto_init();
		struct users_user x = { .name = "a", .role = WEB_ROLE_VIEWER, .pwhash = "$argon2id$x" };
		one.user = malloc(sizeof x);
		one.user[0] = x;
		one.nuser = 1;
		users_token_create(&one, "a", tok, sizeof tok, err, sizeof err);
	}
	const struct users_user *who = users_check_token(&one, s);
	if (who && strcmp(s, tok) != 0)
		abort();
	free(s);
	return 0;
}
