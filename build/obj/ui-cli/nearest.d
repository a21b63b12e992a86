build/obj/ui-cli/nearest.o: ui-cli/nearest.c ui-cli/schedctl.h \
 scheduler/store.h scheduler/suggest.h
ui-cli/schedctl.h:
scheduler/store.h:
scheduler/suggest.h:
