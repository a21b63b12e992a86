build-clang/obj/scheduler/store_cli.o: scheduler/store_cli.c \
  scheduler/store_cli.h scheduler/store.h lib/xalloc.h \
  scheduler/store_dataset.h

scheduler/store_cli.h:

scheduler/store.h:

lib/xalloc.h:

scheduler/store_dataset.h:
