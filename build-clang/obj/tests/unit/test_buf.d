build-clang/obj/tests/unit/test_buf.o: tests/unit/test_buf.c lib/buf.h

lib/buf.h:
