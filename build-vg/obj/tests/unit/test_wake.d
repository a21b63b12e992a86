build-vg/obj/tests/unit/test_wake.o: tests/unit/test_wake.c \
 scheduler/wake.h
scheduler/wake.h:
