build-vg/obj/tests/unit/test_schedctl_meta.o: \
 tests/unit/test_schedctl_meta.c ui-cli/schedctl.h lib/json.h \
 lib/options.h lib/progress.h scheduler/query.h lib/path.h \
 scheduler/store.h
ui-cli/schedctl.h:
lib/json.h:
lib/options.h:
lib/progress.h:
scheduler/query.h:
lib/path.h:
scheduler/store.h:
