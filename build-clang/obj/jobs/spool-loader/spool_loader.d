build-clang/obj/jobs/spool-loader/spool_loader.o: \
  jobs/spool-loader/spool_loader.c jobs/common/job.h \
  jobs/common/publish.h jobs/common/storage.h jobs/spool-loader/filter.h \
  jobs/spool-loader/load.h jobs/spool-loader/manifest.h \
  jobs/spool-loader/partq.h jobs/spool-loader/spool_opts.h \
  jobs/spool-loader/srcmap.h lib/options.h

jobs/common/job.h:

jobs/common/publish.h:

jobs/common/storage.h:

jobs/spool-loader/filter.h:

jobs/spool-loader/load.h:

jobs/spool-loader/manifest.h:

jobs/spool-loader/partq.h:

jobs/spool-loader/spool_opts.h:

jobs/spool-loader/srcmap.h:

lib/options.h:
