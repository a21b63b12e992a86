build/obj/ui-cli/dagmeta.o: ui-cli/dagmeta.c ui-cli/schedctl.h \
 scheduler/store.h
ui-cli/schedctl.h:
scheduler/store.h:
