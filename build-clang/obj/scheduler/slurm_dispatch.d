build-clang/obj/scheduler/slurm_dispatch.o: scheduler/slurm_dispatch.c \
  executors/local.h executors/slurm_client.h executors/slurm_api.h \
  lib/buf.h scheduler/daemon.h scheduler/dag.h scheduler/cron.h \
  scheduler/diag.h scheduler/pool.h scheduler/proc.h scheduler/store.h \
  scheduler/slog.h scheduler/store_daemon.h

executors/local.h:

executors/slurm_client.h:

executors/slurm_api.h:

lib/buf.h:

scheduler/daemon.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/pool.h:

scheduler/proc.h:

scheduler/store.h:

scheduler/slog.h:

scheduler/store_daemon.h:
