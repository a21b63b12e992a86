build-clang/obj/scheduler/runner.o: scheduler/runner.c executors/local.h \
  executors/slurm_client.h executors/slurm_api.h lib/buf.h lib/json.h \
  lib/xalloc.h scheduler/backoff.h scheduler/dag.h scheduler/cron.h \
  scheduler/diag.h scheduler/daemon.h scheduler/pool.h scheduler/proc.h \
  scheduler/store.h scheduler/duration.h scheduler/logpath.h \
  scheduler/mapindex.h scheduler/notify.h scheduler/render.h \
  scheduler/template.h scheduler/dataset.h scheduler/slog.h \
  scheduler/store_daemon.h scheduler/store_dataset.h \
  scheduler/trigger_rule.h scheduler/tz.h

executors/local.h:

executors/slurm_client.h:

executors/slurm_api.h:

lib/buf.h:

lib/json.h:

lib/xalloc.h:

scheduler/backoff.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/daemon.h:

scheduler/pool.h:

scheduler/proc.h:

scheduler/store.h:

scheduler/duration.h:

scheduler/logpath.h:

scheduler/mapindex.h:

scheduler/notify.h:

scheduler/render.h:

scheduler/template.h:

scheduler/dataset.h:

scheduler/slog.h:

scheduler/store_daemon.h:

scheduler/store_dataset.h:

scheduler/trigger_rule.h:

scheduler/tz.h:
