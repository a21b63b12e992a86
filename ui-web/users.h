/* users.h: schedweb's users file: who may sign in, with which role, and the
 * API tokens they hold.
 *
 * The file lives beside the state file ("<state>.users") unless --users
 * names another. It is text, one record a line, fields separated by one
 * space, '#' comments and blank lines ignored:
 *
 *   user NAME ROLE PWHASH          -- ROLE viewer|operator|admin; PWHASH the
 *                                     Argon2id string of crypto_pwhash_str
 *   token ID USER HASH CREATED_US  -- ID 16 hex digits; HASH 64 hex digits,
 *                                     BLAKE2b-256 of the token's secret
 *
 * Invariants: names are 1..64 bytes of [A-Za-z0-9._@-] and unique; a token
 * belongs to a user of the file; no password and no token secret is ever
 * stored, only their hashes. The file is written whole to a temporary file
 * of mode 0600 in the same directory, fsync'd and renamed over the old one,
 * so a reader sees the old file or the new one, never half of either.
 *
 * A token is shown once, when created: "swt_<ID>_<SECRET>" with SECRET 43
 * base64url characters (32 random bytes). Passwords are hashed with
 * Argon2id at OWASP's minimum cost (2 passes over 19 MiB), so a check costs
 * ~20 MiB and some tens of milliseconds: the server caches good checks
 * (auth.c). */
#ifndef UI_WEB_USERS_H
#define UI_WEB_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui-web/web.h"

#define USERS_NAME_MAX 64
#define USERS_PWHASH_MAX 128	/* crypto_pwhash_STRBYTES */
#define USERS_TOKEN_ID_LEN 16
#define USERS_TOKEN_LEN (4 + USERS_TOKEN_ID_LEN + 1 + 43)	/* "swt_" ID "_" SECRET */
#define USERS_PASSWORD_MIN 8
#define USERS_PASSWORD_MAX 1024

struct users_user {
	char name[USERS_NAME_MAX + 1];
	enum web_role role;
	char pwhash[USERS_PWHASH_MAX];
};

struct users_token {
	char id[USERS_TOKEN_ID_LEN + 1];
	char user[USERS_NAME_MAX + 1];
	unsigned char hash[32];
	int64_t created_us;
};

struct users {
	struct users_user *user;
	size_t nuser;
	struct users_token *token;
	size_t ntoken;
};

/* libsodium's sodium_init, once; -1 if it cannot start. */
int users_crypto_init(void);

const char *users_role_name(enum web_role r);
int users_role_parse(const char *s);	/* the role, or -1 */
bool users_name_ok(const char *s);

/* Parses the text of a users file (len bytes, NULs refused). On error
 * returns -1 with err naming the line and the field ("line 3: unknown role
 * 'root'") and out empty. */
int users_parse(const char *text, size_t len, struct users *out, char *err, size_t errlen);
/* The text of u, as users_parse reads it back. */
void users_format(const struct users *u, struct buf *out);
/* Reads path; a missing file is an empty list. err names the path. */
int users_load(const char *path, struct users *out, char *err, size_t errlen);
/* Writes u to path atomically with mode 0600 (see above). */
int users_save(const char *path, const struct users *u, char *err, size_t errlen);
void users_free(struct users *u);
/* A change is made under an exclusive lock of "<path>.lock" (flock), so two
 * writers (schedweb users ..., the server's /api/users) never lose one
 * another's change: lock, load, change, save, unlock. Returns the lock's
 * fd (close it to unlock), -1 with err. */
int users_lock(const char *path, char *err, size_t errlen);

const struct users_user *users_find(const struct users *u, const char *name);
/* Adds a user (or -1: bad name, taken name, password too short or long). */
int users_add(struct users *u, const char *name, enum web_role role, const char *password, char *err,
	      size_t errlen);
/* Removes a user and every token of theirs; -1 if there is none. */
int users_delete(struct users *u, const char *name);
/* Makes a token for user: its text (USERS_TOKEN_LEN + 1 bytes) into token;
 * -1 if there is no such user. */
int users_token_create(struct users *u, const char *user, char *token, size_t len, char *err, size_t errlen);
/* Removes the token of that id; -1 if there is none. */
int users_token_revoke(struct users *u, const char *id);

/* The user whose password this is, or NULL (unknown name or wrong
 * password: the same answer, and an unknown name costs a hash too). */
const struct users_user *users_check_password(const struct users *u, const char *name, const char *password);
/* The user a token belongs to, or NULL (malformed, unknown or revoked). */
const struct users_user *users_check_token(const struct users *u, const char *token);

#endif
