build/obj/ui-cli/grid.o: ui-cli/grid.c ui-cli/schedctl.h \
 scheduler/store.h
ui-cli/schedctl.h:
scheduler/store.h:
