build-clang/obj/scheduler/dag_load.o: scheduler/dag_load.c \
  scheduler/dag.h scheduler/cron.h scheduler/diag.h scheduler/dataset.h \
  lib/json.h lib/path.h scheduler/duration.h scheduler/notify.h \
  scheduler/store.h lib/suggest.h scheduler/template.h scheduler/tz.h

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/dataset.h:

lib/json.h:

lib/path.h:

scheduler/duration.h:

scheduler/notify.h:

scheduler/store.h:

lib/suggest.h:

scheduler/template.h:

scheduler/tz.h:
