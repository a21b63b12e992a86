build-clang/obj/ui-cli/cmd_test.o: ui-cli/cmd_test.c ui-cli/schedctl.h \
  lib/json.h lib/options.h lib/progress.h scheduler/dagmeta.h \
  scheduler/query.h lib/path.h scheduler/store.h executors/command.h \
  scheduler/cron.h scheduler/dag.h scheduler/diag.h scheduler/mapindex.h \
  scheduler/template.h scheduler/render.h scheduler/tz.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

executors/command.h:

scheduler/cron.h:

scheduler/dag.h:

scheduler/diag.h:

scheduler/mapindex.h:

scheduler/template.h:

scheduler/render.h:

scheduler/tz.h:
