build/obj/ui-cli/runsel.o: ui-cli/runsel.c ui-cli/schedctl.h \
 scheduler/store.h scheduler/tz.h
ui-cli/schedctl.h:
scheduler/store.h:
scheduler/tz.h:
