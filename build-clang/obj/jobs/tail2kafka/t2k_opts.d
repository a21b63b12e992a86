build-clang/obj/jobs/tail2kafka/t2k_opts.o: jobs/tail2kafka/t2k_opts.c \
  jobs/tail2kafka/t2k_opts.h jobs/common/job.h jobs/common/kconf.h \
  lib/options.h jobs/tail2kafka/t2k_line.h

jobs/tail2kafka/t2k_opts.h:

jobs/common/job.h:

jobs/common/kconf.h:

lib/options.h:

jobs/tail2kafka/t2k_line.h:
