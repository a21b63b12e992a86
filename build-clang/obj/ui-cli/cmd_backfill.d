build-clang/obj/ui-cli/cmd_backfill.o: ui-cli/cmd_backfill.c \
  ui-cli/schedctl.h lib/json.h lib/options.h lib/progress.h \
  scheduler/dagmeta.h scheduler/query.h lib/path.h scheduler/store.h \
  scheduler/cron.h scheduler/store_cli.h scheduler/tz.h

ui-cli/schedctl.h:

lib/json.h:

lib/options.h:

lib/progress.h:

scheduler/dagmeta.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

scheduler/cron.h:

scheduler/store_cli.h:

scheduler/tz.h:
