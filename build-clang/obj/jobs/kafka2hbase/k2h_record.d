build-clang/obj/jobs/kafka2hbase/k2h_record.o: \
  jobs/kafka2hbase/k2h_record.c jobs/kafka2hbase/k2h_record.h \
  jobs/common/records.h jobs/common/job.h

jobs/kafka2hbase/k2h_record.h:

jobs/common/records.h:

jobs/common/job.h:
