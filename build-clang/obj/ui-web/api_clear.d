build-clang/obj/ui-web/api_clear.o: ui-web/api_clear.c ui-web/api.h \
  scheduler/query.h lib/path.h scheduler/store.h ui-web/api_parse.h \
  ui-web/web.h lib/buf.h lib/json.h lib/xalloc.h scheduler/dagmeta.h

ui-web/api.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

ui-web/api_parse.h:

ui-web/web.h:

lib/buf.h:

lib/json.h:

lib/xalloc.h:

scheduler/dagmeta.h:
