build-clang/obj/jobs/common/rowstore_filter.o: \
  jobs/common/rowstore_filter.c jobs/common/rowstore_backend.h \
  jobs/common/rowstore.h jobs/common/rowstore_regex.h

jobs/common/rowstore_backend.h:

jobs/common/rowstore.h:

jobs/common/rowstore_regex.h:
