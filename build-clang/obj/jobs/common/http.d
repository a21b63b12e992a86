build-clang/obj/jobs/common/http.o: jobs/common/http.c jobs/common/http.h \
  jobs/common/job.h lib/uri_redact.h

jobs/common/http.h:

jobs/common/job.h:

lib/uri_redact.h:
