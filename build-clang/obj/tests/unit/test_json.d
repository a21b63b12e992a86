build-clang/obj/tests/unit/test_json.o: tests/unit/test_json.c lib/buf.h \
  lib/json.h

lib/buf.h:

lib/json.h:
