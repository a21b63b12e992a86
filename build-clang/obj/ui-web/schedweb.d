build-clang/obj/ui-web/schedweb.o: ui-web/schedweb.c lib/buf.h lib/json.h \
  lib/options.h ui-web/auth.h ui-web/users.h ui-web/web.h \
  ui-web/server.h

lib/buf.h:

lib/json.h:

lib/options.h:

ui-web/auth.h:

ui-web/users.h:

ui-web/web.h:

ui-web/server.h:
