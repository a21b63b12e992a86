build-clang/obj/scheduler/backoff.o: scheduler/backoff.c \
  scheduler/backoff.h scheduler/dag.h scheduler/cron.h scheduler/diag.h

scheduler/backoff.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:
