build-clang/obj/jobs/common/redisconn.o: jobs/common/redisconn.c \
  jobs/common/redisconn.h jobs/common/job.h jobs/common/redis_tls.h \
  lib/uri_redact.h lib/xalloc.h

jobs/common/redisconn.h:

jobs/common/job.h:

jobs/common/redis_tls.h:

lib/uri_redact.h:

lib/xalloc.h:
