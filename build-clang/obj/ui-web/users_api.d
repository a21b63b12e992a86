build-clang/obj/ui-web/users_api.o: ui-web/users_api.c ui-web/users_api.h \
  ui-web/web.h lib/buf.h lib/json.h ui-web/auth.h ui-web/users.h

ui-web/users_api.h:

ui-web/web.h:

lib/buf.h:

lib/json.h:

ui-web/auth.h:

ui-web/users.h:
