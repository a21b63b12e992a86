build-vg/obj/tests/unit/test_template.o: tests/unit/test_template.c \
 scheduler/dag.h scheduler/cron.h scheduler/diag.h scheduler/template.h
scheduler/dag.h:
scheduler/cron.h:
scheduler/diag.h:
scheduler/template.h:
