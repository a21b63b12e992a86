build-clang/obj/ui-cli/dagmeta.o: ui-cli/dagmeta.c ui-cli/schedctl.h \
  lib/json.h lib/options.h lib/progress.h scheduler/query.h lib/path.h \
  scheduler/store.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:
