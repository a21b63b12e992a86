/* users.c: the users file of schedweb (format and invariants in users.h). */
#include "ui-web/users.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "lib/buf.h"
#include "lib/xalloc.h"

#define USERS_OPSLIMIT 2ULL
#define USERS_MEMLIMIT (19ULL * 1024 * 1024)
#define USERS_FILE_MAX (16 * 1024 * 1024)

static pthread_once_t users_sodium_once = PTHREAD_ONCE_INIT;
static int users_sodium_rc;

static void users_sodium_start(void)
{
	users_sodium_rc = sodium_init() < 0 ? -1 : 0;
}

int users_crypto_init(void)
{
	pthread_once(&users_sodium_once, users_sodium_start);
	return users_sodium_rc;
}

static const char *const users_roles[] = { "none", "viewer", "operator", "admin" };

const char *users_role_name(enum web_role r)
{
	return (unsigned)r < 4 ? users_roles[r] : "none";
}

int users_role_parse(const char *s)
{
	for (int i = WEB_ROLE_VIEWER; i <= WEB_ROLE_ADMIN; i++)
		if (strcmp(s, users_roles[i]) == 0)
			return i;
	return -1;
}

bool users_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > USERS_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '@' || c == '-'))
			return false;
	}
	return true;
}

void users_free(struct users *u)
{
	sodium_memzero(u->user, u->nuser * sizeof *u->user);
	free(u->user);
	free(u->token);
	memset(u, 0, sizeof *u);
}

const struct users_user *users_find(const struct users *u, const char *name)
{
	for (size_t i = 0; i < u->nuser; i++)
		if (strcmp(u->user[i].name, name) == 0)
			return &u->user[i];
	return NULL;
}

static const struct users_token *users_find_token(const struct users *u, const char *id)
{
	for (size_t i = 0; i < u->ntoken; i++)
		if (strcmp(u->token[i].id, id) == 0)
			return &u->token[i];
	return NULL;
}

static void users_push_user(struct users *u, const struct users_user *x)
{
	u->user = xrealloc(u->user, (u->nuser + 1) * sizeof *u->user);
	u->user[u->nuser++] = *x;
}

static void users_push_token(struct users *u, const struct users_token *t)
{
	u->token = xrealloc(u->token, (u->ntoken + 1) * sizeof *u->token);
	u->token[u->ntoken++] = *t;
}

static bool users_hex_ok(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* One line split at single spaces into at most max fields (in place). */
static int users_split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;
	while (n < max) {
		f[n++] = p;
		char *sp = strchr(p, ' ');
		if (!sp)
			return n;
		*sp = '\0';
		p = sp + 1;
	}
	return -1;	/* more fields than any record has */
}

static int users_parse_line(struct users *out, char *line, int lineno, char *err, size_t errlen)
{
	char *f[6];
	int n = users_split(line, f, 6);
	if (n < 0 || (strcmp(f[0], "user") != 0 && strcmp(f[0], "token") != 0)) {
		snprintf(err, errlen, "line %d: unknown record '%.20s' (user or token)", lineno, f[0]);
		return -1;
	}
	if (strcmp(f[0], "user") == 0) {
		struct users_user x = { 0 };
		if (n != 4) {
			snprintf(err, errlen, "line %d: a user record has 4 fields (user NAME ROLE HASH), not %d",
				 lineno, n);
			return -1;
		}
		if (!users_name_ok(f[1])) {
			snprintf(err, errlen, "line %d: bad user name '%.80s'", lineno, f[1]);
			return -1;
		}
		if (users_find(out, f[1])) {
			snprintf(err, errlen, "line %d: user '%s' twice", lineno, f[1]);
			return -1;
		}
		int role = users_role_parse(f[2]);
		if (role < 0) {
			snprintf(err, errlen, "line %d: unknown role '%.20s' (viewer, operator or admin)", lineno,
				 f[2]);
			return -1;
		}
		if (strncmp(f[3], "$argon2id$", 10) != 0 || strlen(f[3]) >= USERS_PWHASH_MAX) {
			snprintf(err, errlen, "line %d: the password hash of '%s' is not an Argon2id string", lineno,
				 f[1]);
			return -1;
		}
		memcpy(x.name, f[1], strlen(f[1]) + 1);
		x.role = (enum web_role)role;
		memcpy(x.pwhash, f[3], strlen(f[3]) + 1);
		users_push_user(out, &x);
		return 0;
	}
	struct users_token t = { 0 };
	if (n != 5) {
		snprintf(err, errlen, "line %d: a token record has 5 fields (token ID USER HASH CREATED_US), not %d",
			 lineno, n);
		return -1;
	}
	if (!users_hex_ok(f[1], USERS_TOKEN_ID_LEN) || users_find_token(out, f[1])) {
		snprintf(err, errlen, "line %d: bad or repeated token id '%.40s'", lineno, f[1]);
		return -1;
	}
	if (!users_find(out, f[2])) {
		snprintf(err, errlen, "line %d: token %s of unknown user '%.80s'", lineno, f[1], f[2]);
		return -1;
	}
	if (!users_hex_ok(f[3], 64)) {
		snprintf(err, errlen, "line %d: token %s: the hash is not 64 hex digits", lineno, f[1]);
		return -1;
	}
	char *end;
	errno = 0;
	long long c = strtoll(f[4], &end, 10);
	if (errno || end == f[4] || *end || c < 0 || f[4][0] == '+' || f[4][0] == ' ') {
		snprintf(err, errlen, "line %d: token %s: bad creation time '%.30s'", lineno, f[1], f[4]);
		return -1;
	}
	memcpy(t.id, f[1], USERS_TOKEN_ID_LEN + 1);
	memcpy(t.user, f[2], strlen(f[2]) + 1);
	if (sodium_hex2bin(t.hash, sizeof t.hash, f[3], 64, NULL, NULL, NULL) != 0) {
		snprintf(err, errlen, "line %d: token %s: bad hash", lineno, f[1]);
		return -1;
	}
	t.created_us = c;
	users_push_token(out, &t);
	return 0;
}

int users_parse(const char *text, size_t len, struct users *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "a NUL byte in the file");
		return -1;
	}
	int lineno = 0;
	size_t i = 0;
	while (i < len) {
		lineno++;
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		if (n && text[i + n - 1] == '\r') {
			snprintf(err, errlen, "line %d: a carriage return (the file is written with \\n only)", lineno);
			users_free(out);
			return -1;
		}
		if (n && text[i] != '#') {
			char *line = xstrndup(text + i, n);
			int rc = users_parse_line(out, line, lineno, err, errlen);
			sodium_memzero(line, n);
			free(line);
			if (rc < 0) {
				users_free(out);
				return -1;
			}
		}
		i += n + 1;
	}
	return 0;
}

void users_format(const struct users *u, struct buf *out)
{
	buf_puts(out, "# schedweb users file: managed by `schedweb users` and `schedweb tokens`\n");
	for (size_t i = 0; i < u->nuser; i++)
		buf_printf(out, "user %s %s %s\n", u->user[i].name, users_role_name(u->user[i].role),
			   u->user[i].pwhash);
	for (size_t i = 0; i < u->ntoken; i++) {
		char hex[65];
		sodium_bin2hex(hex, sizeof hex, u->token[i].hash, sizeof u->token[i].hash);
		buf_printf(out, "token %s %s %s %lld\n", u->token[i].id, u->token[i].user, hex,
			   (long long)u->token[i].created_us);
	}
}

int users_load(const char *path, struct users *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct buf b = BUF_INIT;
	char chunk[8192];
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			close(fd);
			buf_free(&b);
			return -1;
		}
		if (r == 0)
			break;
		if (b.len + (size_t)r > USERS_FILE_MAX) {
			snprintf(err, errlen, "%s: larger than %d bytes", path, USERS_FILE_MAX);
			close(fd);
			buf_free(&b);
			return -1;
		}
		buf_add(&b, chunk, (size_t)r);
	}
	close(fd);
	char perr[256];
	int rc = users_parse(buf_str(&b), b.len, out, perr, sizeof perr);
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, perr);
	buf_free(&b);
	return rc;
}

int users_lock(const char *path, char *err, size_t errlen)
{
	struct buf lp = BUF_INIT;
	buf_printf(&lp, "%s.lock", path);
	int fd = open(buf_str(&lp), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int rc = 0;
	while (fd >= 0 && (rc = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
		;
	if (fd < 0 || rc < 0) {
		snprintf(err, errlen, "%s: %s", buf_str(&lp), strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	buf_free(&lp);
	return fd;
}

int users_save(const char *path, const struct users *u, char *err, size_t errlen)
{
	struct buf tmp = BUF_INIT, text = BUF_INIT;
	buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	users_format(u, &text);
	int rc = -1;
	int fd = open(buf_str(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", buf_str(&tmp), strerror(errno));
		goto out;
	}
	/* the umask may have taken bits off, never added any: say 0600 whole */
	if (fchmod(fd, 0600) < 0) {
		snprintf(err, errlen, "%s: chmod: %s", buf_str(&tmp), strerror(errno));
		goto fail;
	}
	size_t off = 0;
	while (off < text.len) {
		ssize_t w = write(fd, text.s + off, text.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			snprintf(err, errlen, "%s: %s", buf_str(&tmp), strerror(errno));
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) < 0) {
		snprintf(err, errlen, "%s: fsync: %s", buf_str(&tmp), strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		snprintf(err, errlen, "%s: %s", buf_str(&tmp), strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(buf_str(&tmp), path) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	rc = 0;
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlink(buf_str(&tmp));
out:
	buf_free(&tmp);
	buf_free(&text);
	return rc;
}

int users_add(struct users *u, const char *name, enum web_role role, const char *password, char *err,
	      size_t errlen)
{
	if (!users_name_ok(name)) {
		snprintf(err, errlen, "bad user name '%.80s': 1 to %d of A-Z a-z 0-9 . _ @ -", name, USERS_NAME_MAX);
		return -1;
	}
	if (users_find(u, name)) {
		snprintf(err, errlen, "user '%s' exists already (users delete it first)", name);
		return -1;
	}
	if (role < WEB_ROLE_VIEWER || role > WEB_ROLE_ADMIN) {
		snprintf(err, errlen, "bad role");
		return -1;
	}
	size_t plen = strlen(password);
	if (plen < USERS_PASSWORD_MIN || plen > USERS_PASSWORD_MAX) {
		snprintf(err, errlen, "the password must be %d to %d bytes long", USERS_PASSWORD_MIN,
			 USERS_PASSWORD_MAX);
		return -1;
	}
	if (users_crypto_init() < 0) {
		snprintf(err, errlen, "libsodium cannot start");
		return -1;
	}
	struct users_user x = { 0 };
	memcpy(x.name, name, strlen(name) + 1);
	x.role = role;
	if (crypto_pwhash_argon2id_str(x.pwhash, password, plen, USERS_OPSLIMIT, USERS_MEMLIMIT) != 0) {
		snprintf(err, errlen, "out of memory hashing the password");
		return -1;
	}
	users_push_user(u, &x);
	return 0;
}

int users_delete(struct users *u, const char *name)
{
	const struct users_user *x = users_find(u, name);
	if (!x)
		return -1;
	size_t i = (size_t)(x - u->user);
	memmove(&u->user[i], &u->user[i + 1], (u->nuser - i - 1) * sizeof *u->user);
	u->nuser--;
	size_t k = 0;
	for (size_t j = 0; j < u->ntoken; j++)
		if (strcmp(u->token[j].user, name) != 0)
			u->token[k++] = u->token[j];
	u->ntoken = k;
	return 0;
}

int users_token_create(struct users *u, const char *user, char *token, size_t len, char *err, size_t errlen)
{
	if (!users_find(u, user)) {
		snprintf(err, errlen, "no user '%.80s'", user);
		return -1;
	}
	if (len < USERS_TOKEN_LEN + 1 || users_crypto_init() < 0) {
		snprintf(err, errlen, "libsodium cannot start");
		return -1;
	}
	struct users_token t = { 0 };
	do {
		unsigned char idb[USERS_TOKEN_ID_LEN / 2];
		randombytes_buf(idb, sizeof idb);
		sodium_bin2hex(t.id, sizeof t.id, idb, sizeof idb);
	} while (users_find_token(u, t.id));
	unsigned char secret[32];
	randombytes_buf(secret, sizeof secret);
	char s64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	sodium_bin2base64(s64, sizeof s64, secret, sizeof secret, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	crypto_generichash(t.hash, sizeof t.hash, (const unsigned char *)s64, strlen(s64), NULL, 0);
	snprintf(token, len, "swt_%s_%s", t.id, s64);
	memcpy(t.user, user, strlen(user) + 1);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	t.created_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	users_push_token(u, &t);
	sodium_memzero(secret, sizeof secret);
	sodium_memzero(s64, sizeof s64);
	return 0;
}

int users_token_revoke(struct users *u, const char *id)
{
	const struct users_token *t = users_find_token(u, id);
	if (!t)
		return -1;
	size_t i = (size_t)(t - u->token);
	memmove(&u->token[i], &u->token[i + 1], (u->ntoken - i - 1) * sizeof *u->token);
	u->ntoken--;
	return 0;
}

/* A hash of a password nobody has, checked for an unknown name so that the
 * answer takes as long as for a known one. */
static char users_dummy_hash[USERS_PWHASH_MAX];
static pthread_once_t users_dummy_once = PTHREAD_ONCE_INIT;

static void users_make_dummy(void)
{
	unsigned char r[16];
	randombytes_buf(r, sizeof r);
	if (crypto_pwhash_argon2id_str(users_dummy_hash, (const char *)r, sizeof r, USERS_OPSLIMIT, USERS_MEMLIMIT) !=
	    0)
		users_dummy_hash[0] = '\0';
}

const struct users_user *users_check_password(const struct users *u, const char *name, const char *password)
{
	if (users_crypto_init() < 0)
		return NULL;
	size_t plen = strlen(password);
	const struct users_user *x = users_find(u, name);
	if (!x || plen > USERS_PASSWORD_MAX) {
		pthread_once(&users_dummy_once, users_make_dummy);
		if (users_dummy_hash[0] && plen <= USERS_PASSWORD_MAX)
			if (crypto_pwhash_str_verify(users_dummy_hash, password, plen) == 0)
				return NULL;	/* the same answer either way */
		return NULL;
	}
	return crypto_pwhash_str_verify(x->pwhash, password, plen) == 0 ? x : NULL;
}

const struct users_user *users_check_token(const struct users *u, const char *token)
{
	if (strlen(token) != USERS_TOKEN_LEN || strncmp(token, "swt_", 4) != 0 ||
	    token[4 + USERS_TOKEN_ID_LEN] != '_' || users_crypto_init() < 0)
		return NULL;
	char id[USERS_TOKEN_ID_LEN + 1];
	memcpy(id, token + 4, USERS_TOKEN_ID_LEN);
	id[USERS_TOKEN_ID_LEN] = '\0';
	const struct users_token *t = users_find_token(u, id);
	if (!t)
		return NULL;
	const char *secret = token + 4 + USERS_TOKEN_ID_LEN + 1;
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
	if (crypto_verify_32(h, t->hash) != 0)
		return NULL;
	return users_find(u, t->user);
}
