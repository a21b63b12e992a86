# tests/servers/webload.mk: webload, the HTTP/1.1 keep-alive load client of
# tests/bench/bench_web.sh (source in tests/tools/webload.c).
TEST_PROGRAMS += webload
webload_SRCS := tests/tools/webload.c
webload_LIBS := jobcommon base
webload_LDLIBS :=
