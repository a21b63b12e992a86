build-san/obj/tests/unit/test_hbase_json.o: tests/unit/test_hbase_json.c \
 jobs/common/hbase_json.h
jobs/common/hbase_json.h:
