build/obj/ui-cli/options.o: ui-cli/options.c ui-cli/schedctl.h \
 scheduler/store.h
ui-cli/schedctl.h:
scheduler/store.h:
