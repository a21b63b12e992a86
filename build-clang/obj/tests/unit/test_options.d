build-clang/obj/tests/unit/test_options.o: tests/unit/test_options.c \
  lib/options.h

lib/options.h:
