build-clang/obj/scheduler/notify.o: scheduler/notify.c scheduler/notify.h \
  scheduler/dag.h scheduler/cron.h scheduler/diag.h scheduler/store.h \
  lib/buf.h lib/json.h lib/xalloc.h scheduler/store_daemon.h \
  scheduler/template.h scheduler/tz.h

scheduler/notify.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/store.h:

lib/buf.h:

lib/json.h:

lib/xalloc.h:

scheduler/store_daemon.h:

scheduler/template.h:

scheduler/tz.h:
