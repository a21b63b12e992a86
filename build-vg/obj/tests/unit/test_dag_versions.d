build-vg/obj/tests/unit/test_dag_versions.o: \
 tests/unit/test_dag_versions.c scheduler/query.h lib/path.h \
 scheduler/store.h scheduler/store_cli.h scheduler/store_daemon.h \
 tests/unit/store_fixture.h
scheduler/query.h:
lib/path.h:
scheduler/store.h:
scheduler/store_cli.h:
scheduler/store_daemon.h:
tests/unit/store_fixture.h:
