build-clang/obj/tests/servers/httpd.o: tests/servers/httpd.c \
  tests/servers/httpd.h

tests/servers/httpd.h:
