build-clang/obj/ui-web/api_events.o: ui-web/api_events.c ui-web/api.h \
  scheduler/query.h lib/path.h scheduler/store.h ui-web/api_parse.h \
  ui-web/web.h lib/buf.h lib/json.h

ui-web/api.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

ui-web/api_parse.h:

ui-web/web.h:

lib/buf.h:

lib/json.h:
