build-clang/obj/jobs/common/rowstore_cells.o: \
  jobs/common/rowstore_cells.c jobs/common/rowstore_cells.h lib/buf.h

jobs/common/rowstore_cells.h:

lib/buf.h:
