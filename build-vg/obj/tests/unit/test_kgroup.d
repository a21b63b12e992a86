build-vg/obj/tests/unit/test_kgroup.o: tests/unit/test_kgroup.c \
 jobs/common/kgroup.h
jobs/common/kgroup.h:
