build/obj/scheduler/template.o: scheduler/template.c scheduler/template.h \
 scheduler/dag.h scheduler/cron.h scheduler/diag.h scheduler/suggest.h \
 scheduler/tz.h
scheduler/template.h:
scheduler/dag.h:
scheduler/cron.h:
scheduler/diag.h:
scheduler/suggest.h:
scheduler/tz.h:
