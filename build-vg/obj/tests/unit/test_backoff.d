build-vg/obj/tests/unit/test_backoff.o: tests/unit/test_backoff.c \
 scheduler/backoff.h scheduler/dag.h scheduler/cron.h scheduler/diag.h
scheduler/backoff.h:
scheduler/dag.h:
scheduler/cron.h:
scheduler/diag.h:
