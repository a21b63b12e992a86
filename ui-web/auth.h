/* auth.h: who is asking. schedweb's credentials, checked by the server
 * before a handler runs (web.h's invariants):
 *
 *   Authorization: Basic base64(user:password)  -- Airflow's basic_auth
 *   Authorization: Bearer swt_...               -- an API token (users.h)
 *   Cookie: schedweb_session=...                -- the web UI's session, from
 *        POST /api/session; a write (POST, PUT, PATCH, DELETE) made with it
 *        must carry the session's CSRF token in X-CSRF-Token
 *   nothing                                     -- anonymous: a viewer named
 *        "anonymous" with --anonymous viewer, else no user
 * An Authorization header wins over a cookie; a wrong one is a failure even
 * when a cookie would do.
 *
 * State, all in this process's memory behind one mutex: the users file
 * (reloaded when its inode, size or mtime change, so `schedweb users` and
 * `tokens revoke` take effect at the next request), the sessions (lost when
 * schedweb restarts: sign in again), a cache of good password checks (keyed
 * by a keyed BLAKE2b of name and password, emptied when the users file
 * changes), and the failed logins per client address.
 *
 * Limits: at most AUTH_FAIL_MAX failed logins (wrong password, token or
 * unknown user) per client address in AUTH_FAIL_WINDOW_S seconds, then every
 * login from that address is refused with 429 until the window ends, before
 * any password is hashed; one Argon2id check at a time (each maps ~19 MiB);
 * at most AUTH_SESSIONS_MAX sessions (the oldest goes), each AUTH_SESSION_S
 * seconds long. */
#ifndef UI_WEB_AUTH_H
#define UI_WEB_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "ui-web/users.h"
#include "ui-web/web.h"

#define AUTH_FAIL_MAX 5
#define AUTH_FAIL_WINDOW_S 60
#define AUTH_SESSIONS_MAX 1024
#define AUTH_SESSION_S (12 * 3600)
#define AUTH_COOKIE "schedweb_session"
#define AUTH_CSRF_LEN 43	/* base64url of 32 random bytes */

struct auth_config {
	const char *users_path;
	bool anonymous_viewer;
	bool secure_cookie;	/* under TLS: the cookie says Secure */
};

enum auth_outcome {
	AUTH_NONE,	/* no credentials (and no anonymous access) */
	AUTH_OK,
	AUTH_BAD,	/* wrong or malformed credentials, an unknown session: 401 */
	AUTH_LIMITED,	/* too many failed logins from this address: 429 */
	AUTH_CSRF,	/* a cookie write without the session's CSRF token: 403 */
};

struct auth_who {
	char name[USERS_NAME_MAX + 1];
	enum web_role role;
	bool cookie;			/* authenticated by a session cookie */
	char csrf[AUTH_CSRF_LEN + 1];	/* that session's CSRF token */
	int retry_after;		/* AUTH_LIMITED: seconds */
};

/* Loads the users file once (a malformed one is an error: err). */
int auth_init(const struct auth_config *c, char *err, size_t errlen);
void auth_shutdown(void);
/* The users file's path (the admin endpoints change it). */
const char *auth_users_path(void);

/* Identifies a request from its Authorization, Cookie and X-CSRF-Token
 * headers (each may be NULL); write: the method changes things. detail gets
 * a sentence for the problem document (never a credential). */
enum auth_outcome auth_identify(const char *authorization, const char *cookie, const char *csrf_header,
				const char *client, bool write, struct auth_who *who, char *detail,
				size_t detail_len);

/* POST /api/session: checks name and password (rate-limited as above) and
 * opens a session: set_cookie gets the Set-Cookie value, who the user and
 * the session's CSRF token. */
enum auth_outcome auth_login(const char *name, const char *password, const char *client, struct auth_who *who,
			     char *set_cookie, size_t set_cookie_len, char *detail, size_t detail_len);
/* DELETE /api/session: ends the session of that Cookie header; the
 * Set-Cookie value that clears it goes to set_cookie. */
void auth_logout(const char *cookie, char *set_cookie, size_t set_cookie_len);

/* Parsers (fuzzed): the value of cookie name in a Cookie header (false if
 * none or longer than outlen - 1); user and password of a Basic header
 * (false if malformed: not base64, no ':', a NUL or a control byte, too
 * long). */
bool auth_cookie_value(const char *header, const char *name, char *out, size_t outlen);
bool auth_parse_basic(const char *header, char *user, size_t userlen, char *pass, size_t passlen);

#endif
