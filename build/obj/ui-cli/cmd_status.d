build/obj/ui-cli/cmd_status.o: ui-cli/cmd_status.c ui-cli/schedctl.h \
 scheduler/store.h scheduler/tz.h
ui-cli/schedctl.h:
scheduler/store.h:
scheduler/tz.h:
