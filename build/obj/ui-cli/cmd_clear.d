build/obj/ui-cli/cmd_clear.o: ui-cli/cmd_clear.c ui-cli/schedctl.h \
 scheduler/store.h
ui-cli/schedctl.h:
scheduler/store.h:
