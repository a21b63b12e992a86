build-clang/obj/ui-cli/table.o: ui-cli/table.c ui-cli/schedctl.h \
  lib/json.h lib/options.h lib/progress.h scheduler/dagmeta.h \
  scheduler/query.h lib/path.h scheduler/store.h lib/termsafe.h \
  lib/buf.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

lib/termsafe.h:

lib/buf.h:
