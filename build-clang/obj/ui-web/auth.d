build-clang/obj/ui-web/auth.o: ui-web/auth.c ui-web/auth.h ui-web/users.h \
  ui-web/web.h lib/buf.h lib/logfmt.h

ui-web/auth.h:

ui-web/users.h:

ui-web/web.h:

lib/buf.h:

lib/logfmt.h:
