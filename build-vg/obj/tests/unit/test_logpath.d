build-vg/obj/tests/unit/test_logpath.o: tests/unit/test_logpath.c \
 scheduler/logpath.h
scheduler/logpath.h:
