/* ui.c: the web UI's addresses (web_ui_routes).
 *
 * Every bookmarkable address of the UI (/, /login, /dags/ID/grid,
 * /dags/ID/graph, /dags/ID/runs/RUN, /dags/ID/runs/RUN/tasks/TASK) answers
 * the same shell, ui-web/static/index.html; its script (app.js) draws the
 * page the address names, so a shared link opens the same page. The shell
 * holds no data, so it is served without credentials: the script signs in
 * (the session endpoints of auth.c) and reads through /ui/ (ui_data.c,
 * viewer) and /api/v1 (web-api).
 *
 * /static/NAME serves the files of ui-web/static/, embedded in the binary at
 * build time (nothing is read from the disk at run time), with an ETag of
 * their bytes: the browser keeps them and asks again with If-None-Match,
 * answered 304 without a body.
 *
 * Every answer of the UI carries UI_CSP (ui.h) and Referrer-Policy:
 * same-origin (the server adds X-Content-Type-Options: nosniff to every
 * answer); the pages and /ui/ answers
 * Cache-Control: no-cache (revalidate: the /ui/ answers carry an ETag of
 * their body too, so an unchanged grid polled every 2 s costs a 304). */
#include "ui-web/ui.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ui-web/embed.h"

/* ---- the files of ui-web/static/ (ui-web/static/build.mk makes this
 * object depend on them) */

WEB_EMBED(ui_index_html, "ui-web/static/index.html");
WEB_EMBED(ui_app_js, "ui-web/static/app.js");
WEB_EMBED(ui_layout_js, "ui-web/static/layout.js");
WEB_EMBED(ui_app_css, "ui-web/static/app.css");
WEB_EMBED(ui_favicon_svg, "ui-web/static/favicon.svg");

struct ui_file {
	const char *name;
	const unsigned char *data, *end;
};
static const struct ui_file ui_files[] = {
	{ "index.html", ui_index_html, ui_index_html_end },
	{ "app.js", ui_app_js, ui_app_js_end },
	{ "layout.js", ui_layout_js, ui_layout_js_end },
	{ "app.css", ui_app_css, ui_app_css_end },
	{ "favicon.svg", ui_favicon_svg, ui_favicon_svg_end },
};
#define UI_NFILES (sizeof ui_files / sizeof ui_files[0])

/* ---- headers */

static void ui_security_headers(struct web_resp *resp)
{
	web_add_header(resp, "Content-Security-Policy", UI_CSP);
	web_add_header(resp, "Referrer-Policy", "same-origin");
}

/* A strong ETag of bytes: FNV-1a 64, quoted. */
static void ui_etag(const void *p, size_t n, char out[20])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= ((const unsigned char *)p)[i];
		h *= 0x100000001b3ULL;
	}
	snprintf(out, 20, "\"%016llx\"", (unsigned long long)h);
}

/* True (and a 304 in resp) when the client holds that version already. */
static bool ui_not_modified(const struct web_req *r, struct web_resp *resp, const char *etag)
{
	const char *inm = web_header(r, "If-None-Match");
	if (!inm || !strstr(inm, etag))
		return false;
	buf_free(&resp->body);	/* the server frees a body only when it has bytes */
	resp->status = 304;
	return true;
}

static const char *ui_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* ---- files */

static char ui_etags[UI_NFILES][20];
static pthread_once_t ui_etags_once = PTHREAD_ONCE_INIT;

static void ui_etags_init(void)
{
	for (size_t i = 0; i < UI_NFILES; i++)
		ui_etag(ui_files[i].data, (size_t)(ui_files[i].end - ui_files[i].data), ui_etags[i]);
}

static void ui_send_file(const struct web_req *r, struct web_resp *resp, const char *name,
			 const char *cache)
{
	pthread_once(&ui_etags_once, ui_etags_init);
	ui_security_headers(resp);
	for (size_t i = 0; i < UI_NFILES; i++) {
		if (strcmp(ui_files[i].name, name) != 0)
			continue;
		web_add_header(resp, "Cache-Control", cache);
		web_add_header(resp, "ETag", ui_etags[i]);
		if (ui_not_modified(r, resp, ui_etags[i]))
			return;
		web_text(resp, 200, ui_type(name), (const char *)ui_files[i].data,
			 (size_t)(ui_files[i].end - ui_files[i].data));
		return;
	}
	web_problem(resp, 404, "no file %s in the web UI", name);
}

static void ui_page(const struct web_req *r, struct web_resp *resp)
{
	ui_send_file(r, resp, "index.html", "no-cache");
}

static void ui_static(const struct web_req *r, struct web_resp *resp)
{
	/* Revalidated after a minute: an upgraded schedweb's files are used
	 * at the latest a minute later, without a build step to rename them. */
	ui_send_file(r, resp, web_param(r, "name"), "public, max-age=60");
}

/* ---- the /ui/ reads: the handler's answer, with an ETag of its body */

static void ui_read(const struct web_req *r, struct web_resp *resp, web_handler *h)
{
	h(r, resp);
	ui_security_headers(resp);
	web_add_header(resp, "Cache-Control", "no-cache, private");
	if (resp->status != 200)
		return;
	char etag[20];
	ui_etag(resp->body.s, resp->body.len, etag);
	web_add_header(resp, "ETag", etag);
	ui_not_modified(r, resp, etag);
}

#define UI_READ(fn) \
	static void fn##_etag(const struct web_req *r, struct web_resp *resp) { ui_read(r, resp, fn); }
UI_READ(ui_get_dags)
UI_READ(ui_get_grid)
UI_READ(ui_get_graph)
UI_READ(ui_get_run)
UI_READ(ui_get_ti)

const struct web_route web_ui_routes[] = {
	{ "GET", "/", WEB_ROLE_NONE, ui_page },
	{ "GET", "/login", WEB_ROLE_NONE, ui_page },
	{ "GET", "/dags/{dag_id}/grid", WEB_ROLE_NONE, ui_page },
	{ "GET", "/dags/{dag_id}/graph", WEB_ROLE_NONE, ui_page },
	{ "GET", "/dags/{dag_id}/runs/{run_id}", WEB_ROLE_NONE, ui_page },
	{ "GET", "/dags/{dag_id}/runs/{run_id}/tasks/{task_id}", WEB_ROLE_NONE, ui_page },
	{ "GET", "/static/{name}", WEB_ROLE_NONE, ui_static },
	{ "GET", "/ui/dags", WEB_ROLE_VIEWER, ui_get_dags_etag },
	{ "GET", "/ui/grid", WEB_ROLE_VIEWER, ui_get_grid_etag },
	{ "GET", "/ui/graph", WEB_ROLE_VIEWER, ui_get_graph_etag },
	{ "GET", "/ui/run", WEB_ROLE_VIEWER, ui_get_run_etag },
	{ "GET", "/ui/ti", WEB_ROLE_VIEWER, ui_get_ti_etag },
	{ NULL, NULL, WEB_ROLE_NONE, NULL },
};
