build-clang/obj/ui-cli/dag_versions.o: ui-cli/dag_versions.c \
  ui-cli/schedctl.h lib/json.h lib/options.h lib/progress.h \
  scheduler/dagmeta.h scheduler/query.h lib/path.h scheduler/store.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:
