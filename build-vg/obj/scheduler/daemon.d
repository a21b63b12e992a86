build-vg/obj/scheduler/daemon.o: scheduler/daemon.c executors/launcher.h \
 executors/local.h scheduler/checkpoint.h scheduler/daemon.h \
 scheduler/dag.h scheduler/cron.h scheduler/diag.h scheduler/proc.h \
 scheduler/store.h scheduler/retain.h scheduler/slog.h \
 scheduler/store_daemon.h scheduler/wake.h
executors/launcher.h:
executors/local.h:
scheduler/checkpoint.h:
scheduler/daemon.h:
scheduler/dag.h:
scheduler/cron.h:
scheduler/diag.h:
scheduler/proc.h:
scheduler/store.h:
scheduler/retain.h:
scheduler/slog.h:
scheduler/store_daemon.h:
scheduler/wake.h:
