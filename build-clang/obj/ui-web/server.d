build-clang/obj/ui-web/server.o: ui-web/server.c ui-web/server.h \
  ui-web/auth.h ui-web/users.h ui-web/web.h lib/buf.h lib/json.h \
  lib/logfmt.h lib/xalloc.h scheduler/store.h scheduler/wake.h

ui-web/server.h:

ui-web/auth.h:

ui-web/users.h:

ui-web/web.h:

lib/buf.h:

lib/json.h:

lib/logfmt.h:

lib/xalloc.h:

scheduler/store.h:

scheduler/wake.h:
