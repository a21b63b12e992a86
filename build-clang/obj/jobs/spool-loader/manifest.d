build-clang/obj/jobs/spool-loader/manifest.o: \
  jobs/spool-loader/manifest.c jobs/spool-loader/manifest.h \
  jobs/common/job.h lib/path.h

jobs/spool-loader/manifest.h:

jobs/common/job.h:

lib/path.h:
