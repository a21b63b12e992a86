build-clang/obj/tests/unit/test_store_cli.o: tests/unit/test_store_cli.c \
  scheduler/store.h scheduler/store_cli.h tests/unit/store_fixture.h

scheduler/store.h:

scheduler/store_cli.h:

tests/unit/store_fixture.h:
