build-clang/obj/scheduler/dagbag.o: scheduler/dagbag.c scheduler/daemon.h \
  executors/local.h scheduler/dag.h scheduler/cron.h scheduler/diag.h \
  scheduler/pool.h scheduler/proc.h scheduler/store.h \
  scheduler/dag_parse.h scheduler/slog.h scheduler/store_daemon.h \
  lib/buf.h lib/json.h

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

scheduler/store_daemon.h:

lib/buf.h:

lib/json.h:
