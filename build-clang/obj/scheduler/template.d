build-clang/obj/scheduler/template.o: scheduler/template.c \
  scheduler/template.h scheduler/dag.h scheduler/cron.h scheduler/diag.h \
  lib/buf.h lib/civil.h lib/json.h lib/suggest.h lib/xalloc.h \
  scheduler/tz.h

scheduler/template.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

lib/buf.h:

lib/civil.h:

lib/json.h:

lib/suggest.h:

lib/xalloc.h:

scheduler/tz.h:
