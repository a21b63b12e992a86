build-clang/obj/lib/uri_redact.o: lib/uri_redact.c lib/uri_redact.h

lib/uri_redact.h:
