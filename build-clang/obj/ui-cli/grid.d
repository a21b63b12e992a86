build-clang/obj/ui-cli/grid.o: ui-cli/grid.c ui-cli/schedctl.h lib/json.h \
  lib/options.h lib/progress.h scheduler/dagmeta.h scheduler/query.h \
  lib/path.h scheduler/store.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:
