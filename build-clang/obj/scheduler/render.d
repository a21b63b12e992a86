build-clang/obj/scheduler/render.o: scheduler/render.c scheduler/render.h \
  scheduler/dag.h scheduler/cron.h scheduler/diag.h scheduler/template.h \
  lib/buf.h lib/xalloc.h scheduler/tz.h

scheduler/render.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/template.h:

lib/buf.h:

lib/xalloc.h:

scheduler/tz.h:
