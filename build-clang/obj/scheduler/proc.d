build-clang/obj/scheduler/proc.o: scheduler/proc.c scheduler/proc.h \
  executors/local.h scheduler/daemon.h scheduler/dag.h scheduler/cron.h \
  scheduler/diag.h scheduler/pool.h scheduler/store.h scheduler/slog.h

scheduler/proc.h:

executors/local.h:

scheduler/daemon.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/pool.h:

scheduler/store.h:

scheduler/slog.h:
