build-clang/obj/tools/rowctl/rowctl.o: tools/rowctl/rowctl.c \
  jobs/common/job.h jobs/common/rowstore.h lib/json.h lib/options.h \
  lib/xalloc.h

jobs/common/job.h:

jobs/common/rowstore.h:

lib/json.h:

lib/options.h:

lib/xalloc.h:
