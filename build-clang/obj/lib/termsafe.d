build-clang/obj/lib/termsafe.o: lib/termsafe.c lib/termsafe.h lib/buf.h

lib/termsafe.h:

lib/buf.h:
