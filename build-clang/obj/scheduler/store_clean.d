build-clang/obj/scheduler/store_clean.o: scheduler/store_clean.c \
  scheduler/store_clean.h scheduler/store.h lib/xalloc.h \
  scheduler/store_dataset.h

scheduler/store_clean.h:

scheduler/store.h:

lib/xalloc.h:

scheduler/store_dataset.h:
