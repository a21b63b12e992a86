build/obj/ui-cli/cmd_test.o: ui-cli/cmd_test.c ui-cli/schedctl.h \
 scheduler/store.h scheduler/cron.h scheduler/dag.h scheduler/diag.h \
 scheduler/render.h scheduler/template.h scheduler/tz.h
ui-cli/schedctl.h:
scheduler/store.h:
scheduler/cron.h:
scheduler/dag.h:
scheduler/diag.h:
scheduler/render.h:
scheduler/template.h:
scheduler/tz.h:
