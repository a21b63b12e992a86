build-clang/obj/tests/unit/test_job.o: tests/unit/test_job.c \
  jobs/common/job.h

jobs/common/job.h:
