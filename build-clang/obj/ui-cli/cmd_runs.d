build-clang/obj/ui-cli/cmd_runs.o: ui-cli/cmd_runs.c ui-cli/schedctl.h \
  lib/json.h lib/options.h lib/progress.h scheduler/dagmeta.h \
  scheduler/query.h lib/path.h scheduler/store.h lib/xalloc.h \
  scheduler/tz.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

lib/xalloc.h:

scheduler/tz.h:
