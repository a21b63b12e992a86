build/obj/scheduler/store.o: scheduler/store.c scheduler/store.h \
 scheduler/tz.h
scheduler/store.h:
scheduler/tz.h:
