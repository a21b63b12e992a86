build-clang/obj/ui-web/api_runs.o: ui-web/api_runs.c ui-web/api.h \
  scheduler/query.h lib/path.h scheduler/store.h ui-web/api_parse.h \
  ui-web/web.h lib/buf.h lib/json.h lib/xalloc.h scheduler/cron.h \
  scheduler/dag.h scheduler/diag.h scheduler/dag_params.h \
  scheduler/dagmeta.h scheduler/logpath.h scheduler/store_cli.h

ui-web/api.h:

scheduler/query.h:

lib/path.h:

scheduler/store.h:

ui-web/api_parse.h:

ui-web/web.h:

lib/buf.h:

lib/json.h:

lib/xalloc.h:

scheduler/cron.h:

scheduler/dag.h:

scheduler/diag.h:

scheduler/dag_params.h:

scheduler/dagmeta.h:

scheduler/logpath.h:

scheduler/store_cli.h:
