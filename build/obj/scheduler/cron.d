build/obj/scheduler/cron.o: scheduler/cron.c scheduler/cron.h \
 scheduler/tz.h
scheduler/cron.h:
scheduler/tz.h:
