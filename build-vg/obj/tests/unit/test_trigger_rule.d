build-vg/obj/tests/unit/test_trigger_rule.o: \
 tests/unit/test_trigger_rule.c scheduler/trigger_rule.h scheduler/dag.h \
 scheduler/cron.h scheduler/diag.h
scheduler/trigger_rule.h:
scheduler/dag.h:
scheduler/cron.h:
scheduler/diag.h:
