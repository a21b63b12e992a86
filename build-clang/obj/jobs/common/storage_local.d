build-clang/obj/jobs/common/storage_local.o: jobs/common/storage_local.c \
  jobs/common/storage_impl.h jobs/common/storage.h jobs/common/job.h

jobs/common/storage_impl.h:

jobs/common/storage.h:

jobs/common/job.h:
