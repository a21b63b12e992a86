build-clang/obj/jobs/spool-loader/spool_opts.o: \
  jobs/spool-loader/spool_opts.c jobs/spool-loader/spool_opts.h \
  jobs/common/job.h lib/options.h

jobs/spool-loader/spool_opts.h:

jobs/common/job.h:

lib/options.h:
