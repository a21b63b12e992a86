build-clang/obj/tests/unit/test_dag_load.o: tests/unit/test_dag_load.c \
  scheduler/dag.h scheduler/cron.h scheduler/diag.h scheduler/store.h \
  scheduler/tz.h

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/store.h:

scheduler/tz.h:
