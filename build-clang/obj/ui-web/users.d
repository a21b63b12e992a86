build-clang/obj/ui-web/users.o: ui-web/users.c ui-web/users.h \
  ui-web/web.h lib/buf.h lib/xalloc.h

ui-web/users.h:

ui-web/web.h:

lib/buf.h:

lib/xalloc.h:
