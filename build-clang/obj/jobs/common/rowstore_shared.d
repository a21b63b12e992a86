build-clang/obj/jobs/common/rowstore_shared.o: \
  jobs/common/rowstore_shared.c jobs/common/rowstore_backend.h \
  jobs/common/rowstore.h

jobs/common/rowstore_backend.h:

jobs/common/rowstore.h:
