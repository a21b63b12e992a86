build-clang/obj/scheduler/schedulerd.o: scheduler/schedulerd.c \
  lib/options.h scheduler/daemon.h executors/local.h scheduler/dag.h \
  scheduler/cron.h scheduler/diag.h scheduler/pool.h scheduler/proc.h \
  scheduler/store.h scheduler/dag_parse.h scheduler/duration.h \
  scheduler/notify_send.h scheduler/notify_channel.h scheduler/retain.h \
  lib/logfmt.h lib/buf.h scheduler/slog.h

lib/options.h:

scheduler/daemon.h:

executors/local.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/pool.h:

scheduler/proc.h:

scheduler/store.h:

scheduler/dag_parse.h:

scheduler/duration.h:

scheduler/notify_send.h:

scheduler/notify_channel.h:

scheduler/retain.h:

lib/logfmt.h:

lib/buf.h:

scheduler/slog.h:
