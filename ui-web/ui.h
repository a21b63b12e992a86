/* ui.h: the web UI's handlers (ui.c: pages and static files; ui_data.c: the
 * private JSON reads of the pages). The route table is web_ui_routes (web.h). */
#ifndef UI_WEB_UI_H
#define UI_WEB_UI_H

#include "ui-web/web.h"

/* The Content-Security-Policy of every page and file of the UI: scripts,
 * styles and connections from schedweb itself only, no inline script or
 * style, no plugin, no framing. */
#define UI_CSP "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " \
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

web_handler ui_get_dags, ui_get_grid, ui_get_graph, ui_get_run, ui_get_ti;

#endif
