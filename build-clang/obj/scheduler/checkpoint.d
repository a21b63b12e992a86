build-clang/obj/scheduler/checkpoint.o: scheduler/checkpoint.c \
  scheduler/checkpoint.h scheduler/slog.h

scheduler/checkpoint.h:

scheduler/slog.h:
