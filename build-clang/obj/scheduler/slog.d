build-clang/obj/scheduler/slog.o: scheduler/slog.c scheduler/slog.h \
  lib/buf.h lib/logfmt.h

scheduler/slog.h:

lib/buf.h:

lib/logfmt.h:
