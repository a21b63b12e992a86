build-clang/obj/tests/unit/test_dag_parse.o: tests/unit/test_dag_parse.c \
  scheduler/dag.h scheduler/cron.h scheduler/diag.h \
  scheduler/dag_parse.h

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/dag_parse.h:
