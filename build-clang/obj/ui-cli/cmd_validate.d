build-clang/obj/ui-cli/cmd_validate.o: ui-cli/cmd_validate.c \
  ui-cli/schedctl.h lib/json.h lib/options.h lib/progress.h \
  scheduler/dagmeta.h scheduler/query.h lib/path.h scheduler/store.h \
  scheduler/dag.h scheduler/cron.h scheduler/diag.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:
