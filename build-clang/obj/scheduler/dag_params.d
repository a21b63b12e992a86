build-clang/obj/scheduler/dag_params.o: scheduler/dag_params.c \
  scheduler/dag_params.h lib/suggest.h lib/xalloc.h scheduler/dag.h \
  scheduler/cron.h scheduler/diag.h

scheduler/dag_params.h:

lib/suggest.h:

lib/xalloc.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:
