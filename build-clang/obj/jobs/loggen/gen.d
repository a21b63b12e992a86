build-clang/obj/jobs/loggen/gen.o: jobs/loggen/gen.c jobs/loggen/gen.h \
  jobs/loggen/rng.h

jobs/loggen/gen.h:

jobs/loggen/rng.h:
