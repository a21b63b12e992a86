build-clang/obj/jobs/overspeed/overspeed.o: jobs/overspeed/overspeed.c \
  jobs/common/evtime.h lib/civil.h jobs/common/job.h \
  jobs/common/kgroup.h jobs/common/redisconn.h jobs/common/redis_tls.h \
  jobs/overspeed/ovs_opts.h jobs/common/kconf.h lib/options.h \
  jobs/overspeed/rule.h jobs/overspeed/rwriter.h jobs/overspeed/window.h \
  jobs/common/records.h

jobs/common/evtime.h:

lib/civil.h:

jobs/common/job.h:

jobs/common/kgroup.h:

jobs/common/redisconn.h:

jobs/common/redis_tls.h:

jobs/overspeed/ovs_opts.h:

jobs/common/kconf.h:

lib/options.h:

jobs/overspeed/rule.h:

jobs/overspeed/rwriter.h:

jobs/overspeed/window.h:

jobs/common/records.h:
