build-clang/obj/ui-web/metrics.o: ui-web/metrics.c scheduler/query.h \
  lib/path.h scheduler/store.h scheduler/query_metrics.h \
  scheduler/status.h ui-web/web.h lib/buf.h

scheduler/query.h:

lib/path.h:

scheduler/store.h:

scheduler/query_metrics.h:

scheduler/status.h:

ui-web/web.h:

lib/buf.h:
