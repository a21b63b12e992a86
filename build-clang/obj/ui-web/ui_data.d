build-clang/obj/ui-web/ui_data.o: ui-web/ui_data.c ui-web/ui.h \
  ui-web/web.h lib/buf.h lib/json.h lib/xalloc.h scheduler/dag.h \
  scheduler/cron.h scheduler/diag.h scheduler/query.h lib/path.h \
  scheduler/store.h scheduler/template.h scheduler/tz.h

ui-web/ui.h:

ui-web/web.h:

lib/buf.h:

lib/json.h:

lib/xalloc.h:

scheduler/dag.h:

scheduler/cron.h:

scheduler/diag.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

scheduler/template.h:

scheduler/tz.h:
