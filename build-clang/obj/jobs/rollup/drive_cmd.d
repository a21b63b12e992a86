build-clang/obj/jobs/rollup/drive_cmd.o: jobs/rollup/drive_cmd.c \
  jobs/common/job.h jobs/common/records.h jobs/common/rowstore.h \
  jobs/common/storage.h jobs/rollup/drive.h jobs/rollup/period.h \
  jobs/rollup/rollup.h lib/buf.h jobs/rollup/rollup_opts.h

jobs/common/job.h:

jobs/common/records.h:

jobs/common/rowstore.h:

jobs/common/storage.h:

jobs/rollup/drive.h:

jobs/rollup/period.h:

jobs/rollup/rollup.h:

lib/buf.h:

jobs/rollup/rollup_opts.h:
