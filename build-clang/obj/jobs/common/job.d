build-clang/obj/jobs/common/job.o: jobs/common/job.c jobs/common/job.h \
  lib/buf.h lib/json.h lib/civil.h lib/logfmt.h lib/progress.h \
  lib/xalloc.h

jobs/common/job.h:

lib/buf.h:

lib/json.h:

lib/civil.h:

lib/logfmt.h:

lib/progress.h:

lib/xalloc.h:
