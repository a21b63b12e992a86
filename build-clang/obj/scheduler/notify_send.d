build-clang/obj/scheduler/notify_send.o: scheduler/notify_send.c \
  scheduler/notify_send.h scheduler/notify_channel.h lib/xalloc.h \
  scheduler/daemon.h executors/local.h scheduler/dag.h scheduler/cron.h \
  scheduler/diag.h scheduler/pool.h scheduler/proc.h scheduler/store.h \
  scheduler/dag_parse.h scheduler/slog.h

scheduler/notify_send.h:

scheduler/notify_channel.h:

lib/xalloc.h:

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
