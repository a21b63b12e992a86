build-clang/obj/ui-web/api_routes.o: ui-web/api_routes.c ui-web/api.h \
  scheduler/query.h lib/path.h scheduler/store.h ui-web/api_parse.h \
  ui-web/web.h lib/buf.h

ui-web/api.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

ui-web/api_parse.h:

ui-web/web.h:

lib/buf.h:
