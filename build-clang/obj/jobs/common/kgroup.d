build-clang/obj/jobs/common/kgroup.o: jobs/common/kgroup.c \
  jobs/common/kgroup.h jobs/common/job.h

jobs/common/kgroup.h:

jobs/common/job.h:
