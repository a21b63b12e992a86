build-clang/obj/ui-web/api_tis.o: ui-web/api_tis.c ui-web/api.h \
  scheduler/query.h lib/path.h scheduler/store.h ui-web/api_parse.h \
  ui-web/web.h lib/buf.h lib/json.h scheduler/dagmeta.h

ui-web/api.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

ui-web/api_parse.h:

ui-web/web.h:

lib/buf.h:

lib/json.h:

scheduler/dagmeta.h:
