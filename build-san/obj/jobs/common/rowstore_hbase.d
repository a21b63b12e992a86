build-san/obj/jobs/common/rowstore_hbase.o: jobs/common/rowstore_hbase.c \
 jobs/common/rowstore_backend.h jobs/common/rowstore.h \
 jobs/common/hbase_json.h jobs/common/http.h jobs/common/job.h
jobs/common/rowstore_backend.h:
jobs/common/rowstore.h:
jobs/common/hbase_json.h:
jobs/common/http.h:
jobs/common/job.h:
