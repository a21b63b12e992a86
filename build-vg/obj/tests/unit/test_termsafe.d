build-vg/obj/tests/unit/test_termsafe.o: tests/unit/test_termsafe.c \
 lib/termsafe.h lib/buf.h
lib/termsafe.h:
lib/buf.h:
