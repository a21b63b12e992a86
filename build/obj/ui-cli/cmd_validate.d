build/obj/ui-cli/cmd_validate.o: ui-cli/cmd_validate.c ui-cli/schedctl.h \
 scheduler/store.h scheduler/dag.h scheduler/cron.h scheduler/diag.h
ui-cli/schedctl.h:
scheduler/store.h:
scheduler/dag.h:
scheduler/cron.h:
scheduler/diag.h:
