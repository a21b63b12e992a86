build-vg/obj/tests/unit/test_uri_redact.o: tests/unit/test_uri_redact.c \
 lib/uri_redact.h
lib/uri_redact.h:
