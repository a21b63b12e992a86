build/obj/ui-cli/cmd_grid.o: ui-cli/cmd_grid.c ui-cli/schedctl.h \
 scheduler/store.h scheduler/tz.h
ui-cli/schedctl.h:
scheduler/store.h:
scheduler/tz.h:
