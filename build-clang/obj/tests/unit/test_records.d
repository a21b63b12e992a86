build-clang/obj/tests/unit/test_records.o: tests/unit/test_records.c \
  jobs/common/records.h jobs/common/job.h

jobs/common/records.h:

jobs/common/job.h:
