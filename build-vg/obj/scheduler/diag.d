build-vg/obj/scheduler/diag.o: scheduler/diag.c scheduler/diag.h
scheduler/diag.h:
