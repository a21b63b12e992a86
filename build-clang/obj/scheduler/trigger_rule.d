build-clang/obj/scheduler/trigger_rule.o: scheduler/trigger_rule.c \
  scheduler/trigger_rule.h scheduler/dag.h scheduler/cron.h \
  scheduler/diag.h

scheduler/trigger_rule.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:
