build-clang/obj/jobs/redis-audit/redis_audit.o: \
  jobs/redis-audit/redis_audit.c lib/uri_redact.h jobs/common/evtime.h \
  lib/civil.h jobs/common/job.h jobs/common/redisconn.h \
  jobs/common/redis_tls.h jobs/redis-audit/audit.h \
  jobs/redis-audit/raudit_opts.h lib/options.h

lib/uri_redact.h:

jobs/common/evtime.h:

lib/civil.h:

jobs/common/job.h:

jobs/common/redisconn.h:

jobs/common/redis_tls.h:

jobs/redis-audit/audit.h:

jobs/redis-audit/raudit_opts.h:

lib/options.h:
