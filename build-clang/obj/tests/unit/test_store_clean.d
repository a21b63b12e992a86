build-clang/obj/tests/unit/test_store_clean.o: \
  tests/unit/test_store_clean.c scheduler/store.h \
  scheduler/store_clean.h

scheduler/store.h:

scheduler/store_clean.h:
