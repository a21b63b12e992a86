build-clang/obj/jobs/common/kconf.o: jobs/common/kconf.c \
  jobs/common/kconf.h jobs/common/job.h lib/options.h lib/buf.h \
  lib/xalloc.h

jobs/common/kconf.h:

jobs/common/job.h:

lib/options.h:

lib/buf.h:

lib/xalloc.h:
