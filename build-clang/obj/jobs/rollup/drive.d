build-clang/obj/jobs/rollup/drive.o: jobs/rollup/drive.c \
  jobs/rollup/drive.h jobs/common/job.h jobs/common/records.h \
  jobs/rollup/agg.h

jobs/rollup/drive.h:

jobs/common/job.h:

jobs/common/records.h:

jobs/rollup/agg.h:
