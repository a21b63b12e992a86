build/obj/ui-cli/dates.o: ui-cli/dates.c ui-cli/schedctl.h \
 scheduler/store.h scheduler/tz.h
ui-cli/schedctl.h:
scheduler/store.h:
scheduler/tz.h:
