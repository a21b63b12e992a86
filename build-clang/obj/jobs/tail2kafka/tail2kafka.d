build-clang/obj/jobs/tail2kafka/tail2kafka.o: \
  jobs/tail2kafka/tail2kafka.c jobs/common/job.h lib/options.h \
  jobs/tail2kafka/t2k_acks.h jobs/tail2kafka/t2k_line.h \
  jobs/tail2kafka/t2k_opts.h jobs/common/kconf.h \
  jobs/tail2kafka/t2k_position.h jobs/tail2kafka/t2k_watch.h

jobs/common/job.h:

lib/options.h:

jobs/tail2kafka/t2k_acks.h:

jobs/tail2kafka/t2k_line.h:

jobs/tail2kafka/t2k_opts.h:

jobs/common/kconf.h:

jobs/tail2kafka/t2k_position.h:

jobs/tail2kafka/t2k_watch.h:
