build-clang/obj/lib/xalloc.o: lib/xalloc.c lib/xalloc.h

lib/xalloc.h:
