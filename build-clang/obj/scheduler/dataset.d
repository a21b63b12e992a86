build-clang/obj/scheduler/dataset.o: scheduler/dataset.c \
  scheduler/dataset.h

scheduler/dataset.h:
