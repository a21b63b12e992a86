build/obj/ui-cli/cmd_pause.o: ui-cli/cmd_pause.c ui-cli/schedctl.h \
 scheduler/store.h
ui-cli/schedctl.h:
scheduler/store.h:
