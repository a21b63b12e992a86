build-clang/obj/jobs/rollup/agg.o: jobs/rollup/agg.c jobs/rollup/agg.h \
  jobs/common/job.h jobs/common/records.h

jobs/rollup/agg.h:

jobs/common/job.h:

jobs/common/records.h:
