build-vg/obj/tests/unit/test_logfmt.o: tests/unit/test_logfmt.c \
 lib/logfmt.h lib/buf.h
lib/logfmt.h:
lib/buf.h:
