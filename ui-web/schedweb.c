/* schedweb.c: the scheduler on HTTP. main only parses the command line and
 * either serves (server.c) or manages the users file (users.c):
 *
 *   schedweb [--state PATH] --listen HOST:PORT [options]     serve
 *   schedweb [--state PATH] [--users FILE] users add NAME --role R --password-stdin
 *   schedweb ... users list [--json] | users delete NAME
 *   schedweb ... tokens create NAME | tokens revoke ID | tokens list [--json]
 *
 * The state file is --state, else $SCHED_STATE, else ./sched-state.db (as
 * schedctl); the users file --users, else "<state>.users". Changes to the
 * users file are made under an exclusive lock of "<users>.lock", so two
 * commands at once never lose one another's change; a running server picks
 * them up at its next request. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "lib/buf.h"
#include "lib/json.h"
#include "lib/options.h"
#include "ui-web/auth.h"
#include "ui-web/server.h"
#include "ui-web/users.h"

#define SCHEDWEB_DEFAULT_STATE "./sched-state.db"

static int sw_usage(const char *what, const char *err)
{
	fprintf(stderr, "schedweb%s%s: %s\n", what[0] ? " " : "", what, err);
	return 2;
}

/* ---- users and tokens */

struct sw_files {
	const char *state, *users;
	struct buf users_owned;
};

/* Loads the users file for a change, holding its lock (fd returned, -1 on error). */
static int sw_lock_load(const struct sw_files *f, struct users *u)
{
	char err[512];
	int fd = users_lock(f->users, err, sizeof err);
	if (fd < 0) {
		fprintf(stderr, "schedweb: %s\n", err);
		return -1;
	}
	if (users_load(f->users, u, err, sizeof err) < 0) {
		fprintf(stderr, "schedweb: %s\n", err);
		close(fd);
		return -1;
	}
	return fd;
}

/* A change refused: the file is left as it was, the lock let go. Returns 1. */
static int sw_drop_unlock(struct users *u, int fd)
{
	users_free(u);
	close(fd);
	return 1;
}

static int sw_save_unlock(const struct sw_files *f, struct users *u, int fd)
{
	char err[512];
	int rc = users_save(f->users, u, err, sizeof err);
	if (rc < 0)
		fprintf(stderr, "schedweb: %s\n", err);
	users_free(u);
	close(fd);
	return rc < 0 ? 1 : 0;
}

/* The password from stdin: one line, its newline taken off. */
static int sw_read_password(char *pw, size_t len)
{
	size_t n = 0;
	for (;;) {
		ssize_t r = read(STDIN_FILENO, pw + n, len - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "schedweb: reading the password: %s\n", strerror(errno));
			return -1;
		}
		if (r == 0 || n + (size_t)r == len - 1) {
			n += (size_t)r;
			break;
		}
		n += (size_t)r;
	}
	pw[n] = '\0';
	if (memchr(pw, '\0', n)) {
		fprintf(stderr, "schedweb: a NUL byte in the password\n");
		return -1;
	}
	char *nl = strchr(pw, '\n');
	if (nl && nl[1]) {
		fprintf(stderr, "schedweb: --password-stdin reads one line; more came\n");
		return -1;
	}
	if (!nl && n == len - 1) {
		fprintf(stderr, "schedweb: the password is longer than %d bytes\n", USERS_PASSWORD_MAX);
		return -1;
	}
	if (nl) {
		*nl = '\0';
		if (nl > pw && nl[-1] == '\r')
			nl[-1] = '\0';
	}
	return 0;
}

static int sw_users_add(const struct sw_files *f, int argc, char **argv)
{
	const char *role = NULL;
	bool pw_stdin = false;
	const struct opt opts[] = {
		{ OPT_STRING, "role", &role, "ROLE", "viewer (reads), operator (also triggers, clears, marks,\n"
						     "pauses) or admin (also manages users)" },
		{ OPT_FLAG, "password-stdin", &pw_stdin, NULL, "read the password from standard input (required)" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	const struct opts_cmd cmd = { "schedweb users add NAME --role ROLE --password-stdin",
				      "Adds a user to the users file; the password is stored as its Argon2id hash.",
				      NULL, opts, 1 };
	char *pos[1];
	size_t npos = 0;
	char err[512];
	int rc = opts_parse(&cmd, argc, argv, pos, &npos, err, sizeof err);
	if (rc == OPTS_HELP) {
		opts_help(&cmd, stdout);
		return 0;
	}
	if (rc != OPTS_OK)
		return sw_usage("users add", err);
	if (npos != 1)
		return sw_usage("users add", "the user's NAME is required");
	if (!role)
		return sw_usage("users add", "--role is required (viewer, operator or admin)");
	int r = users_role_parse(role);
	if (r < 0)
		return sw_usage("users add", "--role must be viewer, operator or admin");
	if (!pw_stdin)
		return sw_usage("users add", "--password-stdin is required (a password never goes in argv)");
	if (!users_name_ok(pos[0]))
		return sw_usage("users add", "bad NAME: 1 to 64 of A-Z a-z 0-9 . _ @ -");
	char pw[USERS_PASSWORD_MAX + 2];
	if (sw_read_password(pw, sizeof pw) < 0)
		return 1;
	struct users u;
	int fd = sw_lock_load(f, &u);
	if (fd < 0) {
		sodium_memzero(pw, sizeof pw);
		return 1;
	}
	rc = users_add(&u, pos[0], (enum web_role)r, pw, err, sizeof err);
	sodium_memzero(pw, sizeof pw);
	if (rc < 0) {
		fprintf(stderr, "schedweb: users add: %s\n", err);
		return sw_drop_unlock(&u, fd);
	}
	return sw_save_unlock(f, &u, fd);
}

static int sw_simple_opts(const char *usage, const char *desc, int argc, char **argv, char **pos, size_t maxpos,
			  bool *json)
{
	const struct opt with_json[] = {
		{ OPT_FLAG, "json", json, NULL, "print JSON" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	const struct opt none[] = { { OPT_END, NULL, NULL, NULL, NULL } };
	const struct opts_cmd cmd = { usage, desc, NULL, json ? with_json : none, maxpos };
	size_t npos = 0;
	char err[512];
	int rc = opts_parse(&cmd, argc, argv, pos, &npos, err, sizeof err);
	if (rc == OPTS_HELP) {
		opts_help(&cmd, stdout);
		return 0;
	}
	if (rc != OPTS_OK)
		return sw_usage("", err);
	if (npos != maxpos)
		return sw_usage("", maxpos ? "one argument is required (see --help)" : "no argument is taken");
	return -1;	/* go on */
}

static int sw_users_list(const struct sw_files *f, int argc, char **argv)
{
	bool json = false;
	int rc = sw_simple_opts("schedweb users list [--json]", "The users and their roles.", argc, argv, NULL, 0,
				&json);
	if (rc >= 0)
		return rc;
	struct users u;
	char err[512];
	if (users_load(f->users, &u, err, sizeof err) < 0) {
		fprintf(stderr, "schedweb: %s\n", err);
		return 1;
	}
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < u.nuser; i++) {
			json_t *o = json_object();
			jx_set(o, "name", jx_str(u.user[i].name));
			jx_set(o, "role", jx_str(users_role_name(u.user[i].role)));
			size_t nt = 0;
			for (size_t k = 0; k < u.ntoken; k++)
				nt += strcmp(u.token[k].user, u.user[i].name) == 0;
			jx_set(o, "tokens", json_integer((json_int_t)nt));
			json_array_append_new(a, o);
		}
		char *s = jx_dump(a);
		printf("%s\n", s);
		free(s);
		json_decref(a);
	} else {
		printf("%-24s %-9s\n", "NAME", "ROLE");
		for (size_t i = 0; i < u.nuser; i++)
			printf("%-24s %-9s\n", u.user[i].name, users_role_name(u.user[i].role));
	}
	users_free(&u);
	return 0;
}

static int sw_users_delete(const struct sw_files *f, int argc, char **argv)
{
	char *pos[1];
	int rc = sw_simple_opts("schedweb users delete NAME", "Removes a user and every token of theirs.", argc,
				argv, pos, 1, NULL);
	if (rc >= 0)
		return rc;
	struct users u;
	int fd = sw_lock_load(f, &u);
	if (fd < 0)
		return 1;
	if (users_delete(&u, pos[0]) < 0) {
		fprintf(stderr, "schedweb: users delete: no user '%s'\n", pos[0]);
		return sw_drop_unlock(&u, fd);
	}
	return sw_save_unlock(f, &u, fd);
}

static int sw_tokens_create(const struct sw_files *f, int argc, char **argv)
{
	char *pos[1];
	int rc = sw_simple_opts("schedweb tokens create NAME",
				"Makes an API token for user NAME (their role) and prints it, once: only its hash\n"
				"is kept. Use it as 'Authorization: Bearer TOKEN'.",
				argc, argv, pos, 1, NULL);
	if (rc >= 0)
		return rc;
	struct users u;
	int fd = sw_lock_load(f, &u);
	if (fd < 0)
		return 1;
	char tok[USERS_TOKEN_LEN + 1], err[512];
	if (users_token_create(&u, pos[0], tok, sizeof tok, err, sizeof err) < 0) {
		fprintf(stderr, "schedweb: tokens create: %s\n", err);
		return sw_drop_unlock(&u, fd);
	}
	rc = sw_save_unlock(f, &u, fd);
	if (rc == 0)
		printf("%s\n", tok);
	sodium_memzero(tok, sizeof tok);
	return rc;
}

static int sw_tokens_revoke(const struct sw_files *f, int argc, char **argv)
{
	char *pos[1];
	int rc = sw_simple_opts("schedweb tokens revoke ID",
				"Revokes a token: ID is its 16 hex digits (tokens list; the token is swt_ID_...).",
				argc, argv, pos, 1, NULL);
	if (rc >= 0)
		return rc;
	struct users u;
	int fd = sw_lock_load(f, &u);
	if (fd < 0)
		return 1;
	if (users_token_revoke(&u, pos[0]) < 0) {
		fprintf(stderr, "schedweb: tokens revoke: no token '%s'\n", pos[0]);
		return sw_drop_unlock(&u, fd);
	}
	return sw_save_unlock(f, &u, fd);
}

static int sw_tokens_list(const struct sw_files *f, int argc, char **argv)
{
	bool json = false;
	int rc = sw_simple_opts("schedweb tokens list [--json]", "The tokens (ids, never secrets).", argc, argv,
				NULL, 0, &json);
	if (rc >= 0)
		return rc;
	struct users u;
	char err[512];
	if (users_load(f->users, &u, err, sizeof err) < 0) {
		fprintf(stderr, "schedweb: %s\n", err);
		return 1;
	}
	json_t *a = json_array();
	if (!json)
		printf("%-16s %-24s %s\n", "ID", "USER", "CREATED_US");
	for (size_t i = 0; i < u.ntoken; i++) {
		if (json) {
			json_t *o = json_object();
			jx_set(o, "id", jx_str(u.token[i].id));
			jx_set(o, "user", jx_str(u.token[i].user));
			jx_set(o, "created_us", json_integer(u.token[i].created_us));
			json_array_append_new(a, o);
		} else {
			printf("%-16s %-24s %lld\n", u.token[i].id, u.token[i].user, (long long)u.token[i].created_us);
		}
	}
	if (json) {
		char *s = jx_dump(a);
		printf("%s\n", s);
		free(s);
	}
	json_decref(a);
	users_free(&u);
	return 0;
}

static int sw_manage(const struct sw_files *f, int argc, char **argv)
{
	static const struct {
		const char *group, *verb;
		int (*fn)(const struct sw_files *, int, char **);
	} cmds[] = {
		{ "users", "add", sw_users_add },	 { "users", "list", sw_users_list },
		{ "users", "delete", sw_users_delete }, { "tokens", "create", sw_tokens_create },
		{ "tokens", "revoke", sw_tokens_revoke }, { "tokens", "list", sw_tokens_list },
	};
	if (argc < 2)
		return sw_usage(argv[0], strcmp(argv[0], "users") == 0 ? "add, list or delete?"
								       : "create, revoke or list?");
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (strcmp(argv[0], cmds[i].group) == 0 && strcmp(argv[1], cmds[i].verb) == 0) {
			if (users_crypto_init() < 0) {
				fprintf(stderr, "schedweb: libsodium cannot start\n");
				return 1;
			}
			return cmds[i].fn(f, argc - 1, argv + 1);
		}
	char e[128];
	snprintf(e, sizeof e, "unknown command '%s %.40s'", argv[0], argv[1]);
	return sw_usage("", e);
}

/* ---- serving */

static int sw_parse_listen(const char *s, char **host, int *port)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s)
		return -1;
	char *end;
	long p = strtol(colon + 1, &end, 10);
	if (*end || p < 1 || p > 65535 || end == colon + 1)
		return -1;
	if (s[0] == '[') {
		if (colon[-1] != ']' || colon - s < 3)
			return -1;
		*host = strndup(s + 1, (size_t)(colon - s - 2));
	} else {
		*host = strndup(s, (size_t)(colon - s));
	}
	*port = (int)p;
	return *host ? 0 : -1;
}

static int sw_serve(int argc, char **argv, const char *state_default)
{
	const char *state = state_default, *users = NULL, *listen = "127.0.0.1:8080", *anonymous = NULL;
	const char *tls_cert = NULL, *tls_key = NULL;
	bool metrics_anonymous = false, insecure_http = false;
	long threads = 4, max_conn = 256, max_per_ip = 64, idle = 30, req_timeout = 30;
	const struct opt opts[] = {
		{ OPT_STRING, "state", &state, "PATH", "the state file (else $SCHED_STATE, else " SCHEDWEB_DEFAULT_STATE ")" },
		{ OPT_STRING, "listen", &listen, "HOST:PORT", "the address to serve on (127.0.0.1:8080); another\n"
							      "than loopback needs TLS or --insecure-http" },
		{ OPT_STRING, "users", &users, "FILE", "the users file (<state>.users)" },
		{ OPT_STRING, "anonymous", &anonymous, "viewer", "requests without credentials read as a viewer" },
		{ OPT_FLAG, "metrics-anonymous", &metrics_anonymous, NULL, "/metrics needs no credentials" },
		{ OPT_STRING, "tls-cert", &tls_cert, "FILE", "serve HTTPS with this PEM certificate (chain)" },
		{ OPT_STRING, "tls-key", &tls_key, "FILE", "and this PEM private key" },
		{ OPT_FLAG, "insecure-http", &insecure_http, NULL, "allow plain HTTP on a non-loopback address" },
		{ OPT_INT, "threads", &threads, "N", "event loops (4), each with its own store handle" },
		{ OPT_INT, "max-connections", &max_conn, "N", "connections at once, in all (256)" },
		{ OPT_INT, "max-per-ip", &max_per_ip, "N", "connections at once from one address (64)" },
		{ OPT_INT, "idle-timeout", &idle, "SECONDS", "close a connection silent this long (30)" },
		{ OPT_INT, "request-timeout", &req_timeout, "SECONDS",
		  "cut a connection whose request is not in whole\nthis long after it began (30)" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	const struct opts_cmd cmd = {
		"schedweb [--state PATH] [--listen HOST:PORT] [options]\n"
		"       schedweb [--state PATH] [--users FILE] users add NAME --role ROLE --password-stdin\n"
		"       schedweb ... users list [--json] | users delete NAME\n"
		"       schedweb ... tokens create NAME | tokens revoke ID | tokens list [--json]",
		"Serves Airflow's REST API v1 over the state file, the web UI and /metrics.\n"
		"Nothing is served without credentials unless --anonymous viewer is given.",
		"Exit codes: 0 ok, 1 failed, 2 usage. docs/schedweb.md describes it all.",
		opts,
		0,
	};
	size_t npos = 0;
	char err[512];
	int rc = opts_parse(&cmd, argc, argv, NULL, &npos, err, sizeof err);
	if (rc == OPTS_HELP) {
		opts_help(&cmd, stdout);
		return 0;
	}
	if (rc != OPTS_OK)
		return sw_usage("", err);
	if (anonymous && strcmp(anonymous, "viewer") != 0)
		return sw_usage("", "--anonymous takes only 'viewer' (anonymous writes are never allowed)");
	if (!tls_cert != !tls_key)
		return sw_usage("", "--tls-cert and --tls-key go together");
	if (threads < 1 || threads > 64 || max_conn < 1 || max_per_ip < 1 || idle < 1 || req_timeout < 1)
		return sw_usage("", "--threads is 1 to 64; the limits and timeouts are at least 1");
	struct web_server_config cfg = { 0 };
	if (sw_parse_listen(listen, (char **)&cfg.host, &cfg.port) < 0)
		return sw_usage("", "--listen is HOST:PORT ([::1]:PORT for IPv6), the port 1 to 65535");
	struct buf up = BUF_INIT;
	if (!users)
		buf_printf(&up, "%s.users", state);
	struct auth_config ac = { users ? users : buf_str(&up), anonymous != NULL, tls_cert != NULL };
	if (auth_init(&ac, err, sizeof err) < 0) {
		fprintf(stderr, "schedweb: %s\n", err);
		free((char *)cfg.host);
		buf_free(&up);
		return 1;
	}
	cfg.state_path = state;
	cfg.metrics_anonymous = metrics_anonymous;
	cfg.tls_cert = tls_cert;
	cfg.tls_key = tls_key;
	cfg.insecure_http = insecure_http;
	cfg.threads = (unsigned)threads;
	cfg.max_connections = (unsigned)max_conn;
	cfg.max_per_ip = (unsigned)max_per_ip;
	cfg.idle_timeout_s = (unsigned)idle;
	cfg.request_timeout_s = (unsigned)req_timeout;
	rc = web_serve(&cfg);
	auth_shutdown();
	free((char *)cfg.host);
	buf_free(&up);
	return rc;
}

int main(int argc, char **argv)
{
	const char *state = getenv("SCHED_STATE");
	if (!state || !*state)
		state = SCHEDWEB_DEFAULT_STATE;
	/* users/tokens: the global --state and --users come before the group */
	struct sw_files f = { state, NULL, BUF_INIT };
	int i = 1;
	while (i < argc) {
		if ((strcmp(argv[i], "--state") == 0 || strcmp(argv[i], "--users") == 0) && i + 1 < argc) {
			if (argv[i][2] == 's')
				f.state = argv[i + 1];
			else
				f.users = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--state=", 8) == 0) {
			f.state = argv[i++] + 8;
		} else if (strncmp(argv[i], "--users=", 8) == 0) {
			f.users = argv[i++] + 8;
		} else {
			break;
		}
	}
	if (i < argc && (strcmp(argv[i], "users") == 0 || strcmp(argv[i], "tokens") == 0)) {
		if (!f.users) {
			buf_printf(&f.users_owned, "%s.users", f.state);
			f.users = buf_str(&f.users_owned);
		}
		int rc = sw_manage(&f, argc - i, argv + i);
		buf_free(&f.users_owned);
		return rc;
	}
	return sw_serve(argc, argv, state);
}
