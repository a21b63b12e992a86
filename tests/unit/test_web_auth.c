/* test_web_auth.c: schedweb's users file (ui-web/users.c), the credential
 * parsers of ui-web/auth.c and URL percent-decoding (ui-web/urldecode.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/buf.h"
#include "ui-web/auth.h"
#include "ui-web/server.h"
#include "ui-web/users.h"

#define HASH "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
#define HEX64 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static void parse_err(const char *text, const char *want)
{
	struct users u;
	char err[256] = "";
	assert_int_equal(users_parse(text, strlen(text), &u, err, sizeof err), -1);
	if (!strstr(err, want))
		fail_msg("error '%s' does not say '%s'", err, want);
	assert_int_equal(u.nuser, 0);
	assert_null(u.user);
}

static void test_parse_good(void **state)
{
	(void)state;
	const char *text = "# comment\n\nuser alice admin " HASH "\nuser bob viewer " HASH
			   "\ntoken 0123456789abcdef bob " HEX64 " 1700000000000000\n";
	struct users u;
	char err[256];
	assert_int_equal(users_parse(text, strlen(text), &u, err, sizeof err), 0);
	assert_int_equal(u.nuser, 2);
	assert_int_equal(u.ntoken, 1);
	assert_int_equal(users_find(&u, "alice")->role, WEB_ROLE_ADMIN);
	assert_int_equal(users_find(&u, "bob")->role, WEB_ROLE_VIEWER);
	assert_null(users_find(&u, "carol"));
	assert_string_equal(u.token[0].user, "bob");
	/* formatted back, it reads the same */
	struct buf b = BUF_INIT;
	users_format(&u, &b);
	struct users v;
	assert_int_equal(users_parse(b.s, b.len, &v, err, sizeof err), 0);
	struct buf b2 = BUF_INIT;
	users_format(&v, &b2);
	assert_string_equal(b.s, b2.s);
	buf_free(&b);
	buf_free(&b2);
	users_free(&v);
	users_free(&u);
}

static void test_parse_bad(void **state)
{
	(void)state;
	parse_err("admin alice " HASH "\n", "line 1: unknown record");
	parse_err("user alice root " HASH "\n", "line 1: unknown role 'root'");
	parse_err("\nuser al/ice admin " HASH "\n", "line 2: bad user name");
	parse_err("user alice admin $2b$10$bcrypt\n", "not an Argon2id string");
	parse_err("user alice admin " HASH "\nuser alice viewer " HASH "\n", "line 2: user 'alice' twice");
	parse_err("user alice admin\n", "4 fields");
	parse_err("user alice  admin " HASH "\n", "fields");
	parse_err("user alice admin " HASH " extra x y\n", "unknown record");
	parse_err("token 0123456789abcdef nobody " HEX64 " 1\n", "unknown user 'nobody'");
	parse_err("user a viewer " HASH "\ntoken 0123456789ABCDEF a " HEX64 " 1\n", "bad or repeated token id");
	parse_err("user a viewer " HASH "\ntoken 0123456789abcdef a 00 1\n", "64 hex digits");
	parse_err("user a viewer " HASH "\ntoken 0123456789abcdef a " HEX64 " -1\n", "bad creation time");
	parse_err("user a viewer " HASH "\r\n", "carriage return");
	struct users u;
	char err[256];
	assert_int_equal(users_parse("user a\0 viewer", 14, &u, err, sizeof err), -1);
	assert_non_null(strstr(err, "NUL"));
}

static void test_add_check_token(void **state)
{
	(void)state;
	assert_int_equal(users_crypto_init(), 0);
	struct users u = { 0 };
	char err[256];
	assert_int_equal(users_add(&u, "alice", WEB_ROLE_OPERATOR, "correct horse", err, sizeof err), 0);
	assert_int_equal(users_add(&u, "alice", WEB_ROLE_VIEWER, "correct horse", err, sizeof err), -1);
	assert_int_equal(users_add(&u, "bob", WEB_ROLE_VIEWER, "short", err, sizeof err), -1);
	assert_non_null(strstr(err, "password must be"));
	assert_int_equal(users_add(&u, "b b", WEB_ROLE_VIEWER, "long enough", err, sizeof err), -1);
	assert_ptr_equal(users_check_password(&u, "alice", "correct horse"), &u.user[0]);
	assert_null(users_check_password(&u, "alice", "correct horsE"));
	assert_null(users_check_password(&u, "nobody", "correct horse"));
	assert_null(strstr(u.user[0].pwhash, "horse"));

	char tok[USERS_TOKEN_LEN + 1];
	assert_int_equal(users_token_create(&u, "nobody", tok, sizeof tok, err, sizeof err), -1);
	assert_int_equal(users_token_create(&u, "alice", tok, sizeof tok, err, sizeof err), 0);
	assert_int_equal(strlen(tok), USERS_TOKEN_LEN);
	assert_ptr_equal(users_check_token(&u, tok), &u.user[0]);
	char bad[USERS_TOKEN_LEN + 1];
	memcpy(bad, tok, sizeof bad);
	bad[USERS_TOKEN_LEN - 1] ^= 1;
	assert_null(users_check_token(&u, bad));
	assert_null(users_check_token(&u, "swt_"));
	assert_null(users_check_token(&u, ""));
	char id[USERS_TOKEN_ID_LEN + 1];
	memcpy(id, tok + 4, USERS_TOKEN_ID_LEN);
	id[USERS_TOKEN_ID_LEN] = '\0';
	assert_int_equal(users_token_revoke(&u, id), 0);
	assert_null(users_check_token(&u, tok));
	assert_int_equal(users_token_revoke(&u, id), -1);

	/* deleting a user takes their tokens */
	assert_int_equal(users_token_create(&u, "alice", tok, sizeof tok, err, sizeof err), 0);
	assert_int_equal(users_delete(&u, "alice"), 0);
	assert_int_equal(u.ntoken, 0);
	assert_int_equal(users_delete(&u, "alice"), -1);
	users_free(&u);
}

static void test_save_mode_and_load(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_web_auth.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/users", dir);
	struct users u = { 0 }, v;
	char err[256];
	assert_int_equal(users_load(path, &v, err, sizeof err), 0);	/* missing: empty */
	assert_int_equal(v.nuser, 0);
	mode_t old = umask(0);
	assert_int_equal(users_add(&u, "alice", WEB_ROLE_ADMIN, "12345678", err, sizeof err), 0);
	assert_int_equal(users_save(path, &u, err, sizeof err), 0);
	umask(old);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(users_load(path, &v, err, sizeof err), 0);
	assert_int_equal(v.nuser, 1);
	assert_string_equal(v.user[0].pwhash, u.user[0].pwhash);
	users_free(&v);
	users_free(&u);
	unlink(path);
	rmdir(dir);
}

static void test_cookie_value(void **state)
{
	(void)state;
	char v[64];
	assert_true(auth_cookie_value("a=1; schedweb_session=abc; b=2", "schedweb_session", v, sizeof v));
	assert_string_equal(v, "abc");
	assert_true(auth_cookie_value("schedweb_session=\"q\"", "schedweb_session", v, sizeof v));
	assert_string_equal(v, "q");
	assert_false(auth_cookie_value("xschedweb_session=abc", "schedweb_session", v, sizeof v));
	assert_false(auth_cookie_value("schedweb_sessionx=abc", "schedweb_session", v, sizeof v));
	assert_false(auth_cookie_value("", "schedweb_session", v, sizeof v));
	assert_false(auth_cookie_value("schedweb_session=0123456789", "schedweb_session", v, 5));
	assert_true(auth_cookie_value(";;schedweb_session=;", "schedweb_session", v, sizeof v) == false ||
		    v[0] == '\0');
}

static void test_parse_basic(void **state)
{
	(void)state;
	char u[66], p[1026];
	assert_true(auth_parse_basic("Basic YWxpY2U6czNjcjN0", u, sizeof u, p, sizeof p));	/* alice:s3cr3t */
	assert_string_equal(u, "alice");
	assert_string_equal(p, "s3cr3t");
	assert_true(auth_parse_basic("basic YTpiOmM=", u, sizeof u, p, sizeof p));	/* a:b:c */
	assert_string_equal(u, "a");
	assert_string_equal(p, "b:c");
	assert_false(auth_parse_basic("Basic YWxpY2U=", u, sizeof u, p, sizeof p));	/* no ':' */
	assert_false(auth_parse_basic("Basic !!!", u, sizeof u, p, sizeof p));
	assert_false(auth_parse_basic("Bearer YTpi", u, sizeof u, p, sizeof p));
	assert_false(auth_parse_basic("Basic ", u, sizeof u, p, sizeof p));
	assert_false(auth_parse_basic("Basic YQA6Yg==", u, sizeof u, p, sizeof p));	/* a\0:b */
}

static void test_decode(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(web_decode("a%2Fb", 5, out, false), 3);
	assert_string_equal(out, "a/b");
	assert_int_equal(web_decode("a+b%20c", 7, out, true), 5);
	assert_string_equal(out, "a b c");
	assert_int_equal(web_decode("a+b", 3, out, false), 3);
	assert_string_equal(out, "a+b");
	assert_int_equal(web_decode("%zz", 3, out, false), -1);
	assert_int_equal(web_decode("%4", 2, out, false), -1);
	assert_int_equal(web_decode("%", 1, out, false), -1);
	assert_int_equal(web_decode("x%00y", 5, out, false), 3);	/* a NUL decodes; the server refuses it */
	assert_int_equal(strlen(out), 1);
}

static void test_query(void **state)
{
	(void)state;
	struct web_query_pair *p = NULL;
	size_t n = 0;
	assert_int_equal(web_parse_query("state=a&state=b+c&&limit=25&flag&x=%2F", &p, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(p[0].name, "state");
	assert_string_equal(p[0].value, "a");
	assert_string_equal(p[1].value, "b c");
	assert_string_equal(p[2].name, "limit");
	assert_string_equal(p[3].name, "flag");
	assert_string_equal(p[3].value, "");
	assert_string_equal(p[4].value, "/");
	for (size_t i = 0; i < n; i++)
		free(p[i].name), free(p[i].value);
	free(p);
	p = NULL, n = 0;
	assert_int_equal(web_parse_query("a=%zz&b=%00", &p, &n), -1);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].value, "");	/* a string still */
	for (size_t i = 0; i < n; i++)
		free(p[i].name), free(p[i].value);
	free(p);
}

/* auth.c as the server drives it, over a users file in a scratch directory:
 * Basic, tokens and a revocation seen at the next request, sessions and
 * CSRF, sign-out, the failed-login limit per address. One auth state per
 * process, so one test. */
static void test_auth_flow(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_web_auth.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/users", dir);
	struct users u = { 0 };
	char err[256], tok[USERS_TOKEN_LEN + 1];
	assert_int_equal(users_add(&u, "alice", WEB_ROLE_OPERATOR, "alice-pass", err, sizeof err), 0);
	assert_int_equal(users_token_create(&u, "alice", tok, sizeof tok, err, sizeof err), 0);
	assert_int_equal(users_save(path, &u, err, sizeof err), 0);
	struct auth_config c = { path, false, false };
	assert_int_equal(auth_init(&c, err, sizeof err), 0);

	struct auth_who who;
	char detail[256], hdr[256];
	/* nothing: no one */
	assert_int_equal(auth_identify(NULL, NULL, NULL, "10.0.0.1", false, &who, detail, sizeof detail), AUTH_NONE);
	/* Basic alice:alice-pass */
	assert_int_equal(auth_identify("Basic YWxpY2U6YWxpY2UtcGFzcw==", NULL, NULL, "10.0.0.1", true, &who, detail,
				       sizeof detail),
			 AUTH_OK);
	assert_string_equal(who.name, "alice");
	assert_int_equal(who.role, WEB_ROLE_OPERATOR);
	assert_false(who.cookie);
	/* the token, then revoked in the file: refused at the next request */
	snprintf(hdr, sizeof hdr, "Bearer %s", tok);
	assert_int_equal(auth_identify(hdr, NULL, NULL, "10.0.0.1", false, &who, detail, sizeof detail), AUTH_OK);
	char id[USERS_TOKEN_ID_LEN + 1];
	memcpy(id, tok + 4, USERS_TOKEN_ID_LEN);
	id[USERS_TOKEN_ID_LEN] = '\0';
	assert_int_equal(users_token_revoke(&u, id), 0);
	assert_int_equal(users_save(path, &u, err, sizeof err), 0);
	assert_int_equal(auth_identify(hdr, NULL, NULL, "10.0.0.9", false, &who, detail, sizeof detail), AUTH_BAD);

	/* a session: reads without the token, writes only with it */
	char cookie[256];
	assert_int_equal(auth_login("alice", "alice-pass", "10.0.0.2", &who, cookie, sizeof cookie, detail, sizeof detail),
			 AUTH_OK);
	assert_non_null(strstr(cookie, "HttpOnly"));
	assert_non_null(strstr(cookie, "SameSite=Strict"));
	assert_null(strstr(cookie, "Secure"));
	char csrf[AUTH_CSRF_LEN + 1];
	memcpy(csrf, who.csrf, sizeof csrf);
	char req_cookie[300];
	*strchr(cookie, ';') = '\0';	/* "schedweb_session=..." as a browser sends it back */
	snprintf(req_cookie, sizeof req_cookie, "theme=dark; %s", cookie);
	assert_int_equal(auth_identify(NULL, req_cookie, NULL, "10.0.0.2", false, &who, detail, sizeof detail), AUTH_OK);
	assert_true(who.cookie);
	assert_string_equal(who.csrf, csrf);
	assert_int_equal(auth_identify(NULL, req_cookie, NULL, "10.0.0.2", true, &who, detail, sizeof detail), AUTH_CSRF);
	assert_int_equal(auth_identify(NULL, req_cookie, "wrong", "10.0.0.2", true, &who, detail, sizeof detail),
			 AUTH_CSRF);
	assert_int_equal(auth_identify(NULL, req_cookie, csrf, "10.0.0.2", true, &who, detail, sizeof detail), AUTH_OK);
	/* a wrong Authorization wins over a good cookie */
	assert_int_equal(auth_identify("Bearer swt_x", req_cookie, csrf, "10.0.0.2", true, &who, detail, sizeof detail),
			 AUTH_BAD);
	char cleared[256];
	auth_logout(req_cookie, cleared, sizeof cleared);
	assert_non_null(strstr(cleared, "Max-Age=0"));
	assert_int_equal(auth_identify(NULL, req_cookie, csrf, "10.0.0.2", false, &who, detail, sizeof detail), AUTH_BAD);

	/* failed logins: the 6th try from one address is refused, the right
	 * password too; another address is not affected */
	for (int i = 0; i < AUTH_FAIL_MAX; i++)
		assert_int_equal(auth_login("alice", "wrong-pass", "10.0.0.3", &who, cookie, sizeof cookie, detail,
					    sizeof detail),
				 AUTH_BAD);
	assert_int_equal(auth_login("alice", "alice-pass", "10.0.0.3", &who, cookie, sizeof cookie, detail, sizeof detail),
			 AUTH_LIMITED);
	assert_true(who.retry_after > 0 && who.retry_after <= AUTH_FAIL_WINDOW_S + 1);
	assert_int_equal(auth_identify("Basic YWxpY2U6YWxpY2UtcGFzcw==", NULL, NULL, "10.0.0.3", false, &who, detail,
				       sizeof detail),
			 AUTH_LIMITED);
	assert_int_equal(auth_identify("Basic YWxpY2U6YWxpY2UtcGFzcw==", NULL, NULL, "10.0.0.4", false, &who, detail,
				       sizeof detail),
			 AUTH_OK);
	/* a deleted user's session and cached password end */
	assert_int_equal(auth_login("alice", "alice-pass", "10.0.0.5", &who, cookie, sizeof cookie, detail, sizeof detail),
			 AUTH_OK);
	*strchr(cookie, ';') = '\0';
	assert_int_equal(users_delete(&u, "alice"), 0);
	assert_int_equal(users_save(path, &u, err, sizeof err), 0);
	assert_int_equal(auth_identify(NULL, cookie, NULL, "10.0.0.5", false, &who, detail, sizeof detail), AUTH_BAD);
	assert_int_equal(auth_identify("Basic YWxpY2U6YWxpY2UtcGFzcw==", NULL, NULL, "10.0.0.5", false, &who, detail,
				       sizeof detail),
			 AUTH_BAD);
	auth_shutdown();
	users_free(&u);
	unlink(path);
	snprintf(path, sizeof path, "%s/users.lock", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),	   cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_add_check_token),	   cmocka_unit_test(test_save_mode_and_load),
		cmocka_unit_test(test_cookie_value),	   cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_decode),		   cmocka_unit_test(test_query),
		cmocka_unit_test(test_auth_flow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
