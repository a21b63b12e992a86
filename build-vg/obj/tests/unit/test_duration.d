build-vg/obj/tests/unit/test_duration.o: tests/unit/test_duration.c \
 scheduler/duration.h
scheduler/duration.h:
