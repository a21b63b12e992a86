build-clang/obj/scheduler/recover.o: scheduler/recover.c \
  executors/local.h scheduler/daemon.h scheduler/dag.h scheduler/cron.h \
  scheduler/diag.h scheduler/pool.h scheduler/proc.h scheduler/store.h \
  scheduler/slog.h scheduler/store_daemon.h

executors/local.h:

scheduler/daemon.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/pool.h:

scheduler/proc.h:

scheduler/store.h:

scheduler/slog.h:

scheduler/store_daemon.h:
