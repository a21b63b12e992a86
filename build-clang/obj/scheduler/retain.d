build-clang/obj/scheduler/retain.o: scheduler/retain.c scheduler/retain.h \
  scheduler/daemon.h executors/local.h scheduler/dag.h scheduler/cron.h \
  scheduler/diag.h scheduler/pool.h scheduler/proc.h scheduler/store.h \
  scheduler/dag_parse.h scheduler/slog.h scheduler/store_clean.h

scheduler/retain.h:

scheduler/daemon.h:

executors/local.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/pool.h:

scheduler/proc.h:

scheduler/store.h:

scheduler/dag_parse.h:

scheduler/slog.h:

scheduler/store_clean.h:
