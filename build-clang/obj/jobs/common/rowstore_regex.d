build-clang/obj/jobs/common/rowstore_regex.o: \
  jobs/common/rowstore_regex.c jobs/common/rowstore_regex.h

jobs/common/rowstore_regex.h:
