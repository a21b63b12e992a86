/* users_api.c: admin's management of users over HTTP, the same changes as
 * `schedweb users` (under the users file's lock, users.h):
 *   GET /api/users                  -> {"users":[{"username","role","tokens"}],"total_entries"}
 *   POST /api/users {"username","role","password"} -> 201 {"username","role"}
 *        (400 bad field, 409 the name is taken)
 *   DELETE /api/users/{username}    -> 204 (404 no such user)
 * Tokens are made only on the command line (schedweb tokens create), where
 * the person who will hold one sees it. */
#include "ui-web/users_api.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/json.h"
#include "ui-web/auth.h"
#include "ui-web/users.h"

/* Locks and loads the users file; -1 after answering 500. */
static int uapi_begin(struct users *u, struct web_resp *resp)
{
	char err[512];
	int fd = users_lock(auth_users_path(), err, sizeof err);
	if (fd < 0) {
		web_problem(resp, 500, "the users file cannot be locked: %s", err);
		return -1;
	}
	if (users_load(auth_users_path(), u, err, sizeof err) < 0) {
		close(fd);
		web_problem(resp, 500, "%s", err);
		return -1;
	}
	return fd;
}

static int uapi_commit(struct users *u, int fd, struct web_resp *resp)
{
	char err[512];
	int rc = users_save(auth_users_path(), u, err, sizeof err);
	users_free(u);
	close(fd);
	if (rc < 0)
		web_problem(resp, 500, "the users file cannot be written: %s", err);
	return rc;
}

void users_api_list(const struct web_req *r, struct web_resp *resp)
{
	(void)r;
	struct users u;
	char err[512];
	if (users_load(auth_users_path(), &u, err, sizeof err) < 0) {
		web_problem(resp, 500, "%s", err);
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < u.nuser; i++) {
		json_t *o = json_object();
		jx_set(o, "username", jx_str(u.user[i].name));
		jx_set(o, "role", jx_str(users_role_name(u.user[i].role)));
		size_t nt = 0;
		for (size_t k = 0; k < u.ntoken; k++)
			nt += strcmp(u.token[k].user, u.user[i].name) == 0;
		jx_set(o, "tokens", json_integer((json_int_t)nt));
		json_array_append_new(a, o);
	}
	json_t *doc = json_object();
	jx_set(doc, "users", a);
	jx_set(doc, "total_entries", json_integer((json_int_t)u.nuser));
	users_free(&u);
	web_json(resp, 200, doc);
}

void users_api_create(const struct web_req *r, struct web_resp *resp)
{
	json_t *body = web_body_json(r, resp);
	if (!body)
		return;
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v) {
		if (strcmp(key, "username") != 0 && strcmp(key, "role") != 0 && strcmp(key, "password") != 0) {
			web_problem(resp, 400, "unknown field '%s' (username, role, password)", key);
			goto out;
		}
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
			web_problem(resp, 400, "field '%s' must be a string (without NUL)", key);
			goto out;
		}
	}
	const char *name = json_string_value(json_object_get(body, "username"));
	const char *role = json_string_value(json_object_get(body, "role"));
	const char *pw = json_string_value(json_object_get(body, "password"));
	if (!name || !role || !pw) {
		web_problem(resp, 400, "field '%s' is required", !name ? "username" : !role ? "role" : "password");
		goto out;
	}
	int ro = users_role_parse(role);
	if (ro < 0) {
		web_problem(resp, 400, "field 'role': '%s' is not viewer, operator or admin", role);
		goto out;
	}
	if (!users_name_ok(name)) {
		web_problem(resp, 400, "field 'username': 1 to %d of A-Z a-z 0-9 . _ @ -", USERS_NAME_MAX);
		goto out;
	}
	struct users u;
	int fd = uapi_begin(&u, resp);
	if (fd < 0)
		goto out;
	if (users_find(&u, name)) {
		users_free(&u);
		close(fd);
		web_problem(resp, 409, "user '%s' exists already", name);
		goto out;
	}
	char err[256];
	if (users_add(&u, name, (enum web_role)ro, pw, err, sizeof err) < 0) {
		users_free(&u);
		close(fd);
		web_problem(resp, 400, "field 'password': %s", err);
		goto out;
	}
	if (uapi_commit(&u, fd, resp) < 0)
		goto out;
	json_t *doc = json_object();
	jx_set(doc, "username", jx_str(name));
	jx_set(doc, "role", jx_str(users_role_name((enum web_role)ro)));
	web_json(resp, 201, doc);
out:
	json_decref(body);
}

void users_api_delete(const struct web_req *r, struct web_resp *resp)
{
	const char *name = web_param(r, "username");
	struct users u;
	int fd = uapi_begin(&u, resp);
	if (fd < 0)
		return;
	if (users_delete(&u, name) < 0) {
		users_free(&u);
		close(fd);
		web_problem(resp, 404, "no user '%s'", name);
		return;
	}
	if (uapi_commit(&u, fd, resp) == 0)
		resp->status = 204;
}
