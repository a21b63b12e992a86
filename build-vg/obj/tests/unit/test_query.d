build-vg/obj/tests/unit/test_query.o: tests/unit/test_query.c \
 scheduler/query.h lib/path.h scheduler/store.h
scheduler/query.h:
lib/path.h:
scheduler/store.h:
