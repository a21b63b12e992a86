build-clang/obj/ui-cli/cmd_trigger.o: ui-cli/cmd_trigger.c \
  ui-cli/schedctl.h lib/json.h lib/options.h lib/progress.h \
  scheduler/dagmeta.h scheduler/query.h lib/path.h scheduler/store.h \
  scheduler/cron.h scheduler/dag.h scheduler/diag.h scheduler/tz.h \
  scheduler/wake.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

scheduler/cron.h:

scheduler/dag.h:

scheduler/diag.h:

scheduler/tz.h:

scheduler/wake.h:
