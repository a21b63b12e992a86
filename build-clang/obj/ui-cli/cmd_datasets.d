build-clang/obj/ui-cli/cmd_datasets.o: ui-cli/cmd_datasets.c \
  ui-cli/schedctl.h lib/json.h lib/options.h lib/progress.h \
  scheduler/dagmeta.h scheduler/query.h lib/path.h scheduler/store.h \
  lib/buf.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

lib/buf.h:
