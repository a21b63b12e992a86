/* users_api.h: GET/POST /api/users, DELETE /api/users/{username} (admin). */
#ifndef UI_WEB_USERS_API_H
#define UI_WEB_USERS_API_H

#include "ui-web/web.h"

web_handler users_api_list, users_api_create, users_api_delete;

#endif
