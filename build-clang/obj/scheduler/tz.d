build-clang/obj/scheduler/tz.o: scheduler/tz.c scheduler/tz.h lib/civil.h

scheduler/tz.h:

lib/civil.h:
