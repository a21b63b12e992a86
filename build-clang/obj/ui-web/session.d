build-clang/obj/ui-web/session.o: ui-web/session.c ui-web/session.h \
  ui-web/web.h lib/buf.h lib/json.h ui-web/auth.h ui-web/users.h \
  ui-web/server.h

ui-web/session.h:

ui-web/web.h:

lib/buf.h:

lib/json.h:

ui-web/auth.h:

ui-web/users.h:

ui-web/server.h:
