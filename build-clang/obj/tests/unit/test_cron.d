build-clang/obj/tests/unit/test_cron.o: tests/unit/test_cron.c \
  scheduler/cron.h scheduler/tz.h lib/civil.h

scheduler/cron.h:

scheduler/tz.h:

lib/civil.h:
