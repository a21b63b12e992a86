build-clang/obj/lib/logfmt.o: lib/logfmt.c lib/logfmt.h lib/buf.h

lib/logfmt.h:

lib/buf.h:
