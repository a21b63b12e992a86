build-clang/obj/tests/unit/test_schedctl_grid.o: \
  tests/unit/test_schedctl_grid.c ui-cli/schedctl.h lib/json.h \
  lib/options.h lib/progress.h scheduler/query.h lib/path.h \
  scheduler/store.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:
