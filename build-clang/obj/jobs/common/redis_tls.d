build-clang/obj/jobs/common/redis_tls.o: jobs/common/redis_tls.c \
  jobs/common/redis_tls.h jobs/common/job.h lib/buf.h lib/xalloc.h

jobs/common/redis_tls.h:

jobs/common/job.h:

lib/buf.h:

lib/xalloc.h:
