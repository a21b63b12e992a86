build-clang/obj/jobs/common/rowstore_rowbuf.o: \
  jobs/common/rowstore_rowbuf.c jobs/common/rowstore_backend.h \
  jobs/common/rowstore.h

jobs/common/rowstore_backend.h:

jobs/common/rowstore.h:
