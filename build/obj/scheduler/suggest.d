build/obj/scheduler/suggest.o: scheduler/suggest.c scheduler/suggest.h
scheduler/suggest.h:
