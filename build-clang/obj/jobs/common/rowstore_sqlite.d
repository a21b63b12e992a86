build-clang/obj/jobs/common/rowstore_sqlite.o: \
  jobs/common/rowstore_sqlite.c jobs/common/rowstore_backend.h \
  jobs/common/rowstore.h lib/uri_redact.h jobs/common/rowstore_cells.h \
  lib/buf.h

jobs/common/rowstore_backend.h:

jobs/common/rowstore.h:

lib/uri_redact.h:

jobs/common/rowstore_cells.h:

lib/buf.h:
