build-clang/obj/jobs/overspeed/rule.o: jobs/overspeed/rule.c \
  jobs/overspeed/rule.h jobs/common/evtime.h lib/civil.h

jobs/overspeed/rule.h:

jobs/common/evtime.h:

lib/civil.h:
