build-clang/obj/scheduler/dagver.o: scheduler/dagver.c scheduler/daemon.h \
  executors/local.h scheduler/dag.h scheduler/cron.h scheduler/diag.h \
  scheduler/pool.h scheduler/proc.h scheduler/store.h scheduler/slog.h \
  scheduler/store_daemon.h lib/xalloc.h

scheduler/daemon.h:

executors/local.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/pool.h:

scheduler/proc.h:

scheduler/store.h:

scheduler/slog.h:

scheduler/store_daemon.h:

lib/xalloc.h:
