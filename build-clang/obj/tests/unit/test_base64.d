build-clang/obj/tests/unit/test_base64.o: tests/unit/test_base64.c \
  jobs/common/base64.h lib/buf.h

jobs/common/base64.h:

lib/buf.h:
