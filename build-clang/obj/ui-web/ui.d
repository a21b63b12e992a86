build-clang/obj/ui-web/ui.o: ui-web/ui.c ui-web/ui.h ui-web/web.h \
  lib/buf.h ui-web/embed.h

ui-web/ui.h:

ui-web/web.h:

lib/buf.h:

ui-web/embed.h:
