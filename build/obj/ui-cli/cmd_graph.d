build/obj/ui-cli/cmd_graph.o: ui-cli/cmd_graph.c ui-cli/schedctl.h \
 scheduler/store.h
ui-cli/schedctl.h:
scheduler/store.h:
