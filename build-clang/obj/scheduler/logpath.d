build-clang/obj/scheduler/logpath.o: scheduler/logpath.c \
  scheduler/logpath.h lib/path.h

scheduler/logpath.h:

lib/path.h:
