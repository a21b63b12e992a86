build-clang/obj/ui-cli/params.o: ui-cli/params.c ui-cli/schedctl.h \
  lib/json.h lib/options.h lib/progress.h scheduler/dagmeta.h \
  scheduler/query.h lib/path.h scheduler/store.h lib/xalloc.h \
  scheduler/dag.h scheduler/cron.h scheduler/diag.h \
  scheduler/dag_params.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

lib/xalloc.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/dag_params.h:
