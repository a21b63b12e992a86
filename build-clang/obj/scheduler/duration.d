build-clang/obj/scheduler/duration.o: scheduler/duration.c \
  scheduler/duration.h

scheduler/duration.h:
