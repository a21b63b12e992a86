build-clang/obj/lib/suggest.o: lib/suggest.c lib/suggest.h

lib/suggest.h:
