build-vg/obj/tests/unit/test_slog.o: tests/unit/test_slog.c \
 scheduler/slog.h
scheduler/slog.h:
