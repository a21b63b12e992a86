build/obj/ui-cli/table.o: ui-cli/table.c ui-cli/schedctl.h \
 scheduler/store.h
ui-cli/schedctl.h:
scheduler/store.h:
