build-clang/obj/jobs/overspeed/rwriter.o: jobs/overspeed/rwriter.c \
  jobs/overspeed/rwriter.h jobs/common/redisconn.h jobs/common/job.h \
  jobs/common/redis_tls.h jobs/overspeed/window.h jobs/common/records.h \
  jobs/overspeed/rule.h jobs/common/evtime.h lib/civil.h

jobs/overspeed/rwriter.h:

jobs/common/redisconn.h:

jobs/common/job.h:

jobs/common/redis_tls.h:

jobs/overspeed/window.h:

jobs/common/records.h:

jobs/overspeed/rule.h:

jobs/common/evtime.h:

lib/civil.h:
