build/obj/scheduler/dag_load.o: scheduler/dag_load.c scheduler/dag.h \
 scheduler/cron.h scheduler/diag.h scheduler/duration.h \
 scheduler/suggest.h scheduler/template.h scheduler/tz.h
scheduler/dag.h:
scheduler/cron.h:
scheduler/diag.h:
scheduler/duration.h:
scheduler/suggest.h:
scheduler/template.h:
scheduler/tz.h:
