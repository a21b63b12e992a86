build-clang/obj/jobs/loggen/loggen.o: jobs/loggen/loggen.c \
  jobs/common/job.h jobs/loggen/gen.h jobs/loggen/rng.h \
  jobs/loggen/loggen_opts.h lib/options.h

jobs/common/job.h:

jobs/loggen/gen.h:

jobs/loggen/rng.h:

jobs/loggen/loggen_opts.h:

lib/options.h:
