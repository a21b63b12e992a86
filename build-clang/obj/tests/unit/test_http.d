build-clang/obj/tests/unit/test_http.o: tests/unit/test_http.c \
  jobs/common/http.h jobs/common/job.h tests/servers/httpd.h

jobs/common/http.h:

jobs/common/job.h:

tests/servers/httpd.h:
