build-clang/obj/jobs/overspeed/ovs_opts.o: jobs/overspeed/ovs_opts.c \
  jobs/overspeed/ovs_opts.h jobs/common/job.h jobs/common/kconf.h \
  lib/options.h jobs/common/kgroup.h

jobs/overspeed/ovs_opts.h:

jobs/common/job.h:

jobs/common/kconf.h:

lib/options.h:

jobs/common/kgroup.h:
