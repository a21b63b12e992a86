build-san/obj/jobs/common/rowstore_hbase.o: jobs/common/rowstore_hbase.c \
 jobs/common/rowstore_backend.h jobs/common/rowstore.h
jobs/common/rowstore_backend.h:
jobs/common/rowstore.h:
