build-clang/obj/scheduler/planner.o: scheduler/planner.c \
  scheduler/daemon.h executors/local.h scheduler/dag.h scheduler/cron.h \
  scheduler/diag.h scheduler/pool.h scheduler/proc.h scheduler/store.h \
  scheduler/slog.h scheduler/store_daemon.h scheduler/store_dataset.h

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

scheduler/store_dataset.h:
