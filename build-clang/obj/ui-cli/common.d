build-clang/obj/ui-cli/common.o: ui-cli/common.c ui-cli/schedctl.h \
  lib/json.h lib/options.h lib/progress.h scheduler/dagmeta.h \
  scheduler/query.h lib/path.h scheduler/store.h lib/buf.h \
  lib/termsafe.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

lib/buf.h:

lib/termsafe.h:
