build-clang/obj/ui-web/urldecode.o: ui-web/urldecode.c ui-web/server.h \
  ui-web/auth.h ui-web/users.h ui-web/web.h lib/buf.h lib/xalloc.h

ui-web/server.h:

ui-web/auth.h:

ui-web/users.h:

ui-web/web.h:

lib/buf.h:

lib/xalloc.h:
