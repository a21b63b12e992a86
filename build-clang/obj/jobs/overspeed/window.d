build-clang/obj/jobs/overspeed/window.o: jobs/overspeed/window.c \
  jobs/overspeed/window.h jobs/common/records.h jobs/common/job.h \
  jobs/overspeed/rule.h jobs/common/evtime.h lib/civil.h

jobs/overspeed/window.h:

jobs/common/records.h:

jobs/common/job.h:

jobs/overspeed/rule.h:

jobs/common/evtime.h:

lib/civil.h:
