build-clang/obj/jobs/spool-loader/filter.o: jobs/spool-loader/filter.c \
  jobs/spool-loader/filter.h jobs/common/job.h jobs/common/records.h

jobs/spool-loader/filter.h:

jobs/common/job.h:

jobs/common/records.h:
