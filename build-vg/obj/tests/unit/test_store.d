build-vg/obj/tests/unit/test_store.o: tests/unit/test_store.c \
 scheduler/checkpoint.h scheduler/store.h tests/unit/store_fixture.h
scheduler/checkpoint.h:
scheduler/store.h:
tests/unit/store_fixture.h:
