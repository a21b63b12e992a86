build/obj/ui-cli/cmd_logs.o: ui-cli/cmd_logs.c ui-cli/schedctl.h \
 scheduler/store.h
ui-cli/schedctl.h:
scheduler/store.h:
