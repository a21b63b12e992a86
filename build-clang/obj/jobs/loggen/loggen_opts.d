build-clang/obj/jobs/loggen/loggen_opts.o: jobs/loggen/loggen_opts.c \
  jobs/loggen/loggen_opts.h jobs/common/job.h lib/options.h \
  lib/suggest.h

jobs/loggen/loggen_opts.h:

jobs/common/job.h:

lib/options.h:

lib/suggest.h:
