build-clang/obj/scheduler/store.o: scheduler/store.c scheduler/store.h \
  lib/path.h lib/xalloc.h scheduler/tz.h

scheduler/store.h:

lib/path.h:

lib/xalloc.h:

scheduler/tz.h:
