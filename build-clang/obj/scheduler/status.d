build-clang/obj/scheduler/status.o: scheduler/status.c scheduler/daemon.h \
  executors/local.h scheduler/dag.h scheduler/cron.h scheduler/diag.h \
  scheduler/pool.h scheduler/proc.h scheduler/store.h scheduler/slog.h \
  scheduler/status.h

scheduler/daemon.h:

executors/local.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/pool.h:

scheduler/proc.h:

scheduler/store.h:

scheduler/slog.h:

scheduler/status.h:
