build-clang/obj/jobs/spool-loader/srcmap.o: jobs/spool-loader/srcmap.c \
  jobs/spool-loader/srcmap.h jobs/common/job.h

jobs/spool-loader/srcmap.h:

jobs/common/job.h:
