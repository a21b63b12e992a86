build-clang/obj/lib/json.o: lib/json.c lib/json.h lib/buf.h lib/xalloc.h

lib/json.h:

lib/buf.h:

lib/xalloc.h:
