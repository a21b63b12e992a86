build-clang/obj/jobs/spool-loader/partq.o: jobs/spool-loader/partq.c \
  jobs/spool-loader/partq.h jobs/common/job.h jobs/common/storage.h

jobs/spool-loader/partq.h:

jobs/common/job.h:

jobs/common/storage.h:
