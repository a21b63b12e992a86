build-clang/obj/jobs/redis-audit/raudit_opts.o: \
  jobs/redis-audit/raudit_opts.c jobs/redis-audit/raudit_opts.h \
  jobs/common/job.h jobs/common/evtime.h lib/civil.h lib/options.h

jobs/redis-audit/raudit_opts.h:

jobs/common/job.h:

jobs/common/evtime.h:

lib/civil.h:

lib/options.h:
