build/obj/scheduler/tz.o: scheduler/tz.c scheduler/tz.h
scheduler/tz.h:
