build-clang/obj/jobs/rollup/rollup_opts.o: jobs/rollup/rollup_opts.c \
  jobs/rollup/rollup_opts.h jobs/common/job.h jobs/rollup/period.h \
  lib/options.h lib/suggest.h

jobs/rollup/rollup_opts.h:

jobs/common/job.h:

jobs/rollup/period.h:

lib/options.h:

lib/suggest.h:
