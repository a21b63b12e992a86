build/obj/ui-cli/json_out.o: ui-cli/json_out.c ui-cli/schedctl.h \
 scheduler/store.h scheduler/tz.h
ui-cli/schedctl.h:
scheduler/store.h:
scheduler/tz.h:
