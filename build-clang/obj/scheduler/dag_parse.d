build-clang/obj/scheduler/dag_parse.o: scheduler/dag_parse.c \
  scheduler/dag_parse.h scheduler/dag.h scheduler/cron.h \
  scheduler/diag.h scheduler/duration.h scheduler/slog.h

scheduler/dag_parse.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/duration.h:

scheduler/slog.h:
