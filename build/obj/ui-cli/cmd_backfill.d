build/obj/ui-cli/cmd_backfill.o: ui-cli/cmd_backfill.c ui-cli/schedctl.h \
 scheduler/store.h scheduler/cron.h scheduler/store_cli.h scheduler/tz.h
ui-cli/schedctl.h:
scheduler/store.h:
scheduler/cron.h:
scheduler/store_cli.h:
scheduler/tz.h:
