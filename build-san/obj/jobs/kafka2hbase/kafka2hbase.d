build-san/obj/jobs/kafka2hbase/kafka2hbase.o: \
 jobs/kafka2hbase/kafka2hbase.c jobs/common/job.h jobs/common/rowstore.h \
 jobs/kafka2hbase/k2h_record.h
jobs/common/job.h:
jobs/common/rowstore.h:
jobs/kafka2hbase/k2h_record.h:
