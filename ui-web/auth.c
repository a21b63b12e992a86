/* auth.c: credentials, sessions and failed-login limits (auth.h).
 *
 * One mutex (auth_mu) guards everything below; an Argon2id check runs
 * outside it, one at a time (a semaphore of 1: each maps 19 MiB, and
 * schedweb's RSS stays under 30 MB), so a password check never stalls the
 * requests that need no hashing (tokens, sessions, cached checks). */
#include "ui-web/auth.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "lib/buf.h"
#include "lib/logfmt.h"

#define AUTH_CACHE_N 64
#define AUTH_CACHE_S 300
#define AUTH_RL_N 512

struct auth_cached {
	unsigned char key[32];	/* keyed BLAKE2b of name NUL password */
	char name[USERS_NAME_MAX + 1];
	uint64_t gen;
	int64_t at_us;
};

struct auth_session {
	unsigned char idhash[32];	/* BLAKE2b of the cookie value */
	char name[USERS_NAME_MAX + 1];
	char csrf[AUTH_CSRF_LEN + 1];
	int64_t created_us;		/* 0: a free slot */
};

struct auth_failures {
	char addr[64];
	int64_t since_us;	/* the window's first failure */
	int n;
};

static pthread_mutex_t auth_mu = PTHREAD_MUTEX_INITIALIZER;
static sem_t auth_hash_sem;
static struct auth_config auth_cfg;
static struct users auth_users;
static uint64_t auth_gen;	/* bumped by every reload of the users file */
static struct stat auth_users_st;
static bool auth_users_seen;	/* auth_users_st describes a file */
static unsigned char auth_cache_key[crypto_generichash_KEYBYTES];
static struct auth_cached auth_cache[AUTH_CACHE_N];
static struct auth_session auth_sessions[AUTH_SESSIONS_MAX];
static struct auth_failures auth_fail[AUTH_RL_N];

static int64_t auth_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void auth_log(const char *level, const char *msg, const char *detail)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "ts=");
	logfmt_timestamp(&b);
	buf_printf(&b, " level=%s msg=%s detail=", level, msg);
	logfmt_value(&b, detail, strlen(detail));
	buf_putc(&b, '\n');
	logfmt_write(2, b.s, b.len);
	buf_free(&b);
}

/* Under auth_mu: the users file again if it changed since the last look. A
 * file that became malformed keeps the last good one in force (logged). */
static void auth_reload_locked(void)
{
	struct stat st;
	bool exists = stat(auth_cfg.users_path, &st) == 0;
	if (exists == auth_users_seen &&
	    (!exists || (st.st_ino == auth_users_st.st_ino && st.st_dev == auth_users_st.st_dev &&
			 st.st_size == auth_users_st.st_size &&
			 st.st_mtim.tv_sec == auth_users_st.st_mtim.tv_sec &&
			 st.st_mtim.tv_nsec == auth_users_st.st_mtim.tv_nsec)))
		return;
	struct users u;
	char err[512];
	if (users_load(auth_cfg.users_path, &u, err, sizeof err) < 0) {
		auth_log("error", "users file refused, the last good one stays", err);
		auth_users_st = st;
		auth_users_seen = exists;
		return;
	}
	users_free(&auth_users);
	auth_users = u;
	auth_users_st = st;
	auth_users_seen = exists;
	auth_gen++;
}

int auth_init(const struct auth_config *c, char *err, size_t errlen)
{
	if (users_crypto_init() < 0) {
		snprintf(err, errlen, "libsodium cannot start");
		return -1;
	}
	auth_cfg = *c;
	if (users_load(c->users_path, &auth_users, err, errlen) < 0)
		return -1;
	struct stat st;
	auth_users_seen = stat(c->users_path, &st) == 0;
	if (auth_users_seen)
		auth_users_st = st;
	randombytes_buf(auth_cache_key, sizeof auth_cache_key);
	if (sem_init(&auth_hash_sem, 0, 1) < 0) {
		snprintf(err, errlen, "sem_init failed");
		return -1;
	}
	return 0;
}

const char *auth_users_path(void)
{
	return auth_cfg.users_path;
}

void auth_shutdown(void)
{
	pthread_mutex_lock(&auth_mu);
	users_free(&auth_users);
	sodium_memzero(auth_sessions, sizeof auth_sessions);
	sodium_memzero(auth_cache, sizeof auth_cache);
	pthread_mutex_unlock(&auth_mu);
	sem_destroy(&auth_hash_sem);
}

/* ---- failed logins per address (under auth_mu) */

static struct auth_failures *auth_fail_find(const char *addr, int64_t now, bool create)
{
	struct auth_failures *free_slot = NULL, *oldest = NULL;
	for (size_t i = 0; i < AUTH_RL_N; i++) {
		struct auth_failures *f = &auth_fail[i];
		if (f->n && now - f->since_us >= (int64_t)AUTH_FAIL_WINDOW_S * 1000000)
			f->n = 0;	/* the window ended */
		if (!f->n) {
			if (!free_slot)
				free_slot = f;
			continue;
		}
		if (strcmp(f->addr, addr) == 0)
			return f;
		if (!oldest || f->since_us < oldest->since_us)
			oldest = f;
	}
	if (!create)
		return NULL;
	struct auth_failures *f = free_slot ? free_slot : oldest;
	snprintf(f->addr, sizeof f->addr, "%s", addr);
	f->since_us = now;
	f->n = 0;
	return f;
}

/* true (and *retry) when addr may not try now. */
static bool auth_limited_locked(const char *addr, int64_t now, int *retry)
{
	struct auth_failures *f = auth_fail_find(addr, now, false);
	if (!f || f->n < AUTH_FAIL_MAX)
		return false;
	int64_t left = f->since_us + (int64_t)AUTH_FAIL_WINDOW_S * 1000000 - now;
	*retry = (int)(left / 1000000) + 1;
	return true;
}

static void auth_failed(const char *addr)
{
	pthread_mutex_lock(&auth_mu);
	struct auth_failures *f = auth_fail_find(addr, auth_now_us(), true);
	f->n++;
	pthread_mutex_unlock(&auth_mu);
}

/* ---- passwords, with the cache of good checks */

static void auth_cache_key_of(const char *name, const char *password, unsigned char out[32])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, auth_cache_key, sizeof auth_cache_key, 32);
	crypto_generichash_update(&st, (const unsigned char *)name, strlen(name) + 1);
	crypto_generichash_update(&st, (const unsigned char *)password, strlen(password));
	crypto_generichash_final(&st, out, 32);
}

/* Under auth_mu: a good check of this key within AUTH_CACHE_S of now, for
 * a user still in the file (who filled), else false. */
static bool auth_cache_hit_locked(const unsigned char key[32], int64_t now, struct auth_who *who)
{
	for (size_t i = 0; i < AUTH_CACHE_N; i++) {
		struct auth_cached *c = &auth_cache[i];
		if (c->at_us && c->gen == auth_gen && now - c->at_us < (int64_t)AUTH_CACHE_S * 1000000 &&
		    sodium_memcmp(c->key, key, 32) == 0) {
			const struct users_user *x = users_find(&auth_users, c->name);
			if (!x)
				return false;
			snprintf(who->name, sizeof who->name, "%s", x->name);
			who->role = x->role;
			return true;
		}
	}
	return false;
}

/* Fills who when name/password is good; false otherwise. Takes auth_mu.
 * The cache is looked at again once a hashing slot is ours: a burst of
 * clients with the same credentials (a load test, a dashboard's panels)
 * costs one Argon2id check, not one each. */
static bool auth_check_password(const char *name, const char *password, struct auth_who *who)
{
	unsigned char key[32];
	auth_cache_key_of(name, password, key);
	pthread_mutex_lock(&auth_mu);
	auth_reload_locked();
	bool hit = auth_cache_hit_locked(key, auth_now_us(), who);
	pthread_mutex_unlock(&auth_mu);
	if (hit)
		return true;

	while (sem_wait(&auth_hash_sem) < 0)
		;
	/* one user as a file of its own, so the hash runs outside the lock */
	struct users one = { 0 };
	struct users_user copy;
	pthread_mutex_lock(&auth_mu);
	hit = auth_cache_hit_locked(key, auth_now_us(), who);
	uint64_t gen = auth_gen;
	const struct users_user *x = hit ? NULL : users_find(&auth_users, name);
	if (x) {
		copy = *x;
		one.user = &copy;
		one.nuser = 1;
	}
	pthread_mutex_unlock(&auth_mu);
	const struct users_user *ok = NULL;
	if (!hit)
		ok = users_check_password(&one, name, password);
	sem_post(&auth_hash_sem);
	if (hit)
		return true;
	if (!ok) {
		sodium_memzero(&copy, sizeof copy);
		return false;
	}
	snprintf(who->name, sizeof who->name, "%s", ok->name);
	who->role = ok->role;
	sodium_memzero(&copy, sizeof copy);

	int64_t now = auth_now_us();
	pthread_mutex_lock(&auth_mu);
	if (auth_gen == gen) {
		struct auth_cached *slot = &auth_cache[0];
		for (size_t i = 0; i < AUTH_CACHE_N; i++)
			if (auth_cache[i].at_us < slot->at_us)
				slot = &auth_cache[i];
		memcpy(slot->key, key, 32);
		snprintf(slot->name, sizeof slot->name, "%s", who->name);
		slot->gen = gen;
		slot->at_us = now;
	}
	pthread_mutex_unlock(&auth_mu);
	return true;
}

/* ---- parsers */

bool auth_cookie_value(const char *header, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			const char *v = p + nlen + 1;
			size_t vlen = len - nlen - 1;
			while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"')
				v++, vlen -= 2;
			if (vlen + 1 > outlen)
				return false;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return true;
		}
		p += len;
	}
	return false;
}

bool auth_parse_basic(const char *header, char *user, size_t userlen, char *pass, size_t passlen)
{
	if (strncasecmp(header, "Basic ", 6) != 0)
		return false;
	const char *b64 = header + 6;
	while (*b64 == ' ')
		b64++;
	size_t n = strlen(b64);
	while (n && b64[n - 1] == ' ')
		n--;
	unsigned char dec[USERS_NAME_MAX + 1 + USERS_PASSWORD_MAX + 1];
	size_t dlen;
	if (n == 0 || n > 4 * (sizeof dec / 3) ||
	    sodium_base642bin(dec, sizeof dec, b64, n, NULL, &dlen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return false;
	unsigned char *colon = memchr(dec, ':', dlen);
	if (!colon)
		return false;
	for (size_t i = 0; i < dlen; i++)
		if (dec[i] < 0x20 || dec[i] == 0x7f)
			goto bad;
	size_t ul = (size_t)(colon - dec), pl = dlen - ul - 1;
	if (ul + 1 > userlen || pl + 1 > passlen)
		goto bad;
	memcpy(user, dec, ul);
	user[ul] = '\0';
	memcpy(pass, colon + 1, pl);
	pass[pl] = '\0';
	sodium_memzero(dec, sizeof dec);
	return true;
bad:
	sodium_memzero(dec, sizeof dec);
	return false;
}

/* ---- sessions (under auth_mu) */

static void auth_random_b64(char out[AUTH_CSRF_LEN + 1])
{
	unsigned char r[32];
	randombytes_buf(r, sizeof r);
	sodium_bin2base64(out, AUTH_CSRF_LEN + 1, r, sizeof r, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(r, sizeof r);
}

static struct auth_session *auth_session_find_locked(const char *cookie_value, int64_t now)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)cookie_value, strlen(cookie_value), NULL, 0);
	for (size_t i = 0; i < AUTH_SESSIONS_MAX; i++) {
		struct auth_session *s = &auth_sessions[i];
		if (!s->created_us)
			continue;
		if (now - s->created_us >= (int64_t)AUTH_SESSION_S * 1000000) {
			sodium_memzero(s, sizeof *s);
			continue;
		}
		if (memcmp(s->idhash, h, 32) == 0)
			return s;
	}
	return NULL;
}

static void auth_set_cookie(char *out, size_t len, const char *value, int max_age)
{
	snprintf(out, len, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", AUTH_COOKIE, value,
		 max_age, auth_cfg.secure_cookie ? "; Secure" : "");
}

enum auth_outcome auth_login(const char *name, const char *password, const char *client, struct auth_who *who,
			     char *set_cookie, size_t set_cookie_len, char *detail, size_t detail_len)
{
	memset(who, 0, sizeof *who);
	pthread_mutex_lock(&auth_mu);
	bool limited = auth_limited_locked(client, auth_now_us(), &who->retry_after);
	pthread_mutex_unlock(&auth_mu);
	if (limited) {
		snprintf(detail, detail_len, "too many failed logins from %s: try again in %d s", client,
			 who->retry_after);
		return AUTH_LIMITED;
	}
	if (!auth_check_password(name, password, who)) {
		auth_failed(client);
		snprintf(detail, detail_len, "wrong user name or password");
		return AUTH_BAD;
	}
	char id[AUTH_CSRF_LEN + 1];
	auth_random_b64(id);
	int64_t now = auth_now_us();
	pthread_mutex_lock(&auth_mu);
	struct auth_session *slot = NULL;
	for (size_t i = 0; i < AUTH_SESSIONS_MAX; i++) {
		struct auth_session *s = &auth_sessions[i];
		if (s->created_us && now - s->created_us >= (int64_t)AUTH_SESSION_S * 1000000)
			sodium_memzero(s, sizeof *s);
		if (!s->created_us) {
			slot = s;
			break;
		}
		if (!slot || s->created_us < slot->created_us)
			slot = s;	/* full: the oldest goes */
	}
	crypto_generichash(slot->idhash, sizeof slot->idhash, (const unsigned char *)id, strlen(id), NULL, 0);
	snprintf(slot->name, sizeof slot->name, "%s", who->name);
	auth_random_b64(slot->csrf);
	slot->created_us = now;
	memcpy(who->csrf, slot->csrf, sizeof who->csrf);
	pthread_mutex_unlock(&auth_mu);
	who->cookie = true;
	auth_set_cookie(set_cookie, set_cookie_len, id, AUTH_SESSION_S);
	sodium_memzero(id, sizeof id);
	return AUTH_OK;
}

void auth_logout(const char *cookie, char *set_cookie, size_t set_cookie_len)
{
	char v[128];
	if (cookie && auth_cookie_value(cookie, AUTH_COOKIE, v, sizeof v)) {
		pthread_mutex_lock(&auth_mu);
		struct auth_session *s = auth_session_find_locked(v, auth_now_us());
		if (s)
			sodium_memzero(s, sizeof *s);
		pthread_mutex_unlock(&auth_mu);
		sodium_memzero(v, sizeof v);
	}
	auth_set_cookie(set_cookie, set_cookie_len, "", 0);
}

/* ---- a request */

static enum auth_outcome auth_by_header(const char *authorization, const char *client, struct auth_who *who,
					char *detail, size_t detail_len)
{
	pthread_mutex_lock(&auth_mu);
	bool limited = auth_limited_locked(client, auth_now_us(), &who->retry_after);
	pthread_mutex_unlock(&auth_mu);
	if (limited) {
		snprintf(detail, detail_len, "too many failed logins from %s: try again in %d s", client,
			 who->retry_after);
		return AUTH_LIMITED;
	}
	if (strncasecmp(authorization, "Basic ", 6) == 0) {
		char user[USERS_NAME_MAX + 2], pass[USERS_PASSWORD_MAX + 2];
		bool ok = auth_parse_basic(authorization, user, sizeof user, pass, sizeof pass) &&
			  auth_check_password(user, pass, who);
		sodium_memzero(pass, sizeof pass);
		if (ok)
			return AUTH_OK;
		auth_failed(client);
		snprintf(detail, detail_len, "wrong user name or password");
		return AUTH_BAD;
	}
	if (strncasecmp(authorization, "Bearer ", 7) == 0) {
		const char *tok = authorization + 7;
		while (*tok == ' ')
			tok++;
		pthread_mutex_lock(&auth_mu);
		auth_reload_locked();
		const struct users_user *x = users_check_token(&auth_users, tok);
		if (x) {
			snprintf(who->name, sizeof who->name, "%s", x->name);
			who->role = x->role;
		}
		pthread_mutex_unlock(&auth_mu);
		if (x)
			return AUTH_OK;
		auth_failed(client);
		snprintf(detail, detail_len, "unknown or revoked API token");
		return AUTH_BAD;
	}
	snprintf(detail, detail_len, "the Authorization header must be Basic or Bearer");
	return AUTH_BAD;
}

enum auth_outcome auth_identify(const char *authorization, const char *cookie, const char *csrf_header,
				const char *client, bool write, struct auth_who *who, char *detail,
				size_t detail_len)
{
	memset(who, 0, sizeof *who);
	if (authorization)
		return auth_by_header(authorization, client, who, detail, detail_len);
	char v[128];
	if (cookie && auth_cookie_value(cookie, AUTH_COOKIE, v, sizeof v)) {
		enum auth_outcome rc = AUTH_BAD;
		pthread_mutex_lock(&auth_mu);
		auth_reload_locked();
		struct auth_session *s = auth_session_find_locked(v, auth_now_us());
		const struct users_user *x = s ? users_find(&auth_users, s->name) : NULL;
		if (!x) {
			if (s)
				sodium_memzero(s, sizeof *s);	/* the user was deleted */
			snprintf(detail, detail_len, "the session ended: sign in again");
		} else {
			snprintf(who->name, sizeof who->name, "%s", x->name);
			who->role = x->role;
			who->cookie = true;
			memcpy(who->csrf, s->csrf, sizeof who->csrf);
			rc = AUTH_OK;
			if (write && (!csrf_header || strlen(csrf_header) != AUTH_CSRF_LEN ||
				      sodium_memcmp(csrf_header, s->csrf, AUTH_CSRF_LEN) != 0)) {
				snprintf(detail, detail_len,
					 "a write with a session cookie needs the session's CSRF token in X-CSRF-Token");
				rc = AUTH_CSRF;
			}
		}
		pthread_mutex_unlock(&auth_mu);
		sodium_memzero(v, sizeof v);
		return rc;
	}
	if (auth_cfg.anonymous_viewer) {
		snprintf(who->name, sizeof who->name, "anonymous");
		who->role = WEB_ROLE_VIEWER;
		return AUTH_OK;
	}
	snprintf(detail, detail_len, "no credentials: use HTTP Basic, an API token or a session");
	return AUTH_NONE;
}
