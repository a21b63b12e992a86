build-clang/obj/scheduler/store_dataset.o: scheduler/store_dataset.c \
  scheduler/store_dataset.h scheduler/store.h lib/buf.h lib/json.h \
  scheduler/mapindex.h

scheduler/store_dataset.h:

scheduler/store.h:

lib/buf.h:

lib/json.h:

scheduler/mapindex.h:
