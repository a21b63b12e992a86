build-clang/obj/ui-web/core.o: ui-web/core.c lib/json.h scheduler/store.h \
  ui-web/embed.h ui-web/server.h ui-web/auth.h ui-web/users.h \
  ui-web/web.h lib/buf.h ui-web/session.h ui-web/users_api.h

lib/json.h:

scheduler/store.h:

ui-web/embed.h:

ui-web/server.h:

ui-web/auth.h:

ui-web/users.h:

ui-web/web.h:

lib/buf.h:

ui-web/session.h:

ui-web/users_api.h:
