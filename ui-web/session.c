/* session.c: POST, GET and DELETE /api/session (session.h). */
#include "ui-web/session.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "lib/json.h"
#include "ui-web/auth.h"
#include "ui-web/server.h"
#include "ui-web/users.h"

static json_t *session_doc(const struct auth_who *who)
{
	json_t *doc = json_object();
	jx_set(doc, "username", jx_str(who->name));
	jx_set(doc, "role", jx_str(users_role_name(who->role)));
	if (who->cookie)
		jx_set(doc, "csrf_token", jx_str(who->csrf));
	return doc;
}

void session_create(const struct web_req *r, struct web_resp *resp)
{
	json_t *body = web_body_json(r, resp);
	if (!body)
		return;
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v) {
		if (strcmp(key, "username") != 0 && strcmp(key, "password") != 0) {
			web_problem(resp, 400, "unknown field '%s' (username, password)", key);
			json_decref(body);
			return;
		}
		if (!json_is_string(v)) {
			web_problem(resp, 400, "field '%s' must be a string", key);
			json_decref(body);
			return;
		}
	}
	const char *name = json_string_value(json_object_get(body, "username"));
	const char *pw = json_string_value(json_object_get(body, "password"));
	if (!name || !pw) {
		web_problem(resp, 400, "field '%s' is required", name ? "password" : "username");
		json_decref(body);
		return;
	}
	if (strlen(pw) != json_string_length(json_object_get(body, "password")) ||
	    strlen(name) != json_string_length(json_object_get(body, "username"))) {
		web_problem(resp, 400, "a NUL byte in the user name or password");
		json_decref(body);
		return;
	}
	struct auth_who who;
	char cookie[256], detail[256];
	enum auth_outcome o = auth_login(name, pw, web_client(r), &who, cookie, sizeof cookie, detail, sizeof detail);
	json_decref(body);	/* the password's copy goes with it */
	if (o == AUTH_LIMITED) {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", who.retry_after);
		web_problem(resp, 429, "%s", detail);
		web_add_header(resp, "Retry-After", ra);
		return;
	}
	if (o != AUTH_OK) {
		web_problem(resp, 401, "%s", detail);
		return;
	}
	web_json(resp, 200, session_doc(&who));
	web_add_header(resp, "Set-Cookie", cookie);
	web_add_header(resp, "Cache-Control", "no-store");
	sodium_memzero(&who, sizeof who);
}

void session_show(const struct web_req *r, struct web_resp *resp)
{
	const struct auth_who *who = web_who(r);
	if (!who) {
		web_problem(resp, 401, "not signed in");
		return;
	}
	web_json(resp, 200, session_doc(who));
	web_add_header(resp, "Cache-Control", "no-store");
}

void session_delete(const struct web_req *r, struct web_resp *resp)
{
	char cookie[256];
	auth_logout(web_cookie(r), cookie, sizeof cookie);
	resp->status = 204;
	web_add_header(resp, "Set-Cookie", cookie);
}
