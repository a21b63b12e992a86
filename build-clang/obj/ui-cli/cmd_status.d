build-clang/obj/ui-cli/cmd_status.o: ui-cli/cmd_status.c \
  ui-cli/schedctl.h lib/json.h lib/options.h lib/progress.h \
  scheduler/dagmeta.h scheduler/query.h lib/path.h scheduler/store.h \
  scheduler/tz.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

scheduler/tz.h:
