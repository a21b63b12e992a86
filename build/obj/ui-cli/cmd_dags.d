build/obj/ui-cli/cmd_dags.o: ui-cli/cmd_dags.c ui-cli/schedctl.h \
 scheduler/store.h scheduler/tz.h
ui-cli/schedctl.h:
scheduler/store.h:
scheduler/tz.h:
