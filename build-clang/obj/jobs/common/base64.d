build-clang/obj/jobs/common/base64.o: jobs/common/base64.c \
  jobs/common/base64.h lib/buf.h lib/xalloc.h

jobs/common/base64.h:

lib/buf.h:

lib/xalloc.h:
