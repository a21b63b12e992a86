build-clang/obj/jobs/rollup/output.o: jobs/rollup/output.c \
  jobs/common/publish.h jobs/common/job.h jobs/common/storage.h \
  jobs/rollup/rollup.h jobs/rollup/period.h lib/buf.h

jobs/common/publish.h:

jobs/common/job.h:

jobs/common/storage.h:

jobs/rollup/rollup.h:

jobs/rollup/period.h:

lib/buf.h:
