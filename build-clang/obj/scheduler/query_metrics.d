build-clang/obj/scheduler/query_metrics.o: scheduler/query_metrics.c \
  lib/xalloc.h scheduler/query.h lib/path.h scheduler/store.h \
  scheduler/query_metrics.h scheduler/status.h

lib/xalloc.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

scheduler/query_metrics.h:

scheduler/status.h:
