build-clang/obj/tests/unit/test_tz.o: tests/unit/test_tz.c scheduler/tz.h

scheduler/tz.h:
