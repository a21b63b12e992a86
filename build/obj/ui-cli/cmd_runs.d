build/obj/ui-cli/cmd_runs.o: ui-cli/cmd_runs.c ui-cli/schedctl.h \
 scheduler/store.h scheduler/tz.h
ui-cli/schedctl.h:
scheduler/store.h:
scheduler/tz.h:
