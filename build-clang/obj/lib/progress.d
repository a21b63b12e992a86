build-clang/obj/lib/progress.o: lib/progress.c lib/progress.h lib/buf.h \
  lib/logfmt.h

lib/progress.h:

lib/buf.h:

lib/logfmt.h:
