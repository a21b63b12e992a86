build-clang/obj/scheduler/mapindex.o: scheduler/mapindex.c \
  scheduler/mapindex.h

scheduler/mapindex.h:
