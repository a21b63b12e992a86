build-clang/obj/jobs/common/records.o: jobs/common/records.c \
  jobs/common/records.h jobs/common/job.h jobs/common/evtime.h \
  lib/civil.h

jobs/common/records.h:

jobs/common/job.h:

jobs/common/evtime.h:

lib/civil.h:
