build-clang/obj/jobs/rollup/rollup.o: jobs/rollup/rollup.c \
  jobs/common/job.h jobs/common/records.h jobs/common/storage.h \
  jobs/rollup/agg.h jobs/rollup/dayscan.h jobs/rollup/period.h \
  jobs/rollup/rollup.h lib/buf.h jobs/rollup/rollup_opts.h lib/options.h

jobs/common/job.h:

jobs/common/records.h:

jobs/common/storage.h:

jobs/rollup/agg.h:

jobs/rollup/dayscan.h:

jobs/rollup/period.h:

jobs/rollup/rollup.h:

lib/buf.h:

jobs/rollup/rollup_opts.h:

lib/options.h:
