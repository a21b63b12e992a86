build-vg/obj/tests/unit/test_datasets.o: tests/unit/test_datasets.c \
 scheduler/dataset.h scheduler/store_dataset.h scheduler/store.h \
 tests/unit/store_fixture.h
scheduler/dataset.h:
scheduler/store_dataset.h:
scheduler/store.h:
tests/unit/store_fixture.h:
