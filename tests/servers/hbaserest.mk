# tests/servers/hbaserest.mk: the HBase REST ("Stargate") test server the
# hbase:// row-store tests and benchmarks run against on loopback.
TEST_PROGRAMS += hbase-rest-testserver
hbase-rest-testserver_SRCS := tests/servers/hbase_rest_testserver.c tests/servers/hbase_filter.c
hbase-rest-testserver_LIBS := testhttpd jobcommon base
hbase-rest-testserver_LDLIBS := -lsqlite3 -lcurl -lm
