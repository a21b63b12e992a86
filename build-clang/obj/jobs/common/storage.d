build-clang/obj/jobs/common/storage.o: jobs/common/storage.c \
  jobs/common/storage_impl.h jobs/common/storage.h jobs/common/job.h \
  lib/uri_redact.h

jobs/common/storage_impl.h:

jobs/common/storage.h:

jobs/common/job.h:

lib/uri_redact.h:
