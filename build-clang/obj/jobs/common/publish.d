build-clang/obj/jobs/common/publish.o: jobs/common/publish.c \
  jobs/common/publish.h jobs/common/job.h jobs/common/storage.h \
  lib/path.h lib/buf.h lib/xalloc.h

jobs/common/publish.h:

jobs/common/job.h:

jobs/common/storage.h:

lib/path.h:

lib/buf.h:

lib/xalloc.h:
