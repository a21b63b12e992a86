build-clang/obj/scheduler/store_daemon.o: scheduler/store_daemon.c \
  scheduler/store_daemon.h scheduler/store.h

scheduler/store_daemon.h:

scheduler/store.h:
