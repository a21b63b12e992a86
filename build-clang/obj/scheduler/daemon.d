build-clang/obj/scheduler/daemon.o: scheduler/daemon.c \
  executors/launcher.h executors/local.h scheduler/checkpoint.h \
  scheduler/daemon.h scheduler/dag.h scheduler/cron.h scheduler/diag.h \
  scheduler/pool.h scheduler/proc.h scheduler/store.h \
  scheduler/notify_send.h scheduler/notify_channel.h scheduler/retain.h \
  scheduler/slog.h scheduler/status.h scheduler/store_daemon.h \
  scheduler/wake.h

executors/launcher.h:

executors/local.h:

scheduler/checkpoint.h:

scheduler/daemon.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/pool.h:

scheduler/proc.h:

scheduler/store.h:

scheduler/notify_send.h:

scheduler/notify_channel.h:

scheduler/retain.h:

scheduler/slog.h:

scheduler/status.h:

scheduler/store_daemon.h:

scheduler/wake.h:
