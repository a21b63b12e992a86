build-clang/obj/jobs/kafka2hbase/k2h_opts.o: jobs/kafka2hbase/k2h_opts.c \
  jobs/kafka2hbase/k2h_opts.h jobs/common/job.h jobs/common/kconf.h \
  lib/options.h jobs/common/kgroup.h

jobs/kafka2hbase/k2h_opts.h:

jobs/common/job.h:

jobs/common/kconf.h:

lib/options.h:

jobs/common/kgroup.h:
