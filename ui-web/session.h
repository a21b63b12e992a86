/* session.h: the web UI's session endpoints (auth.h has the model):
 *   POST /api/session {"username","password"} -> 200 {"username","role",
 *        "csrf_token"} and the cookie; 401 wrong, 429 too many failures
 *   GET /api/session -> who am I: {"username","role"} and, with a cookie,
 *        "csrf_token"; 401 when no one
 *   DELETE /api/session -> 204, the session ended and the cookie cleared */
#ifndef UI_WEB_SESSION_H
#define UI_WEB_SESSION_H

#include "ui-web/web.h"

web_handler session_create, session_show, session_delete;

#endif
