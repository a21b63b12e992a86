build-clang/obj/jobs/common/rowstore_hbase.o: \
  jobs/common/rowstore_hbase.c jobs/common/rowstore_backend.h \
  jobs/common/rowstore.h jobs/common/base64.h lib/uri_redact.h \
  jobs/common/http.h jobs/common/job.h lib/buf.h lib/xalloc.h

jobs/common/rowstore_backend.h:

jobs/common/rowstore.h:

jobs/common/base64.h:

lib/uri_redact.h:

jobs/common/http.h:

jobs/common/job.h:

lib/buf.h:

lib/xalloc.h:
