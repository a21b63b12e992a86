build-vg/obj/tests/unit/test_render.o: tests/unit/test_render.c \
 scheduler/dag.h scheduler/cron.h scheduler/diag.h scheduler/render.h \
 scheduler/template.h
scheduler/dag.h:
scheduler/cron.h:
scheduler/diag.h:
scheduler/render.h:
scheduler/template.h:
