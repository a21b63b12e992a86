build/obj/ui-cli/common.o: ui-cli/common.c ui-cli/schedctl.h \
 scheduler/store.h
ui-cli/schedctl.h:
scheduler/store.h:
