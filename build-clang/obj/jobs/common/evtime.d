build-clang/obj/jobs/common/evtime.o: jobs/common/evtime.c \
  jobs/common/evtime.h lib/civil.h

jobs/common/evtime.h:

lib/civil.h:
