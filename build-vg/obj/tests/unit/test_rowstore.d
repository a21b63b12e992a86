build-vg/obj/tests/unit/test_rowstore.o: tests/unit/test_rowstore.c \
 jobs/common/rowstore.h
jobs/common/rowstore.h:
