build-san/obj/tests/servers/hbase_filter.o: tests/servers/hbase_filter.c \
 tests/servers/hbase_filter.h jobs/common/hbase_json.h \
 jobs/common/rowstore.h jobs/common/rowstore_regex.h
tests/servers/hbase_filter.h:
jobs/common/hbase_json.h:
jobs/common/rowstore.h:
jobs/common/rowstore_regex.h:
