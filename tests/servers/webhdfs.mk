# tests/servers/webhdfs.mk: the WebHDFS test server (NameNode + DataNode on
# two loopback ports, backed by a local directory, fault injection).
TEST_PROGRAMS += webhdfs-testserver
webhdfs-testserver_SRCS := tests/servers/webhdfs-testserver.c
webhdfs-testserver_LIBS := testhttpd base
