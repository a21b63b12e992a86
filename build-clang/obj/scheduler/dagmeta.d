build-clang/obj/scheduler/dagmeta.o: scheduler/dagmeta.c \
  scheduler/dagmeta.h scheduler/query.h lib/path.h scheduler/store.h \
  lib/suggest.h

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

lib/suggest.h:
