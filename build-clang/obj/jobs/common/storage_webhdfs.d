build-clang/obj/jobs/common/storage_webhdfs.o: \
  jobs/common/storage_webhdfs.c jobs/common/storage_impl.h \
  jobs/common/storage.h jobs/common/job.h jobs/common/http.h lib/path.h \
  lib/xalloc.h

jobs/common/storage_impl.h:

jobs/common/storage.h:

jobs/common/job.h:

jobs/common/http.h:

lib/path.h:

lib/xalloc.h:
