build-clang/obj/scheduler/dag.o: scheduler/dag.c scheduler/dag.h \
  scheduler/cron.h scheduler/diag.h

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:
