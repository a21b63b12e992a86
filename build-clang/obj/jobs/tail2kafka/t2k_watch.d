build-clang/obj/jobs/tail2kafka/t2k_watch.o: jobs/tail2kafka/t2k_watch.c \
  jobs/tail2kafka/t2k_watch.h jobs/common/job.h

jobs/tail2kafka/t2k_watch.h:

jobs/common/job.h:
