build-san/obj/tests/servers/hbase_rest_testserver.o: \
 tests/servers/hbase_rest_testserver.c jobs/common/hbase_json.h \
 jobs/common/rowstore.h tests/servers/hbase_filter.h \
 tests/servers/httpd.h
jobs/common/hbase_json.h:
jobs/common/rowstore.h:
tests/servers/hbase_filter.h:
tests/servers/httpd.h:
