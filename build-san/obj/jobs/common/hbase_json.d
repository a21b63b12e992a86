build-san/obj/jobs/common/hbase_json.o: jobs/common/hbase_json.c \
 jobs/common/hbase_json.h
jobs/common/hbase_json.h:
