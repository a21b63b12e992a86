build-clang/obj/ui-cli/nearest.o: ui-cli/nearest.c ui-cli/schedctl.h \
  lib/json.h lib/options.h lib/progress.h scheduler/dagmeta.h \
  scheduler/query.h lib/path.h scheduler/store.h lib/suggest.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

lib/suggest.h:
