build-clang/obj/scheduler/dispatch.o: scheduler/dispatch.c \
  executors/launcher.h executors/local.h scheduler/daemon.h \
  scheduler/dag.h scheduler/cron.h scheduler/diag.h scheduler/pool.h \
  scheduler/proc.h scheduler/store.h scheduler/slog.h

executors/launcher.h:

executors/local.h:

scheduler/daemon.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/pool.h:

scheduler/proc.h:

scheduler/store.h:

scheduler/slog.h:
