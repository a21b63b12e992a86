build-clang/obj/scheduler/pool.o: scheduler/pool.c scheduler/pool.h \
  lib/xalloc.h scheduler/daemon.h executors/local.h scheduler/dag.h \
  scheduler/cron.h scheduler/diag.h scheduler/proc.h scheduler/store.h \
  scheduler/store_daemon.h

scheduler/pool.h:

lib/xalloc.h:

scheduler/daemon.h:

executors/local.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/proc.h:

scheduler/store.h:

scheduler/store_daemon.h:
