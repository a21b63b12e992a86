build-clang/obj/scheduler/cron.o: scheduler/cron.c scheduler/cron.h \
  scheduler/tz.h lib/civil.h

scheduler/cron.h:

scheduler/tz.h:

lib/civil.h:
