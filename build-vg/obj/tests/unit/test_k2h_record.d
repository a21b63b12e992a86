build-vg/obj/tests/unit/test_k2h_record.o: tests/unit/test_k2h_record.c \
 jobs/kafka2hbase/k2h_record.h jobs/common/records.h jobs/common/job.h
jobs/kafka2hbase/k2h_record.h:
jobs/common/records.h:
jobs/common/job.h:
