build-vg/obj/tests/unit/test_progress.o: tests/unit/test_progress.c \
 lib/progress.h
lib/progress.h:
