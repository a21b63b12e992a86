build-clang/obj/jobs/rollup/period.o: jobs/rollup/period.c \
  jobs/rollup/period.h jobs/common/job.h lib/civil.h

jobs/rollup/period.h:

jobs/common/job.h:

lib/civil.h:
