build-clang/obj/jobs/common/rowstore.o: jobs/common/rowstore.c \
  jobs/common/rowstore_backend.h jobs/common/rowstore.h lib/uri_redact.h

jobs/common/rowstore_backend.h:

jobs/common/rowstore.h:

lib/uri_redact.h:
