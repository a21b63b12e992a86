build-clang/obj/lib/options.o: lib/options.c lib/options.h lib/suggest.h \
  lib/xalloc.h

lib/options.h:

lib/suggest.h:

lib/xalloc.h:
