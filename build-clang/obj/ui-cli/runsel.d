build-clang/obj/ui-cli/runsel.o: ui-cli/runsel.c ui-cli/schedctl.h \
  lib/json.h lib/options.h lib/progress.h scheduler/dagmeta.h \
  scheduler/query.h lib/path.h scheduler/store.h lib/civil.h \
  scheduler/cron.h scheduler/tz.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

lib/civil.h:

scheduler/cron.h:

scheduler/tz.h:
