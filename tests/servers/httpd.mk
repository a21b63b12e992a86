# tests/servers/httpd.mk: the tiny HTTP/1.1 server library the protocol test
# servers are written on (static lib "testhttpd"; link it with NAME_LIBS).
LIBRARIES += testhttpd
testhttpd_SRCS := tests/servers/httpd.c
