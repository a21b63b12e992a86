build-clang/obj/scheduler/query.o: scheduler/query.c scheduler/query.h \
  lib/path.h scheduler/store.h

scheduler/query.h:

lib/path.h:

scheduler/store.h:
