build-clang/obj/jobs/rollup/dayscan.o: jobs/rollup/dayscan.c \
  jobs/rollup/dayscan.h jobs/common/job.h jobs/common/storage.h \
  jobs/rollup/agg.h jobs/common/records.h

jobs/rollup/dayscan.h:

jobs/common/job.h:

jobs/common/storage.h:

jobs/rollup/agg.h:

jobs/common/records.h:
