build-clang/obj/tests/unit/test_path.o: tests/unit/test_path.c lib/path.h

lib/path.h:
