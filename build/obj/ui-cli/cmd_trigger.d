build/obj/ui-cli/cmd_trigger.o: ui-cli/cmd_trigger.c ui-cli/schedctl.h \
 scheduler/store.h scheduler/cron.h scheduler/dag.h scheduler/diag.h \
 scheduler/tz.h
ui-cli/schedctl.h:
scheduler/store.h:
scheduler/cron.h:
scheduler/dag.h:
scheduler/diag.h:
scheduler/tz.h:
