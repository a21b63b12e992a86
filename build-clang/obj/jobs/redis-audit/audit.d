build-clang/obj/jobs/redis-audit/audit.o: jobs/redis-audit/audit.c \
  jobs/redis-audit/audit.h jobs/common/evtime.h lib/civil.h

jobs/redis-audit/audit.h:

jobs/common/evtime.h:

lib/civil.h:
