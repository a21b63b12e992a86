build-san/obj/jobs/common/rowstore.o: jobs/common/rowstore.c \
 jobs/common/rowstore_backend.h jobs/common/rowstore.h \
 jobs/common/rowstore_regex.h
jobs/common/rowstore_backend.h:
jobs/common/rowstore.h:
jobs/common/rowstore_regex.h:
